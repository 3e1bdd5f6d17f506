"""Shared fixtures: the real data beside the checkout, and a fresh DuckDB store per test."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from wheel_support import WHEEL_JOB, WHEEL_TEST, start_wheel_job

from dyadwatch.records import EVENT_COLUMNS
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
GDELT_DIR = SHARED_DATA / "fixtures" / "gdelt"
GDELT2_EXPORT = GDELT_DIR / "20191024143000.export.CSV"
GDELT1_SAMPLE = GDELT_DIR / "gdelt1_events_sample_20160728.tsv"
GDELT2_MENTIONS = GDELT_DIR / "gdelt2_mentions_sample_20170701.csv"
# Real files several test modules load (../shared/data/README.md gives their provenance).
ICEWS = SHARED_DATA / "fixtures" / "icews" / "events.2018.sample.tab"
UCDP = SHARED_DATA / "indicators" / "ucdp_ged_mexico_1989_2023.csv.gz"
IMPMX = SHARED_DATA / "indicators" / "fred-mexico-trade" / "IMPMX_1985_2026.csv"
SESNSP = (
    SHARED_DATA
    / "indicators"
    / "sesnsp-mx"
    / "victims_state_month_homicide_kidnap_extortion_2015_2025.csv"
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db=tmp_path / "dw.duckdb", cache_dir=tmp_path / "cache")


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with open_store(settings.db) as opened:
        yield opened


def table_count(store: Store, table: str) -> int:
    return int(store.scalar(f"SELECT count(*) FROM {table}"))


def csv_text(rows: list[list[str]]) -> str:
    """Rows written as CSV with LF line ends, as test input files."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def stored_event(store: Store, source_system: str, record_id: str) -> dict[str, object]:
    """The one stored event of a source record, as column → value."""
    rows = store.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM events "
        "WHERE source_system = ? AND source_record_id = ?",
        [source_system, record_id],
    )
    assert len(rows) == 1
    return dict(zip(EVENT_COLUMNS, rows[0], strict=True))


def insert_events(store: Store, rows: list[dict[str, object]]) -> None:
    """Constructed events (test input, not data): a coded USA->MEX AGREE on 2025-02-03,
    asserted at confidence 0.9 (so it is counted), with each row's own values on top."""
    for i, row in enumerate(rows):
        base: dict[str, object] = {
            "event_id": f"t{i}",
            "source_system": "coded",
            "source_record_id": f"t{i}",
            "source_country": "USA",
            "target_country": "MEX",
            "quad_class": 1,
            "plover_type": "AGREE",
            "event_date": "2025-02-03",
            "confidence": 0.9,
            "factuality": "asserted",
        }
        base.update(row)
        names = ", ".join(base)
        marks = ", ".join("?" for _ in base)
        store.execute(f"INSERT INTO events ({names}) VALUES ({marks})", list(base.values()))


LANGS = {"whitehouse": "en", "mananera": "es"}


def insert_reading(
    store: Store,
    months: list[str],
    *,
    sources: tuple[str, ...] = ("whitehouse", "mananera"),
    documents: int = 2,
    sentences: int = 500,
) -> None:
    """Constructed coverage (test input, not data): for each month ``YYYY-MM`` and each
    document source, ``documents`` coded documents holding ``sentences`` sentences in all."""
    for month in months:
        for source in sources:
            for k in range(documents):
                doc_id = f"{source}-{month}-{k}"
                store.execute(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, NULL, 'constructed', NULL)",
                    [doc_id, source, f"{month}-{10 + k:02d}", LANGS.get(source, "en"), doc_id],
                )
                store.execute(
                    "INSERT INTO coded_documents VALUES (?, 'learned', 'test', ?, 0, now())",
                    [doc_id, sentences // documents],
                )


def cover_months(store: Store, first: str, last: str) -> None:
    """Constructed coverage of both sides (test input, not data) for every month from
    ``first`` to ``last`` (``YYYY-MM``), so that verdicts can judge those months."""
    import pandas as pd

    months = pd.date_range(f"{first}-01", f"{last}-01", freq="MS")
    insert_reading(store, [f"{m:%Y-%m}" for m in months])


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's real Chromium through Playwright, one for the whole session: a second
    sync Playwright cannot start while one runs, so every browser test shares this."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not at /usr/bin/chromium (.ci/run installs it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the wheel job (build, install, demo: minutes) now if its test will run."""
    if session.config.option.collectonly:
        return
    if any(item.path.name == WHEEL_TEST for item in session.items):
        session.config.stash[WHEEL_JOB] = start_wheel_job()


def pytest_sessionfinish(session: pytest.Session) -> None:
    job = session.config.stash.get(WHEEL_JOB, None)
    if job is not None:
        job.stop()
