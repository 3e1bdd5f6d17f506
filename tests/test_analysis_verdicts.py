"""Verdicts judge the relationship: scope, coverage, normalisation and weights, evidence,
and the record of documented shifts they are evaluated on. Constructed months (test input,
not data) with constructed coverage."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.analysis.fronts import front_keys
from dyadwatch.analysis.reading import load_reading, source_weights
from dyadwatch.analysis.shift_record import RECORD_FILE, load_record
from dyadwatch.analysis.verdicts import INSUFFICIENT, latest_month, monthly_verdicts
from dyadwatch.cli.app import app
from dyadwatch.errors import ConfigError
from dyadwatch.settings import Settings
from dyadwatch.store import Store

from conftest import ROOT, insert_events, insert_reading

BASELINE = [f"2024-{m:02d}" for m in range(7, 13)]
MONTH = dt.date(2025, 1, 1)


def _events(month: str, plover: str, quad: int, count: int, **extra: object) -> list[dict]:
    rows = []
    for k in range(count):
        rows.append(
            {
                "event_date": f"{month}-{1 + k % 28:02d}",
                "plover_type": plover,
                "quad_class": quad,
                "fronts": ["trade"],
                "doc_id": f"whitehouse-{month}-{k % 2}",
                "evidence": f"constructed {plover} {k} of {month}",
                **extra,
            }
        )
    return rows


def _store(store: Store, rows: list[dict], *, months: list[str] | None = None) -> None:
    for i, row in enumerate(rows):
        row.setdefault("event_id", f"v{i}")
        row.setdefault("source_record_id", row["event_id"])
    insert_events(store, rows)
    insert_reading(store, months if months is not None else [*BASELINE, "2025-01"])


def _trade(store: Store, settings: Settings) -> object:
    verdicts = {v.front: v for v in monthly_verdicts(store, settings, MONTH)}
    return verdicts["trade"]


def _calm_baseline() -> list[dict]:
    return [row for m in BASELINE for row in _events(m, "AGREE", 1, 3)]


def test_own_and_third_country_events_never_move_a_verdict(
    store: Store, settings: Settings
) -> None:
    rows = _calm_baseline() + _events("2025-01", "AGREE", 1, 3)
    rows += _events("2025-01", "SANCTION", 4, 12, target_country="USA")  # domestic
    rows += _events("2025-01", "THREATEN", 3, 12, target_country="CHN")  # a third country
    rows += _events("2025-01", "FIGHT", 4, 12, target_country=None)  # no target
    _store(store, rows)
    trade = _trade(store, settings)
    assert trade.verdict == "unchanged" and trade.numbers["conflict"] == 0  # type: ignore[attr-defined]
    assert all(e.target_country == "MEX" for e in trade.events)  # type: ignore[attr-defined]


def test_tariffs_on_the_other_country_make_it_worse(store: Store, settings: Settings) -> None:
    rows = _calm_baseline() + _events("2025-01", "SANCTION", 4, 9)
    _store(store, rows)
    trade = _trade(store, settings)
    assert trade.verdict == "deteriorated"  # type: ignore[attr-defined]
    assert trade.flags == ("conflict risk alert",)  # type: ignore[attr-defined]
    assert {c.stream for c in trade.coverage} == {"coded:USA", "coded:MEX"}  # type: ignore[attr-defined]


def test_a_side_without_coverage_is_insufficient_never_unchanged(
    store: Store, settings: Settings
) -> None:
    rows = _calm_baseline() + _events("2025-01", "AGREE", 1, 3)
    _store(store, rows, months=BASELINE)
    insert_reading(store, ["2025-01"], sources=("whitehouse",))  # no Mexican text this month
    verdicts = monthly_verdicts(store, settings, MONTH)
    assert {v.verdict for v in verdicts} == {INSUFFICIENT}
    assert all("MEX side" in v.reasons[0] and not v.judged for v in verdicts)
    assert latest_month(store, settings) == dt.date(2024, 12, 1)  # the last month both cover


def test_a_thin_baseline_is_insufficient(store: Store, settings: Settings) -> None:
    rows = _calm_baseline() + _events("2025-01", "SANCTION", 4, 9)
    _store(store, rows, months=["2024-11", "2024-12", "2025-01"])
    trade = _trade(store, settings)
    assert trade.verdict == INSUFFICIENT  # type: ignore[attr-defined]
    assert "only 2 of the 6 previous months" in trade.reasons[0]  # type: ignore[attr-defined]


def test_counts_are_read_against_how_much_was_read(store: Store, settings: Settings) -> None:
    """Three times the conflict in three times the reading is the same rate: unchanged;
    the same conflict in the usual reading is a deterioration."""
    base = [row for m in BASELINE for row in _events(m, "AGREE", 1, 3) + _events(m, "DEMAND", 3, 1)]
    now = _events("2025-01", "AGREE", 1, 9) + _events("2025-01", "DEMAND", 3, 3)
    _store(store, base + now, months=BASELINE)
    insert_reading(store, ["2025-01"], sentences=1500)  # three times the usual 500
    trade = _trade(store, settings)
    assert trade.numbers["events"] == 12 and trade.verdict == "unchanged"  # type: ignore[attr-defined]
    assert trade.numbers["events_norm"] == pytest.approx(  # type: ignore[attr-defined]
        trade.numbers["events_norm_baseline"]  # type: ignore[attr-defined]
    )


def test_weights_come_from_the_measured_precision(store: Store, settings: Settings) -> None:
    _store(store, _calm_baseline())
    weights = source_weights(load_reading(store, settings))
    assert set(weights) == {"coded:USA", "coded:MEX"}
    for weight in weights.values():
        assert 0 < weight.weight < 1 and "dev split" in weight.basis


def test_key_evidence_is_counted_and_carries_confidence_and_document(
    store: Store, settings: Settings
) -> None:
    rows = _calm_baseline() + _events("2025-01", "SANCTION", 4, 9)
    rows += _events("2025-01", "FIGHT", 4, 3, confidence=0.3, evidence="below the threshold")
    _store(store, rows)
    trade = _trade(store, settings)
    events = trade.events  # type: ignore[attr-defined]
    assert events and all(e.plover_type == "SANCTION" for e in events)
    assert all(e.confidence == pytest.approx(0.9) and e.doc_title for e in events)


def test_cli_evaluate_verdicts_keeps_the_coder_part(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    _store(store, _calm_baseline() + _events("2025-01", "SANCTION", 4, 9))
    store.close()
    out = tmp_path / "EVALUATION.md"
    out.write_text("# Evaluation\n\nthe coder's part\n", encoding="utf-8")
    args = ["--db", str(settings.db), "evaluate", "verdicts", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.index("the coder's part") < text.index("## Verdicts against the record")
    assert "| recall, test split" in text and "naive rule" in text
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0 and out.read_text(encoding="utf-8").count("## Verdicts") == 1


def test_the_record_is_complete_and_well_formed() -> None:
    record = load_record()
    assert len(record) >= 30
    assert {s.front for s in record} == set(front_keys())
    assert {"USA", "MEX"} <= {s.actor for s in record}
    assert min(s.date for s in record).year == 2019 and max(s.date for s in record).year == 2026
    assert {s.split for s in record} == {"dev", "test"}


def test_a_broken_record_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "shifts.csv"
    bad.write_text(
        "date,front,direction,actor,what,source_url,basis\n"
        "2025-02-01,tariffs,worse,USA,a tariff,https://example.org,x\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="line 2: unknown front 'tariffs'"):
        load_record(bad)


def test_nothing_but_the_evaluation_reads_the_record() -> None:
    """The detector never sees the record's months, dates or events."""
    readers = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "dyadwatch").rglob("*.py")
        if RECORD_FILE in path.read_text(encoding="utf-8")
        or re.search(r"\bshift_record\b", path.read_text(encoding="utf-8"))
    }
    assert readers == {
        "dyadwatch/analysis/shift_record.py",
        "dyadwatch/analysis/verdict_eval.py",
        "dyadwatch/analysis/verdict_eval_report.py",
        "dyadwatch/cli/evaluate_cmd.py",
    }


def test_a_dataset_without_events_between_the_two_never_counts_as_coverage(
    store: Store, settings: Settings
) -> None:
    _store(store, _calm_baseline() + _events("2025-01", "AGREE", 1, 3))
    violence = [  # constructed: a month of Mexican state violence (MEX->MEX), as UCDP has
        {
            "event_id": f"u{day}",
            "source_system": "ucdp",
            "source_country": "MEX",
            "target_country": "MEX",
            "plover_type": "FIGHT",
            "quad_class": 4,
            "event_date": f"2025-03-{day:02d}",
        }
        for day in range(1, 29)
    ]
    insert_events(store, violence)
    assert latest_month(store, settings) == MONTH  # not 2025-03
    verdicts = monthly_verdicts(store, settings, dt.date(2025, 3, 1))
    assert {v.verdict for v in verdicts} == {INSUFFICIENT}


def test_a_briefing_without_coverage_says_it_cannot_judge(store: Store, settings: Settings) -> None:
    from dyadwatch.briefs.briefing import build_briefing
    from dyadwatch.briefs.briefing_render import render_markdown

    _store(store, _calm_baseline() + _events("2025-01", "SANCTION", 4, 9), months=BASELINE)
    insert_reading(store, ["2025-01"], sources=("whitehouse",))
    briefing = build_briefing(store, settings, MONTH, now=dt.datetime(2026, 12, 4, 12, 0))
    assert briefing.lead.startswith("dyadwatch cannot judge January 2025: no source covers")
    text = render_markdown(briefing)
    assert "**dyadwatch cannot judge January 2025**" in text
    assert "**Trend.**" not in text and "No events between" not in text
    headings = [line for line in text.splitlines() if line.startswith("## #")]
    assert len(headings) == 6 and all(h.endswith(": insufficient coverage") for h in headings)
