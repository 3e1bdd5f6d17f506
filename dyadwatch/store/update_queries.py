"""What ``dyadwatch update`` asks the store: where each source stands.

- :func:`latest_event_date`: the newest event date of an events source system;
- :func:`latest_period`: the newest month of the indicator series matching patterns;
- :func:`latest_gdelt_file`: the newest GDELT 15-minute file loaded (by its name).

Dates after ``until`` are ignored, so that one mistyped future date cannot make a source
look current (the freshness page does the same, :mod:`dyadwatch.store.freshness`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dyadwatch.store.connection import Store

GDELT_FILE_NAME = r"^\d{14}\."  # 20250601234500.export.CSV.zip


def latest_event_date(store: Store, source_system: str, *, until: dt.date) -> dt.date | None:
    """The newest ``event_date`` of ``source_system`` on or before ``until``."""
    return _day(
        store.scalar(
            "SELECT max(event_date) FROM events WHERE source_system = ? AND event_date <= ?",
            [source_system, until],
        )
    )


def latest_period(store: Store, patterns: Sequence[str], *, until: dt.date) -> dt.date | None:
    """The newest ``period`` of the indicator series matching any of the SQL LIKE
    ``patterns`` (``cbp-encounters%``), on or before ``until``."""
    if not patterns:
        return None
    likes = " OR ".join("series LIKE ?" for _ in patterns)
    return _day(
        store.scalar(
            f"SELECT max(period) FROM indicators WHERE ({likes}) AND period <= ?",
            [*patterns, until],
        )
    )


def latest_gdelt_file(store: Store, source_systems: Sequence[str]) -> str | None:
    """The name of the newest loaded GDELT 15-minute file (``YYYYMMDDHHMMSS.*``) of any of
    ``source_systems``; files with other names (extracts) are not counted."""
    if not source_systems:
        return None
    marks = ", ".join("?" for _ in source_systems)
    value = store.scalar(
        f"SELECT max(file_name) FROM ingest_runs WHERE status = 'loaded' "
        f"AND source_system IN ({marks}) AND regexp_matches(file_name, ?)",
        [*source_systems, GDELT_FILE_NAME],
    )
    return str(value) if value is not None else None


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value
