"""Forecast targets on the demo's bundled files: each panel ends at its source's last month.

The store holds the demo's real indicator files and UCDP events (``dyadwatch/data/demo``),
ingested through the demo's own manifest; the corpora are left out (coding is slow, and
no target here reads them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

import pandas as pd
import pytest

from dyadwatch.forecast.publish import forecast_target
from dyadwatch.forecast.targets import NATIONAL_CRIMES, load_target
from dyadwatch.ingest import demo_files, ingest_series, ingest_ucdp
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store

INGESTERS = {"series": ingest_series, "ucdp": ingest_ucdp}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Settings]]:
    folder = tmp_path_factory.mktemp("targets")
    settings = Settings(db=folder / "targets.duckdb", cache_dir=folder / "cache")
    with open_store(settings.db) as store:
        for demo in demo_files():
            if demo.kind in INGESTERS:
                with as_file(files("dyadwatch") / "data" / "demo" / demo.name) as path:
                    report = INGESTERS[demo.kind](store, Path(path), settings=settings)
                    assert report.balanced, demo.name
        yield store, settings


def _last(store: Store, sql: str) -> pd.Timestamp:
    return pd.Timestamp(store.scalar(sql))


@pytest.mark.parametrize(
    ("target", "source_sql", "month"),
    [
        (
            "border-encounters",
            "SELECT max(period) FROM indicators WHERE series = 'cbp-encounters'",
            "2025-11",
        ),
        (
            "mx-state-homicides",
            "SELECT max(period) FROM indicators WHERE series LIKE 'sesnsp-victims-%'",
            "2025-06",
        ),
        (
            "mx-national-crimes",
            "SELECT max(period) FROM indicators WHERE series LIKE 'sesnsp-crimes-%'",
            "2026-08",
        ),
        (
            "mx-state-violence",
            "SELECT date_trunc('month', max(event_date)) FROM events WHERE source_system = 'ucdp'",
            "2023-12",
        ),
    ],
)
def test_each_target_ends_at_its_sources_last_month(
    demo_store: tuple[Store, Settings], target: str, source_sql: str, month: str
) -> None:
    store, settings = demo_store
    panel = load_target(store, target, settings=settings).panel
    assert panel.index[-1] == _last(store, source_sql) == pd.Timestamp(f"{month}-01")


def test_a_forecast_starts_from_the_last_month(demo_store: tuple[Store, Settings]) -> None:
    store, settings = demo_store
    data = load_target(store, "border-encounters", settings=settings)
    published = forecast_target(data, model="no_change", horizon=3)
    assert published.origin == dt.date(2025, 11, 1)
    assert [r.period for r in published.rows] == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_national_crimes_target_says_its_unit_and_break(demo_store: tuple[Store, Settings]):
    store, settings = demo_store
    data = load_target(store, "mx-national-crimes", settings=settings)
    assert list(data.panel.columns) == sorted(NATIONAL_CRIMES)
    assert data.panel.index[0] == pd.Timestamp("2015-01-01") and len(data.panel) == 140
    assert "not victims" in data.note and "January 2026" in data.note and "RNID" in data.note
    assert data.target.unit_label == "registered crimes"
    # the real value of the last month, as in the JSON's homicidio-doloso series
    assert data.panel.loc["2026-08-01", "homicidio-doloso"] == 1302
