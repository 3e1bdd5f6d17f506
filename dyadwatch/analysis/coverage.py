"""GDELT's coverage: how many events GDELT published on a day, to normalize its volume.

GDELT's volume grows and shrinks with the news it reads. When the store knows how many
events the GDELT files of a day held in all (``ingest_runs.n_read``, also for files
ingested with the dyad filter), an index row on a GDELT system gets ``coverage_events``
and ``per_1000``: its events per 1,000 GDELT events of the same period. The day of a
file is the date in its name (``20191024143000.export.CSV`` → 2019-10-24), so the
normalization is exact for events dated the day they were published and an
approximation for older SQLDATEs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

import pandas as pd

from dyadwatch.analysis.index import FREQS, IndexSpec
from dyadwatch.store import Store

GDELT_SYSTEMS = ("gdelt1", "gdelt2")
_DAY = re.compile(r"(?<!\d)(\d{8})(?:\d{6})?(?!\d)")


def gdelt_coverage(store: Store, system: str, freq: str) -> dict[str, int]:
    """Events GDELT published per period (ISO date of the period start), from file names."""
    rows = store.execute(
        "SELECT file_name, n_read FROM ingest_runs WHERE source_system = ? AND status = 'loaded'",
        [system],
    )
    totals: dict[str, int] = defaultdict(int)
    for name, n_read in rows:
        day = file_day(name)
        if day is not None:
            totals[_period_start(day, freq)] += int(n_read)
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


def _period_start(day: dt.date, freq: str) -> str:
    stamp = pd.Timestamp(day)
    unit = FREQS[freq]
    if unit == "W":
        stamp = stamp - pd.Timedelta(days=stamp.weekday())
    elif unit == "M":
        stamp = stamp.replace(day=1)
    return stamp.date().isoformat()
