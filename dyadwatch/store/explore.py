"""Small reads for the dashboard: the store's fingerprint, one event, one document, and
events and fatalities by first-level subdivision."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from dyadwatch.records import EVENT_COLUMNS
from dyadwatch.store.connection import Store


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What changes when the store does: the file, the latest ingest, the coded documents,
    the latest forecast or backtest."""

    inode: int
    last_ingest: str
    coded_documents: int
    events_estimate: int
    last_forecast: str = ""


def store_fingerprint(store: Store) -> Fingerprint:
    """A cheap fingerprint: metadata reads only, no scan of ``events``."""
    try:
        inode = os.stat(store.path).st_ino
    except OSError:
        inode = -1
    last = store.scalar("SELECT max(coalesce(finished, started)) FROM ingest_runs")
    coded = store.scalar("SELECT count(*) FROM coded_documents")
    estimate = store.scalar(
        "SELECT estimated_size FROM duckdb_tables() WHERE table_name = 'events' "
        "AND schema_name = 'main'"
    )
    forecast = store.scalar(
        "SELECT greatest((SELECT max(made_at) FROM forecasts), "
        "(SELECT max(run_at) FROM backtest_scores))"
    )
    return Fingerprint(inode, str(last), int(coded or 0), int(estimate or 0), str(forecast))


def event_row(store: Store, event_id: str) -> dict[str, Any] | None:
    """Every column of one event, or None."""
    rows = store.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE event_id = ? LIMIT 1", [event_id]
    )
    return dict(zip(EVENT_COLUMNS, rows[0], strict=True)) if rows else None


def ingest_run(store: Store, run_id: str) -> dict[str, Any] | None:
    """The ingest run that loaded a row: source, file and when."""
    rows = store.execute(
        "SELECT run_id, source_system, file_name, started, finished, status FROM ingest_runs "
        "WHERE run_id = ? LIMIT 1",
        [run_id],
    )
    keys = ("run_id", "source_system", "file_name", "started", "finished", "status")
    return dict(zip(keys, rows[0], strict=True)) if rows else None


def document_row(store: Store, doc_id: str) -> dict[str, Any] | None:
    """One stored document (text included), or None."""
    rows = store.execute(
        "SELECT doc_id, source, date, lang, title, url, text, ingest_run_id FROM documents "
        "WHERE doc_id = ? LIMIT 1",
        [doc_id],
    )
    keys = ("doc_id", "source", "date", "lang", "title", "url", "text", "ingest_run_id")
    return dict(zip(keys, rows[0], strict=True)) if rows else None


def document_events(store: Store, doc_id: str, *, limit: int = 500) -> list[dict[str, Any]]:
    """The events coded from one document, with their evidence sentences."""
    rows = store.execute(
        "SELECT event_id, event_date, plover_type, source_country, target_country, evidence "
        "FROM events WHERE doc_id = ? ORDER BY event_id LIMIT ?",
        [doc_id, limit],
    )
    keys = ("event_id", "event_date", "plover_type", "source_country", "target_country", "evidence")
    return [dict(zip(keys, row, strict=True)) for row in rows]


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """Events and fatalities at one stored (country, admin1) pair."""

    country: str
    admin1: str
    events: int
    fatalities: int


def admin1_counts(
    store: Store,
    countries: tuple[str, ...],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[PlaceCount]:
    """Events and fatalities per stored admin1 value in ``countries`` (values as stored)."""
    marks = ", ".join("?" for _ in countries)
    where = [f"place_country IN ({marks})", "admin1 IS NOT NULL"]
    params: list[Any] = list(countries)
    if since:
        where.append("event_date >= ?")
        params.append(since)
    if until:
        where.append("event_date <= ?")
        params.append(until)
    rows = store.execute(
        "SELECT place_country, admin1, count(*), coalesce(sum(fatalities), 0) FROM events "
        f"WHERE {' AND '.join(where)} GROUP BY ALL",
        params,
    )
    return [PlaceCount(str(c), str(a), int(n), int(f)) for c, a, n, f in rows]


ROWID_PREFIX = 'SELECT "t0"."event_id", "t0"."event_date" FROM "events" AS "t0"'


def page_rowids(store: Store, filtered_sql: str, *, limit: int, offset: int) -> list[int] | None:
    """The row ids of one page of events, newest first (ties by event id).

    ``filtered_sql`` is Ibis's SQL for the filtered events with only ``event_id`` and
    ``event_date`` selected; only those and the filtered columns are read, so the page's
    other columns are fetched for its own rows alone (:func:`events_by_rowid`). None when
    the SQL does not have that shape (the caller then reads the page directly).
    """
    if not filtered_sql.startswith(ROWID_PREFIX):
        return None
    inner = 'SELECT "t0".rowid AS row_id, ' + filtered_sql[len("SELECT ") :]
    rows = store.execute(
        f"SELECT row_id FROM ({inner}) ORDER BY event_date DESC, event_id LIMIT ? OFFSET ?",
        [limit, offset],
    )
    return [int(r[0]) for r in rows]


def events_by_rowid(
    store: Store, rowids: list[int], columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The ``columns`` of the events at ``rowids``, in that order."""
    if not rowids:
        return []
    rows = store.execute(
        f"SELECT rowid, {', '.join(columns)} FROM events "
        "WHERE rowid IN (SELECT unnest(?::BIGINT[]))",
        [rowids],
    )
    found = {r[0]: dict(zip(columns, r[1:], strict=True)) for r in rows}
    return [found[i] for i in rowids if i in found]
