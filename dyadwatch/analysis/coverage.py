"""GDELT's coverage: how many events GDELT published on a day, to normalize its volume.

GDELT's volume grows and shrinks with the news it reads. When the store knows how many
events the GDELT files of a day held in all (``ingest_runs.n_read``, also for files
ingested with the dyad filter), an index row on a GDELT system gets ``coverage_events``
and ``per_1000``: its events per 1,000 GDELT events of the same period. The day of a
file is the date in its name (``20191024143000.export.CSV`` → 2019-10-24), so the
normalization is exact for events dated the day they were published and an
approximation for older SQLDATEs.

**Extracts.** A file that kept only some of GDELT's events (the demo's
``usa_mex_2025-05-15_2025-06-14.export.CSV.gz``: events with Mexico, from 1,184 slices) has
no day in its name, and its ``n_read`` is what it kept, not what GDELT published. Its days
and volume come from the slices' own counts instead, loaded as the daily series of
:data:`dyadwatch.sources.series.GDELT_VOLUME_SERIES` (layout ``gdelt-slice-counts``): a day
of that series counts when the store holds events of the system added that day (the
extract's events are). Where a day is known both ways (the 40 full files of 2025-06-01 and
the slice counts), the larger count of files and of events is kept: both count the same
slices, and the larger knows more of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyadwatch.analysis.index import FREQS, Freq, IndexSpec
from dyadwatch.sources.series import GDELT_VOLUME_SERIES
from dyadwatch.store import Store
from dyadwatch.store.events import added_days
from dyadwatch.store.reading import daily_values, loaded_files
from dyadwatch.store.tables import Tables, tables_of

GDELT_SYSTEMS = ("gdelt1", "gdelt2")
_DAY = re.compile(r"(?<!\d)(\d{8})(?:\d{6})?(?!\d)")


@dataclass(frozen=True, slots=True)
class DayRead:
    """What a GDELT system read on one day: its 15-minute (or daily) files and their events."""

    files: int
    events: int


def gdelt_days(source: Store | Tables) -> dict[tuple[str, dt.date], DayRead]:
    """Per (system, day): the files GDELT published that the store read, and their events.
    ``source``: a store (its DuckDB tables) or the tables on another backend."""
    tables = tables_of(source)
    days: dict[tuple[str, dt.date], DayRead] = {}
    files = loaded_files(tables.ingest_runs, GDELT_SYSTEMS).to_pyarrow().to_pylist()
    for row in files:
        day = file_day(str(row["file_name"]))
        if day is not None:
            key = (str(row["system"]), day)
            seen = days.get(key, DayRead(0, 0))
            days[key] = DayRead(seen.files + 1, seen.events + int(row["n_read"]))
    for key, volume in _published(tables).items():
        known = days.get(key)
        days[key] = volume if known is None else _larger(known, volume)
    return days


def _published(tables: Tables) -> dict[tuple[str, dt.date], DayRead]:
    """The slice counts' days, where the store holds events added that day."""
    names = {
        name: (system, i)
        for system, pair in GDELT_VOLUME_SERIES.items()
        for i, name in enumerate(pair)
    }
    values: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for row in daily_values(tables.indicators, tuple(names)).to_pyarrow().to_pylist():
        system, position = names[str(row["series"])]
        values[(system, as_date(row["day"]))][position] += int(row["value"])
    added_rows = added_days(tables.events, tuple(GDELT_VOLUME_SERIES)).to_pyarrow().to_pylist()
    added = {(str(row["system"]), as_date(row["day"])) for row in added_rows}
    return {key: DayRead(files, events) for key, (events, files) in values.items() if key in added}


def as_date(value: dt.date) -> dt.date:
    """A date from a backend's date or timestamp value."""
    return value.date() if isinstance(value, dt.datetime) else value


def _larger(a: DayRead, b: DayRead) -> DayRead:
    return DayRead(max(a.files, b.files), max(a.events, b.events))


def gdelt_coverage(source: Store | Tables, system: str, freq: Freq) -> dict[str, int]:
    """Events GDELT published per period (ISO date of the period start), from file names
    and, for extracts, the slices' counts (:func:`gdelt_days`)."""
    return _period_totals(gdelt_days(source), system, freq)


def _period_totals(
    days: dict[tuple[str, dt.date], DayRead], system: str, freq: Freq
) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for (name, day), read in days.items():
        if name == system:
            totals[_period_start(day, freq)] += read.events
    return dict(totals)


def add_coverage(
    source: Store | Tables, rows: list[dict[str, Any]], spec: IndexSpec
) -> list[dict[str, Any]]:
    """Add ``coverage_events`` and ``per_1000`` to rows of a single GDELT system."""
    days: dict[tuple[str, dt.date], DayRead] | None = None  # read once, when first needed
    cache: dict[str, dict[str, int]] = {}
    for row in rows:
        system = row["source"]
        if system not in GDELT_SYSTEMS:
            continue
        if system not in cache:
            days = gdelt_days(source) if days is None else days
            cache[system] = _period_totals(days, system, spec.freq)
        total = cache[system].get(row["period"])
        row["coverage_events"] = total
        row["per_1000"] = round(1000 * row["events"] / total, 4) if total else None
    return rows


def file_day(name: str) -> dt.date | None:
    """The day in a GDELT file's name (``20191024143000.export.CSV`` → 2019-10-24)."""
    match = _DAY.search(name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def _period_start(day: dt.date, freq: Freq) -> str:
    stamp = pd.Timestamp(day)
    unit = FREQS[freq]
    if unit == "W":
        stamp = stamp - pd.Timedelta(days=stamp.weekday())
    elif unit == "M":
        stamp = stamp.replace(day=1)
    return stamp.date().isoformat()
