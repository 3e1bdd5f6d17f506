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
from dyadwatch.store.reading import added_days, daily_values, loaded_files

GDELT_SYSTEMS = ("gdelt1", "gdelt2")
_DAY = re.compile(r"(?<!\d)(\d{8})(?:\d{6})?(?!\d)")


@dataclass(frozen=True, slots=True)
class DayRead:
    """What a GDELT system read on one day: its 15-minute (or daily) files and their events."""

    files: int
    events: int


def gdelt_days(store: Store) -> dict[tuple[str, dt.date], DayRead]:
    """Per (system, day): the files GDELT published that the store read, and their events."""
    days: dict[tuple[str, dt.date], DayRead] = {}
    for system, name, n_read in loaded_files(store, GDELT_SYSTEMS):
        day = file_day(name)
        if day is not None:
            seen = days.get((system, day), DayRead(0, 0))
            days[(system, day)] = DayRead(seen.files + 1, seen.events + n_read)
    for key, volume in _published(store).items():
        known = days.get(key)
        days[key] = volume if known is None else _larger(known, volume)
    return days


def _published(store: Store) -> dict[tuple[str, dt.date], DayRead]:
    """The slice counts' days, where the store holds events added that day."""
    names = {
        name: (system, i)
        for system, pair in GDELT_VOLUME_SERIES.items()
        for i, name in enumerate(pair)
    }
    values: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for series, day, value in daily_values(store, tuple(names)):
        system, position = names[series]
        values[(system, day)][position] += int(value)
    added = added_days(store, tuple(GDELT_VOLUME_SERIES))
    return {key: DayRead(files, events) for key, (events, files) in values.items() if key in added}


def _larger(a: DayRead, b: DayRead) -> DayRead:
    return DayRead(max(a.files, b.files), max(a.events, b.events))


def gdelt_coverage(store: Store, system: str, freq: Freq) -> dict[str, int]:
    """Events GDELT published per period (ISO date of the period start), from file names
    and, for extracts, the slices' counts (:func:`gdelt_days`)."""
    totals: dict[str, int] = defaultdict(int)
    for (name, day), read in gdelt_days(store).items():
        if name == system:
            totals[_period_start(day, freq)] += read.events
    return dict(totals)


def add_coverage(store: Store, rows: list[dict[str, Any]], spec: IndexSpec) -> list[dict[str, Any]]:
    """Add ``coverage_events`` and ``per_1000`` to rows of a single GDELT system."""
    cache: dict[str, dict[str, int]] = {}
    for row in rows:
        system = row["source"]
        if system not in GDELT_SYSTEMS:
            continue
        totals = cache.setdefault(system, gdelt_coverage(store, system, spec.freq))
        total = totals.get(row["period"])
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
