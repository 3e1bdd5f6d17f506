"""The index gives identical results on DuckDB and on a real local[2] Spark session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.analysis.index import IndexSpec, compute_index
from dyadwatch.analysis.verdicts import monthly_verdicts, verdicts_as_dicts
from dyadwatch.ingest import ingest_gdelt, ingest_icews
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store
from dyadwatch.store.spark import spark_events
from dyadwatch.store.synthetic import SYNTHETIC_SYSTEM, insert_synthetic_events

from conftest import GDELT1_SAMPLE, GDELT2_EXPORT, SHARED_DATA

pytestmark = pytest.mark.slow
DYAD = ("USA", "MEX")
SYNTHETIC_ROWS = 1_000_000


@pytest.fixture(scope="module")
def spark_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp("spark")
    settings = Settings(db=folder / "fixtures.duckdb", cache_dir=folder / "cache")
    yield settings
    from dyadwatch.store.spark import spark_session

    spark_session(settings).stop()


@pytest.fixture(scope="module")
def fixture_db(spark_settings: Settings) -> Path:
    with open_store(spark_settings.db) as store:
        for path in (GDELT1_SAMPLE, GDELT2_EXPORT):
            ingest_gdelt(store, path, settings=spark_settings)
        ingest_icews(
            store, SHARED_DATA / "fixtures/icews/events.2018.sample.tab", settings=spark_settings
        )
    return spark_settings.db


SPECS = [
    IndexSpec(dyad=("USA", "SYR"), freq="day", sources=("gdelt2",)),  # 10 rows in the file
    IndexSpec(dyad=DYAD, freq="day"),
    IndexSpec(dyad=DYAD, freq="week", own=True, weight="sources"),
    IndexSpec(dyad=DYAD, freq="month", own=True, combine=True, per="event"),
    IndexSpec(dyad=("USA", "CAN"), freq="month", front="cooperation"),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.dyad[1]}-{s.freq}-{s.per}-{s.own}")
def test_real_fixtures_identical_on_spark(
    fixture_db: Path, spark_settings: Settings, spec: IndexSpec
) -> None:
    with open_store(fixture_db) as store:
        duck = compute_index(store.ibis.table("events"), spec)
        spark = compute_index(spark_events(store, spark_settings), spec)
    assert duck, "nothing to compare: every spec must select rows of the real fixtures"
    assert spark == duck


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


def test_verdicts_identical_on_spark(fixture_db: Path, spark_settings: Settings) -> None:
    import datetime as dt

    with open_store(fixture_db) as store:
        month = dt.date(2018, 6, 1)
        duck = verdicts_as_dicts(monthly_verdicts(store, spark_settings, month))
        spark = verdicts_as_dicts(
            monthly_verdicts(
                store, spark_settings, month, events=spark_events(store, spark_settings)
            )
        )
    assert spark == duck


def test_snapshot_is_reused_until_the_store_changes(
    fixture_db: Path, spark_settings: Settings, store: Store
) -> None:
    from dyadwatch.store.spark import snapshot_events

    folder = spark_settings.cache_dir / "snapshots-test"
    first = snapshot_events(store, folder)
    assert snapshot_events(store, folder) == first
    insert_synthetic_events(store, 10)
    assert snapshot_events(store, folder) != first
