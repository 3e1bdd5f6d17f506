"""Every number a page or briefing shows (index, coverage, evidence ranking, alerts and
verdicts) is identical on DuckDB and on a real local[2] Spark session.

The store holds real files: the GDELT 1.0 and 2.0 fixtures, the ICEWS sample, the GDELT 2.0
USA–MEX extract of 15 May – 14 Jun 2025 with its slice counts, the FRED imports series and
three real White House documents (``dyadwatch/data/demo``) with a few coded events citing
their sentences (constructed, as in ``tests/web_fixture.py``), and constructed coverage of
both sides for the months around them (``cover_months``: test input, not data). Every
parity test asserts that what it compares is not empty. The Spark tables are snapshotted
once for the module.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from coded_support import coded_events, wh_documents

from dyadwatch.analysis.alerts import alerts_as_dicts, find_alerts
from dyadwatch.analysis.coverage import add_coverage, gdelt_days
from dyadwatch.analysis.evidence import contributor_dict, documents_behind, top_events
from dyadwatch.analysis.index import IndexSpec, compute_index
from dyadwatch.analysis.reading import coded_sides, document_streams, load_reading
from dyadwatch.analysis.series import coverage, dyadic_systems
from dyadwatch.analysis.verdicts import (
    latest_month,
    monthly_verdicts,
    verdict_history,
    verdicts_as_dicts,
)
from dyadwatch.ingest import ingest_corpus, ingest_gdelt, ingest_icews, ingest_series
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store
from dyadwatch.store.spark import spark_events, spark_tables
from dyadwatch.store.synthetic import SYNTHETIC_SYSTEM, insert_synthetic_events
from dyadwatch.store.tables import Tables

from conftest import GDELT1_SAMPLE, GDELT2_EXPORT, IMPMX, SHARED_DATA, cover_months

pytestmark = pytest.mark.slow
DYAD = ("USA", "MEX")
SYNTHETIC_ROWS = 1_000_000
GDELT_2025 = SHARED_DATA / "fixtures" / "gdelt2_2025"
EXTRACT = GDELT_2025 / "usa_mex_2025-05-15_2025-06-14.export.CSV.gz"
SLICES = GDELT_2025 / "slice_counts.csv"
CODED_MONTH = dt.date(2021, 1, 1)  # the White House documents' month
BOTH_WAYS = [("USA", "MEX"), ("MEX", "USA")]


@pytest.fixture(scope="module")
def spark_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp("spark")
    settings = Settings(db=folder / "fixtures.duckdb", cache_dir=folder / "cache")
    yield settings
    from dyadwatch.store.spark import spark_session

    spark_session(settings).stop()


@pytest.fixture(scope="module")
def fixture_db(spark_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with open_store(spark_settings.db) as store:
        for path in (GDELT1_SAMPLE, GDELT2_EXPORT, EXTRACT):
            ingest_gdelt(store, path, settings=spark_settings)
        ingest_icews(
            store, SHARED_DATA / "fixtures/icews/events.2018.sample.tab", settings=spark_settings
        )
        for series in (SLICES, IMPMX):
            ingest_series(store, series, settings=spark_settings)
        ingest_corpus(store, wh_documents(tmp_path_factory.mktemp("docs")), settings=spark_settings)
        coded_events(store, spark_settings)
        cover_months(store, "2020-01", "2021-01")
    return spark_settings.db


@pytest.fixture(scope="module")
def spark(fixture_db: Path, spark_settings: Settings) -> Tables:
    """The fixture store's tables on Spark, snapshotted once for the module."""
    with open_store(fixture_db) as store:
        return spark_tables(store, spark_settings)


@pytest.fixture
def duck(fixture_db: Path) -> Iterator[Store]:
    with open_store(fixture_db) as store:
        yield store


SPECS = [
    IndexSpec(dyad=("USA", "SYR"), freq="day", sources=("gdelt2",)),  # 10 rows in the file
    IndexSpec(dyad=DYAD, freq="day"),
    IndexSpec(dyad=DYAD, freq="week", own=True, weight="sources"),
    IndexSpec(dyad=DYAD, freq="month", own=True, combine=True, per="event"),
    IndexSpec(dyad=("USA", "CAN"), freq="month", front="cooperation"),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.dyad[1]}-{s.freq}-{s.per}-{s.own}")
def test_real_fixtures_identical_on_spark(duck: Store, spark: Tables, spec: IndexSpec) -> None:
    expected = add_coverage(duck, compute_index(duck.ibis.table("events"), spec), spec)
    got = add_coverage(spark, compute_index(spark.events, spec), spec)
    assert expected, "nothing to compare: every spec must select rows of the real fixtures"
    assert got == expected


def test_gdelt_coverage_of_the_extract_identical_on_spark(duck: Store, spark: Tables) -> None:
    spec = IndexSpec(dyad=DYAD, freq="week", sources=("gdelt2",))
    expected = add_coverage(duck, compute_index(duck.ibis.table("events"), spec), spec)
    assert [r for r in expected if r["per_1000"]], "no row normalised by GDELT's reading"
    assert add_coverage(spark, compute_index(spark.events, spec), spec) == expected


def _periods(found: dict[str, Any]) -> dict[str, list[Any]]:
    return {system: list(periods) for system, periods in found.items()}


@pytest.mark.parametrize("freq", ["day", "week", "month"])
def test_coverage_identical_on_spark(duck: Store, spark: Tables, freq: Any) -> None:
    expected = _periods(coverage(duck, freq))
    assert {"coded", "gdelt1", "gdelt2", "icews"} <= set(expected)
    assert all(expected.values())
    assert _periods(coverage(spark, freq)) == expected


def test_reading_identical_on_spark(duck: Store, spark: Tables, spark_settings: Settings) -> None:
    days = gdelt_days(duck)
    assert len(days) > 30  # the extract's days, from its slices' counts
    assert gdelt_days(spark) == days
    reading = load_reading(duck, spark_settings)
    assert {"coded:USA", "coded:MEX", "gdelt2", "icews"} <= set(reading.streams())
    assert load_reading(spark, spark_settings) == reading
    streams = document_streams(duck, reading)
    assert streams and document_streams(spark, reading) == streams
    sides = coded_sides(duck, spark_settings, dt.date(2020, 1, 1))
    assert sides and coded_sides(spark, spark_settings, dt.date(2020, 1, 1)) == sides
    assert dyadic_systems(duck, DYAD) and dyadic_systems(spark, DYAD) == dyadic_systems(duck, DYAD)
    assert latest_month(duck, spark_settings) == CODED_MONTH
    assert latest_month(spark, spark_settings) == CODED_MONTH


EVIDENCE = [  # (measure, front, first day, last day)
    ("events", None, CODED_MONTH, dt.date(2021, 1, 31)),  # the coded White House events
    ("conflict", None, dt.date(2025, 5, 15), dt.date(2025, 6, 14)),
    ("cooperation", "trade", dt.date(2025, 5, 15), dt.date(2025, 6, 14)),
    ("net_cooperation", "fentanyl", dt.date(2025, 6, 1), dt.date(2025, 6, 14)),
]


@pytest.mark.parametrize("case", EVIDENCE, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]:%Y-%m}")
def test_evidence_ranking_identical_on_spark(
    duck: Store, spark: Tables, case: tuple[str, str | None, dt.date, dt.date]
) -> None:
    measure, front, start, end = case
    window: dict[str, Any] = {"directions": BOTH_WAYS, "start": start, "end": end, "front": front}
    expected = [contributor_dict(e) for e in top_events(duck, measure=measure, **window)]
    assert len(expected) >= 3
    assert [contributor_dict(e) for e in top_events(spark, measure=measure, **window)] == expected
    behind = documents_behind(duck, **window)
    assert behind >= 3 and documents_behind(spark, **window) == behind


def test_coded_evidence_links_its_documents_on_spark(spark: Tables) -> None:
    found = top_events(spark, directions=BOTH_WAYS, start=CODED_MONTH, end=dt.date(2021, 1, 31))
    assert found and all(e.doc_title and e.url for e in found)


def test_alerts_identical_on_spark(duck: Store, spark: Tables, spark_settings: Settings) -> None:
    monthly = alerts_as_dicts(find_alerts(duck, spark_settings))
    assert monthly and any(a["events"] for a in monthly)  # indicator alerts, with context
    assert alerts_as_dicts(find_alerts(duck, spark_settings, tables=spark)) == monthly
    since = dt.date(2025, 6, 10)  # the extract's last days: event alerts with drivers
    daily = alerts_as_dicts(find_alerts(duck, spark_settings, freq="day", since=since))
    assert daily and all(a["kind"] == "events" and a["events"] for a in daily)
    spark_daily = find_alerts(duck, spark_settings, freq="day", since=since, tables=spark)
    assert alerts_as_dicts(spark_daily) == daily


def test_one_million_synthetic_events_identical_on_spark(
    spark_settings: Settings, tmp_path: Path
) -> None:
    """SYNTHETIC volume (generated, not real), to show parity at scale."""
    with open_store(tmp_path / "synthetic.duckdb") as store:
        insert_synthetic_events(store, SYNTHETIC_ROWS)
        assert store.scalar("SELECT count(*) FROM events") == SYNTHETIC_ROWS
        spark = spark_events(store, spark_settings)
        for spec in (
            IndexSpec(dyad=DYAD, freq="month", sources=(SYNTHETIC_SYSTEM,)),
            IndexSpec(dyad=DYAD, freq="week", own=True, per="event", front="trade"),
        ):
            duck_rows = compute_index(store.ibis.table("events"), spec)
            assert len(duck_rows) > 100
            assert compute_index(spark, spec) == duck_rows


def test_verdicts_identical_on_spark(duck: Store, spark: Tables, spark_settings: Settings) -> None:
    expected = verdicts_as_dicts(monthly_verdicts(duck, spark_settings, CODED_MONTH))
    assert any(v["judged"] or v["events"] for v in expected)
    assert sum(len(v["events"]) for v in expected) >= 3  # evidence cited
    got = monthly_verdicts(duck, spark_settings, CODED_MONTH, tables=spark)
    assert verdicts_as_dicts(got) == expected
    june = dt.date(2018, 6, 1)  # the ICEWS month: counts from Spark's events alone
    expected = verdicts_as_dicts(monthly_verdicts(duck, spark_settings, june))
    assert expected
    assert verdicts_as_dicts(monthly_verdicts(duck, spark_settings, june, events=spark.events)) == (
        expected
    )


def test_verdict_history_identical_on_spark(
    duck: Store, spark: Tables, spark_settings: Settings
) -> None:
    first = dt.date(2020, 10, 1)
    history = verdicts_as_dicts(verdict_history(duck, spark_settings, first, CODED_MONTH))
    assert len(history) == 4 * 7 and any(v["numbers"] for v in history)
    got = verdict_history(duck, spark_settings, first, CODED_MONTH, tables=spark)
    assert verdicts_as_dicts(got) == history


def test_cli_backend_pyspark_gives_the_duckdb_answers(
    fixture_db: Path, spark_settings: Settings
) -> None:
    from typer.testing import CliRunner

    from dyadwatch.cli.app import app

    env = {"DYADWATCH_CACHE_DIR": str(spark_settings.cache_dir)}
    base = ["--db", str(fixture_db), "verdicts", "--month", "2021-01", "--format", "json"]
    answers = {}
    for backend in ("duckdb", "pyspark"):
        result = CliRunner().invoke(app, [*base, "--backend", backend], env=env)
        assert result.exit_code == 0, result.output
        answers[backend] = json.loads(result.stdout)
    assert any(v["events"] for v in answers["duckdb"])
    assert answers["pyspark"] == answers["duckdb"]


def test_snapshot_is_reused_until_the_store_changes(
    fixture_db: Path, spark_settings: Settings, store: Store
) -> None:
    from dyadwatch.store.spark import snapshot_events

    folder = spark_settings.cache_dir / "snapshots-test"
    with open_store(fixture_db) as other:
        others = snapshot_events(other, folder)  # another store sharing the folder
    first = snapshot_events(store, folder)
    assert snapshot_events(store, folder) == first
    insert_synthetic_events(store, 10)  # SYNTHETIC rows, to change the store
    second = snapshot_events(store, folder)
    assert second != first
    insert_synthetic_events(store, 10)
    third = snapshot_events(store, folder)
    # the newest two of this store are kept, the oldest is gone, the other store's stays
    assert sorted(folder.glob("*.parquet")) == sorted([others, second, third])


def test_spark_tables_are_snapshots_reused_and_without_texts(
    fixture_db: Path, spark: Tables, spark_settings: Settings
) -> None:
    import pyarrow.parquet as pq

    from dyadwatch.store.tables import TABLE_COLUMNS

    folder = spark_settings.cache_dir / "spark"
    before = sorted(p.name for p in folder.glob("*.parquet"))
    assert {name.split("-")[0] for name in before} >= set(TABLE_COLUMNS)
    with open_store(fixture_db) as store:
        spark_tables(store, spark_settings)
    assert sorted(p.name for p in folder.glob("*.parquet")) == before  # reused, not rewritten
    documents = next(folder.glob("documents-*.parquet"))
    assert "text" not in pq.read_schema(documents).names
    assert spark.documents.count().to_pyarrow().as_py() > 3
