"""The conflict–cooperation index on the real fixtures, checked against hand-computed values."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import typing
from collections import defaultdict
from pathlib import Path

import ibis
import pytest
from typer.testing import CliRunner

from dyadwatch.analysis.coverage import add_coverage
from dyadwatch.analysis.fronts import in_front
from dyadwatch.analysis.index import (
    FREQS,
    PER,
    WEIGHTS,
    Freq,
    IndexSpec,
    compute_index,
    index_expr,
    plover_goldstein,
)
from dyadwatch.cli.app import app
from dyadwatch.errors import ConfigError
from dyadwatch.ingest import ingest_gdelt, ingest_icews
from dyadwatch.settings import Settings
from dyadwatch.store import Store

from conftest import GDELT1_SAMPLE, GDELT2_EXPORT, SHARED_DATA, insert_events

ICEWS_SAMPLE = SHARED_DATA / "fixtures" / "icews" / "events.2018.sample.tab"
SNAPSHOTS = Path(__file__).parent / "snapshots"
DYAD = ("USA", "MEX")
ICEWS_NAMES = {"United States": "USA", "Mexico": "MEX"}


@pytest.fixture
def fixture_store(store: Store, settings: Settings) -> Store:
    for path in (GDELT1_SAMPLE, GDELT2_EXPORT):
        ingest_gdelt(store, path, settings=settings)
    ingest_icews(store, ICEWS_SAMPLE, settings=settings)
    return store


def _gdelt_by_hand(path: Path) -> dict[tuple[str, str], tuple[int, float]]:
    """USA–MEX events per (day, direction) and their Goldstein sum, straight from the file."""
    totals: dict[tuple[str, str], list[float]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            source, target = row[7], row[17]
            if {source, target} == set(DYAD) and source != target:
                day = f"{row[1][:4]}-{row[1][4:6]}-{row[1][6:8]}"
                goldstein = row[30] if len(row) == 57 else row[30]
                totals[(day, f"{source}->{target}")].append(float(goldstein))
    return {key: (len(v), round(sum(v), 1)) for key, v in totals.items()}


def _icews_by_hand() -> dict[tuple[str, str], tuple[int, float]]:
    totals: dict[tuple[str, str], list[float]] = defaultdict(list)
    with ICEWS_SAMPLE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            source = ICEWS_NAMES.get(row["Source Country"])
            target = ICEWS_NAMES.get(row["Target Country"])
            if source and target and source != target:
                totals[(row["Event Date"], f"{source}->{target}")].append(float(row["Intensity"]))
    return {key: (len(v), round(sum(v), 1)) for key, v in totals.items()}


def _computed(store: Store, source: str) -> dict[tuple[str, str], tuple[int, float]]:
    spec = IndexSpec(dyad=DYAD, freq="day", sources=(source,))
    rows = compute_index(store.ibis.table("events"), spec)
    return {(r["period"], r["direction"]): (r["events"], r["goldstein_sum"]) for r in rows}


def test_gdelt2_fixture_has_no_usa_mex_event_in_either_direction(fixture_store: Store) -> None:
    assert _gdelt_by_hand(GDELT2_EXPORT) == {}
    assert _computed(fixture_store, "gdelt2") == {}


def test_gdelt1_and_icews_match_hand_counts(fixture_store: Store) -> None:
    expected_gdelt1 = _gdelt_by_hand(GDELT1_SAMPLE)
    assert expected_gdelt1 == {("2016-07-28", "USA->MEX"): (1, 6.4)}
    assert _computed(fixture_store, "gdelt1") == expected_gdelt1
    expected_icews = _icews_by_hand()
    assert expected_icews == {
        ("2018-06-01", "USA->MEX"): (5, 6.4),
        ("2018-06-01", "MEX->USA"): (1, -2.0),
    }
    assert _computed(fixture_store, "icews") == expected_icews


def test_quad_counts_add_up_and_net_cooperation_follows(fixture_store: Store) -> None:
    spec = IndexSpec(dyad=DYAD, freq="month", sources=("icews",))
    for row in compute_index(fixture_store.ibis.table("events"), spec):
        quads = [row[f"quad{k}"] for k in range(1, 5)]
        assert sum(quads) == row["events"]
        assert row["net_cooperation"] == quads[0] + quads[1] - quads[2] - quads[3]
        assert row["front"] == "all" and row["source"] == "icews"


def test_sources_stay_apart_unless_combined(fixture_store: Store) -> None:
    events = fixture_store.ibis.table("events")
    apart = compute_index(events, IndexSpec(dyad=DYAD, freq="month"))
    assert {r["source"] for r in apart} == {"gdelt1", "icews"}
    together = compute_index(
        events, IndexSpec(dyad=DYAD, freq="month", sources=("gdelt1", "icews"), combine=True)
    )
    assert {r["source"] for r in together} == {"gdelt1+icews"}
    assert sum(r["events"] for r in together) == sum(r["events"] for r in apart) == 7


def test_weeks_start_on_monday(fixture_store: Store) -> None:
    spec = IndexSpec(dyad=DYAD, freq="week", sources=("icews",))
    rows = compute_index(fixture_store.ibis.table("events"), spec)
    assert {r["period"] for r in rows} == {"2018-05-28"}  # 2018-06-01 was a Friday


def test_gdelt_volume_is_normalized_by_the_files_read_that_day(fixture_store: Store) -> None:
    spec = IndexSpec(dyad=DYAD, freq="day", sources=("gdelt1",))
    rows = add_coverage(
        fixture_store, compute_index(fixture_store.ibis.table("events"), spec), spec
    )
    assert rows[0]["coverage_events"] == 710  # every row of gdelt1_events_sample_20160728
    assert rows[0]["per_1000"] == pytest.approx(1000 / 710, abs=1e-4)


def test_per_event_counts_each_cluster_once(store: Store) -> None:
    insert_events(
        store,
        [
            {"event_cluster_id": "c1", "plover_type": "THREATEN", "quad_class": 3},
            {"event_cluster_id": "c1", "plover_type": "THREATEN", "quad_class": 3},
            {"event_cluster_id": "c1", "plover_type": "THREATEN", "quad_class": 3},
            {"event_cluster_id": "c2"},
        ],
    )
    events = store.ibis.table("events")
    reports = compute_index(events, IndexSpec(dyad=DYAD, per="report"))
    per_event = compute_index(events, IndexSpec(dyad=DYAD, per="event"))
    assert (reports[0]["events"], reports[0]["quad3"]) == (4, 3)
    assert (per_event[0]["events"], per_event[0]["quad3"]) == (2, 1)
    # coded events carry no Goldstein value: the PLOVER type's mean CAMEO value is used
    threaten, agree = plover_goldstein()["THREATEN"], plover_goldstein()["AGREE"]
    assert per_event[0]["goldstein_sum"] == pytest.approx(threaten + agree)


def test_fronts_stored_or_derived_for_structured_sources(store: Store) -> None:
    insert_events(
        store,
        [
            {"fronts": ["trade"]},
            {
                "source_system": "gdelt2",
                "cameo_code": "1631",
                "plover_type": "SANCTION",
                "quad_class": 3,
            },
            {"source_system": "gdelt2", "target_sector": "CRM", "quad_class": 4},
            {
                "source_system": "gdelt2",
                "source_sector": "MIL",
                "plover_type": "FIGHT",
                "quad_class": 4,
            },
        ],
    )
    t = store.ibis.table("events")
    ids = {
        front: sorted(t.filter(in_front(t, front)).event_id.to_pyarrow().to_pylist())
        for front in ("trade", "fentanyl", "military_action", "cooperation")
    }
    assert ids == {
        "trade": ["t0", "t1"],
        "fentanyl": ["t2"],
        "military_action": ["t3"],
        "cooperation": [],  # t0 is tagged trade by the coder; derived fronts apply only to t1-t3
    }


def test_own_events_count_only_when_they_concern_the_pair(store: Store) -> None:
    insert_events(
        store,
        [
            {"target_country": None, "fronts": ["militarization"], "plover_type": "MOBILIZE"},
            {"target_country": None},  # no front, no place in Mexico: domestic, not counted
            {"target_country": "USA", "place_country": "MEX"},
        ],
    )
    rows = compute_index(store.ibis.table("events"), IndexSpec(dyad=DYAD, own=True))
    assert [(r["direction"], r["events"]) for r in rows] == [("USA->USA", 2)]


def test_bad_options_are_clear_errors() -> None:
    # The library names values, never CLI flags: the web app calls it too.
    with pytest.raises(ConfigError, match="^freq 'year' is not one of day, week, month$"):
        IndexSpec(dyad=DYAD, freq="year")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="^per 'row' is not one of report, event$"):
        IndexSpec(dyad=DYAD, per="row")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="^weight 'x' is not one of reports, sources$"):
        IndexSpec(dyad=DYAD, weight="x")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="^since 2020-02-01 is after until 2020-01-01"):
        IndexSpec(dyad=DYAD, since=dt.date(2020, 2, 1), until=dt.date(2020, 1, 1))
    with pytest.raises(ConfigError, match="unknown front"):
        IndexSpec(dyad=DYAD, front="tarifs")


def test_bigquery_sql_snapshot() -> None:
    """The SQL the monthly index compiles to for BigQuery, where the full GDELT archive is."""
    events = ibis.table(_EVENT_SCHEMA, name="events")
    spec = IndexSpec(dyad=DYAD, freq="month", front="fentanyl", per="event", sources=("gdelt2",))
    sql = ibis.to_sql(index_expr(events, spec), dialect="bigquery")
    sql = re.sub(r"ibis_bq_arr_contains_[a-z0-9]+", "ibis_bq_arr_contains_x", str(sql))
    snapshot = SNAPSHOTS / "index_month_fentanyl_bigquery.sql"
    if os.environ.get("DYADWATCH_UPDATE_SNAPSHOTS"):
        snapshot.write_text(str(sql) + "\n", encoding="utf-8")
    assert str(sql) + "\n" == snapshot.read_text(encoding="utf-8")


_EVENT_SCHEMA = {
    "event_id": "string",
    "source_system": "string",
    "event_date": "date",
    "source_country": "string",
    "target_country": "string",
    "source_sector": "string",
    "target_sector": "string",
    "plover_type": "string",
    "cameo_code": "string",
    "quad_class": "int8",
    "goldstein": "float64",
    "fronts": "array<string>",
    "place_country": "string",
    "n_sources": "int64",
    "event_cluster_id": "string",
}


def test_cli_contract_json_rows(fixture_store: Store, settings: Settings) -> None:
    fixture_store.close()
    args = ["--db", str(settings.db), "index", "--dyad", "USA-MEX", "--freq", "day"]
    empty = CliRunner().invoke(app, [*args, "--source", "gdelt2", "--format", "json"])
    assert empty.exit_code == 0, empty.output
    assert json.loads(empty.stdout) == []
    result = CliRunner().invoke(app, [*args, "--source", "icews", "--format", "json"])
    rows = json.loads(result.stdout)
    first = rows[0]
    assert {k: first[k] for k in ("period", "direction", "front", "events", "goldstein_sum")} == {
        "period": "2018-06-01",
        "direction": "MEX->USA",
        "front": "all",
        "events": 1,
        "goldstein_sum": -2.0,
    }
    assert all(isinstance(first[f"quad{k}"], int) for k in range(1, 5))


def test_cli_rejects_bad_options_with_exit_2(settings: Settings) -> None:
    # The CLI's choices are the library's Literals; Typer names the flag and the value.
    for flag, bad in [("--freq", "year"), ("--per", "row"), ("--weight", "x")]:
        result = CliRunner().invoke(app, ["--db", str(settings.db), "index", flag, bad])
        assert result.exit_code == 2, (flag, result.output)
        assert flag in result.stderr and repr(bad) in result.stderr
    for flag, bad in [("--backend", "spark"), ("--format", "xml")]:
        result = CliRunner().invoke(app, ["--db", str(settings.db), "alerts", flag, bad])
        assert result.exit_code == 2 and flag in result.stderr, (flag, result.output)


def test_option_literals_are_the_choices() -> None:
    assert PER == ("report", "event") and WEIGHTS == ("reports", "sources")
    assert tuple(FREQS) == typing.get_args(Freq) == ("day", "week", "month")
