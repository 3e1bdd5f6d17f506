"""Alerts fire on shifts and explain themselves; verdict rules on constructed months."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from dyadwatch.analysis.alerts import Alert, find_alerts
from dyadwatch.analysis.detect import changepoint_shifts, level_for, robust_z_shifts
from dyadwatch.analysis.indicators import indicator, indicator_series
from dyadwatch.analysis.verdicts import monthly_verdicts
from dyadwatch.cli.app import app
from dyadwatch.errors import ConfigError
from dyadwatch.ingest import ingest_series
from dyadwatch.settings import Settings
from dyadwatch.store import Store

from conftest import SHARED_DATA, insert_events, insert_reading

IMPMX = SHARED_DATA / "indicators" / "fred-mexico-trade" / "IMPMX_1985_2026.csv"
SESNSP = (
    SHARED_DATA
    / "indicators"
    / "sesnsp-mx"
    / ("victims_state_month_homicide_kidnap_extortion_2015_2025.csv")
)
MONTHS = pd.date_range("2017-01-01", periods=96, freq="MS")


def _all_shifts(values: pd.Series) -> list[object]:
    return [*robust_z_shifts(values, freq="month"), *changepoint_shifts(values, freq="month")]


def test_flat_and_seasonal_series_stay_silent() -> None:
    flat = pd.Series(10.0, index=MONTHS)  # constructed
    seasonal = pd.Series(100 + 30 * np.sin(2 * np.pi * np.arange(96) / 12), index=MONTHS)
    assert _all_shifts(flat) == []
    assert _all_shifts(seasonal) == []


def test_planted_shift_on_a_real_series_fires_at_the_plant(
    store: Store, settings: Settings
) -> None:
    ingest_series(store, SESNSP, settings=settings)
    real = indicator_series(store, indicator("homicides"))
    assert len(real) == 126  # Jan 2015 - Jun 2025, summed over the 32 states
    planted = real.copy()
    planted.iloc[100:] *= 1.6  # the plant: +60% from May 2023 on (test input, not data)
    new = {
        (s.method, s.start)
        for s in robust_z_shifts(planted, freq="month", count=False)
        + changepoint_shifts(planted, freq="month", count=False)
        if s.level in ("alert", "red alert")
    } - {
        (s.method, s.start)
        for s in robust_z_shifts(real, freq="month", count=False)
        + changepoint_shifts(real, freq="month", count=False)
    }
    plant = real.index[100]
    assert ("robust_z", plant) in new
    assert ("changepoint", plant) in new


def test_levels_follow_the_documented_thresholds() -> None:
    thresholds = (3.0, 4.5, 6.0)
    assert [level_for(z, thresholds) for z in (2.9, -3.0, 5.0, 7.0)] == [
        None,
        "watch",
        "alert",
        "red alert",
    ]


def test_indicator_alert_explains_the_2020_import_collapse(
    store: Store, settings: Settings
) -> None:
    ingest_series(store, IMPMX, settings=settings)
    alerts = find_alerts(store, settings, since=dt.date(2020, 4, 1))
    covid = [a for a in alerts if a.series == "imports" and a.start == dt.date(2020, 4, 1)]
    assert {a.method for a in covid} == {"robust_z", "changepoint"}
    z = next(a for a in covid if a.method == "robust_z")
    assert z.level == "red alert" and z.score < -6 and z.value < z.baseline
    assert "fell" in z.explanation and "2020-04-01" in z.explanation
    assert all(a.explanation and a.events_role == "context" for a in alerts)


def _months_of_events(plan: dict[str, list[tuple[str, int, int]]]) -> list[dict[str, object]]:
    """Constructed events: for each month, (PLOVER type, quad class, how many)."""
    rows: list[dict[str, object]] = []
    for month, kinds in plan.items():
        for plover, quad, count in kinds:
            for k in range(count):
                rows.append(
                    {
                        "event_date": f"{month}-{1 + k % 28:02d}",
                        "plover_type": plover,
                        "quad_class": quad,
                        "evidence": f"constructed {plover} sentence {k} of {month}",
                        "fronts": ["trade"],
                        "doc_id": f"whitehouse-{month}-{k % 2}",
                    }
                )
    for i, row in enumerate(rows):
        row["event_id"] = row["source_record_id"] = f"c{i}"
    return rows


BASELINE = [f"2024-{m:02d}" for m in range(7, 13)]


def _verdict(
    store: Store,
    settings: Settings,
    month: list[tuple[str, int, int]],
    base: list[tuple[str, int, int]],
) -> dict[str, object]:
    plan = {m: base for m in BASELINE} | {"2025-01": month}
    insert_events(store, _months_of_events(plan))
    insert_reading(store, list(plan))
    verdicts = {v.front: v for v in monthly_verdicts(store, settings, dt.date(2025, 1, 1))}
    assert verdicts["trade"].verdict == verdicts["all"].verdict
    trade = verdicts["trade"]
    return {"verdict": trade.verdict, "flags": trade.flags, "verdict_obj": trade}


def test_verdict_deteriorated_with_conflict_risk_alert(store: Store, settings: Settings) -> None:
    out = _verdict(
        store, settings, [("AGREE", 1, 1), ("THREATEN", 3, 8)], [("AGREE", 1, 5), ("DEMAND", 3, 1)]
    )
    assert out["verdict"] == "deteriorated"
    assert out["flags"] == ("conflict risk alert",)
    verdict = out["verdict_obj"]
    assert verdict.numbers["escalation"] == 8  # type: ignore[attr-defined]
    assert all("THREATEN" in (e.evidence or "") for e in verdict.events)  # type: ignore[attr-defined]


def test_verdict_improved_with_resolution_opportunity(store: Store, settings: Settings) -> None:
    out = _verdict(store, settings, [("AGREE", 1, 8)], [("DEMAND", 3, 5), ("AGREE", 1, 2)])
    assert (out["verdict"], out["flags"]) == ("improved", ("resolution opportunity",))


def test_verdict_unchanged_when_the_month_looks_like_its_baseline(
    store: Store, settings: Settings
) -> None:
    same = [("AGREE", 1, 4), ("DEMAND", 3, 2)]
    out = _verdict(store, settings, same, same)
    assert (out["verdict"], out["flags"]) == ("unchanged", ())


def test_verdict_too_few_events_to_judge(store: Store, settings: Settings) -> None:
    out = _verdict(store, settings, [("THREATEN", 3, 1)], [])
    assert out["verdict"] == "unchanged"
    assert "too few events" in out["verdict_obj"].reasons[0]  # type: ignore[attr-defined]


def _spike_alert(store: Store, settings: Settings, one_document: str | None) -> object:
    quiet = {f"{y}-{m:02d}": [("DEMAND", 3, 2)] for y in (2023, 2024) for m in range(1, 13)}
    plan = quiet | {"2025-01": [("THREATEN", 3, 15)]}
    rows = _months_of_events(plan)
    for row in rows:
        row["doc_id"] = None if one_document is None else one_document
    if one_document is None:  # each event from its own record: 15 documents behind the spike
        rows = [{**row, "doc_id": f"wh-{row['event_id']}"} for row in rows]
    insert_events(store, rows)
    store.execute(
        "INSERT INTO documents SELECT 'd' || range, 'test', DATE '2023-01-01' + range::INTEGER, "
        "'en', NULL, NULL, 'constructed', NULL FROM range(800)"
    )  # coverage for coded events: a document in every month
    alerts = find_alerts(store, settings, since=dt.date(2025, 1, 1))
    return next(
        a for a in alerts if a.series == "conflict USA->MEX all [coded]" and a.method == "robust_z"
    )


def test_event_alert_lists_its_driving_events(store: Store, settings: Settings) -> None:
    spike = _spike_alert(store, settings, None)
    assert isinstance(spike, Alert)
    assert spike.level == "red alert" and spike.value == 15
    assert spike.events_role == "drivers" and len(spike.events) == 5
    assert all(e.plover_type == "THREATEN" and e.evidence for e in spike.events)


def test_a_red_alert_from_one_document_is_lowered(store: Store, settings: Settings) -> None:
    spike = _spike_alert(store, settings, "one-white-house-text")
    assert isinstance(spike, Alert)
    assert spike.level == "alert" and spike.score >= 6  # a red alert's z, lowered
    assert "Lowered from red alert" in spike.explanation and "1 document," in spike.explanation


def test_bad_month_is_a_clear_error() -> None:
    from dyadwatch.analysis.verdicts import parse_month

    with pytest.raises(ConfigError, match="2025-03"):
        parse_month("March 2025")


def test_cli_alerts_and_verdicts_json(store: Store, settings: Settings) -> None:
    ingest_series(store, IMPMX, settings=settings)
    store.close()
    base = ["--db", str(settings.db)]
    result = CliRunner().invoke(app, [*base, "alerts", "--since", "2026-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(r["explanation"] and r["level"] for r in rows)
    result = CliRunner().invoke(app, [*base, "verdicts", "--month", "2026-07", "--format", "json"])
    verdicts = json.loads(result.stdout)
    assert [v["front"] for v in verdicts][0] == "all" and len(verdicts) == 7
    bad = CliRunner().invoke(app, [*base, "verdicts", "--month", "07/2026"])
    assert bad.exit_code == 2 and "YYYY-MM" not in bad.stdout


def test_a_risk_alert_on_an_unchanged_front_cites_the_escalation(
    store: Store, settings: Settings
) -> None:
    out = _verdict(
        store, settings, [("AGREE", 1, 10), ("THREATEN", 3, 4)], [("AGREE", 1, 5), ("DEMAND", 3, 1)]
    )
    assert (out["verdict"], out["flags"]) == ("unchanged", ("conflict risk alert",))
    events = out["verdict_obj"].events  # type: ignore[attr-defined]
    assert events and all(e.plover_type == "THREATEN" for e in events)
