"""The newest date the store holds for every source, the raw input of freshness.

One row per events ``source_system``, per indicator ``series`` and per document
``source``. Judging whether a source is stale (its cadence, the clock) belongs to
:mod:`dyadwatch.analysis.freshness`, not here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dyadwatch.store.connection import Store

TABLES = ("events", "indicators", "documents")

LATEST_SQL = """
SELECT 'events' AS tbl, source_system AS key, max(event_date) AS latest, count(*) AS n
FROM events WHERE event_date <= ? GROUP BY source_system
UNION ALL
SELECT 'indicators', series, max(period), count(*)
FROM indicators WHERE period <= ? GROUP BY series
UNION ALL
SELECT 'documents', source, max(date), count(*)
FROM documents WHERE date <= ? GROUP BY source
ORDER BY 1, 2
"""


@dataclass(frozen=True, slots=True)
class LatestDate:
    """The newest dated row of one key of one table: an events source system, an
    indicator series (its ``period``: the first day of a month) or a document source."""

    table: str
    key: str
    latest: dt.date
    rows: int


def latest_dates(store: Store, *, until: dt.date) -> tuple[LatestDate, ...]:
    """The newest date per source in each table, ignoring rows dated after ``until`` (a
    mistyped future date must not make a source look current). ``rows`` counts the rows
    on or before ``until``."""
    found = store.execute(LATEST_SQL, [until, until, until])
    return tuple(LatestDate(table, key, _day(latest), int(n)) for table, key, latest, n in found)


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
