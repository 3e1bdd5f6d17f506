"""The demo's GDELT 2.0 extract (15 May - 14 Jun 2025): its days and its reading come from
its slices' counts, not from its one file's name or its pre-filtered row count.

Real files: ``fixtures/gdelt2_2025/usa_mex_2025-05-15_2025-06-14.export.CSV.gz`` (12,962
events with Mexico), ``slice_counts.csv`` (1,184 replayed slices) and the 40 full slices of
2025-06-01, all from ``shared/data`` (amadkins88/shouldiflee-clean; see SOURCES.tsv).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from dyadwatch.analysis.coverage import gdelt_coverage, gdelt_days
from dyadwatch.analysis.reading import MIN_DAYS, load_reading
from dyadwatch.ingest import ingest_gdelt, ingest_series
from dyadwatch.settings import Settings
from dyadwatch.store import Store

GDELT_2025 = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fixtures" / ("gdelt2_2025")
)
EXTRACT = GDELT_2025 / "usa_mex_2025-05-15_2025-06-14.export.CSV.gz"
SLICES = GDELT_2025 / "slice_counts.csv"
MAY, JUNE = dt.date(2025, 5, 1), dt.date(2025, 6, 1)


def _slice_rows() -> list[dict[str, str]]:
    with SLICES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _per_month(key: str) -> dict[dt.date, int]:
    totals: dict[dt.date, int] = defaultdict(int)
    for row in _slice_rows():
        month = dt.date(int(row["slice_ts"][:4]), int(row["slice_ts"][4:6]), 1)
        totals[month] += int(row[key]) if key else 1
    return dict(totals)


@pytest.fixture
def extract_store(store: Store, settings: Settings) -> Store:
    report = ingest_gdelt(store, EXTRACT, settings=settings)
    counts = (report.read, report.loaded, report.duplicates, report.quarantined, report.filtered)
    assert counts == (12962, 12962, 0, 0, 0) and report.balanced
    ingest_series(store, SLICES, settings=settings)
    return store


def test_the_extract_holds_each_slices_mexico_rows() -> None:
    """The data, checked: per day of DATEADDED, the extract's events are the slices' mex_rows."""
    with gzip.open(EXTRACT, "rt", encoding="utf-8", newline="") as handle:
        added = Counter(line.split("\t")[59][:8] for line in handle)
    expected: Counter[str] = Counter()
    for row in _slice_rows():
        expected[row["slice_ts"][:8]] += int(row["mex_rows"])
    assert +expected == added and sum(added.values()) == 12962


def test_extract_days_and_reading_come_from_its_slices(extract_store: Store, settings: Settings):
    reading = load_reading(extract_store, settings)
    may, june = reading.row("gdelt2", MAY), reading.row("gdelt2", JUNE)
    assert may is not None and june is not None
    slices, events = _per_month(""), _per_month("rows")
    # May: 15-31 (17 days), June: 1-14 (14 days); both under MIN_DAYS, so neither covered
    days = {
        m: {d for (s, d) in gdelt_days(extract_store) if s == "gdelt2" and d >= m}
        for m in (MAY, JUNE)
    }
    assert len(days[JUNE]) == 14 and len(days[MAY] - days[JUNE]) == 17
    assert MIN_DAYS == 20 and not may.covered and not june.covered
    assert (may.documents, may.units) == (slices[MAY], events[MAY])
    assert (june.documents, june.units) == (slices[JUNE], events[JUNE])
    assert may.units + june.units == 1_461_286  # GDELT's volume, not the 12,962 kept
    assert gdelt_coverage(extract_store, "gdelt2", "month") == {
        "2025-05-01": events[MAY],
        "2025-06-01": events[JUNE],
    }


def test_slice_counts_alone_are_not_reading(store: Store, settings: Settings) -> None:
    """Without the events of those slices in the store, GDELT read nothing there."""
    ingest_series(store, SLICES, settings=settings)
    assert gdelt_days(store) == {}
    assert not load_reading(store, settings).knows("gdelt2")


def test_a_day_known_by_full_files_and_by_slice_counts_is_read_once(
    extract_store: Store, settings: Settings
) -> None:
    before = gdelt_days(extract_store)[("gdelt2", JUNE)]
    assert (before.files, before.events) == (40, 30436)
    for path in sorted(GDELT_2025.glob("20250601*.export.CSV.zip")):
        ingest_gdelt(extract_store, path, settings=settings, dyad_only=True)
    after = gdelt_days(extract_store)[("gdelt2", JUNE)]
    assert (after.files, after.events) == (40, 30436)  # the same 40 slices, not 80
    assert (
        load_reading(extract_store, settings).row("gdelt2", JUNE).units == _per_month("rows")[JUNE]
    )
