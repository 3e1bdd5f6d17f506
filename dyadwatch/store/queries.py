"""Reads of the store, through Ibis: status and event exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from dyadwatch.errors import ConfigError
from dyadwatch.records import RunSummary, SourceCount, StoreStatus
from dyadwatch.store.connection import Store

if TYPE_CHECKING:  # ibis is imported lazily, through Store.ibis (it loads rich)
    import ibis.expr.types as ir

ExportFormat = Literal["csv", "parquet", "jsonl"]  # also the CLI's choices for --format
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events an export keeps. ``dyad`` keeps both directions between two ISO3 codes."""

    dyad: tuple[str, str] | None = None
    source_system: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def store_status(store: Store, *, recent: int = 10) -> StoreStatus:
    """Counts per source, date ranges, quarantine size and the latest runs."""
    con = store.ibis
    return StoreStatus(
        db_path=str(store.path),
        events=_counts(con.table("events"), "source_system", "event_date"),
        documents=_counts(con.table("documents"), "source", "date"),
        indicators=_counts(con.table("indicators"), "series", "period"),
        quarantined=int(con.table("quarantine").count().execute()),
        recent_runs=_recent_runs(con.table("ingest_runs"), recent),
    )


def _counts(table: ir.Table, key: str, date: str) -> tuple[SourceCount, ...]:
    grouped = (
        table.group_by(key)
        .aggregate(rows=table.count(), first=table[date].min(), last=table[date].max())
        .order_by(key)
    )
    return tuple(
        SourceCount(row[key], int(row["rows"]), _as_date(row["first"]), _as_date(row["last"]))
        for row in grouped.to_pyarrow().to_pylist()
    )


def _recent_runs(runs: ir.Table, limit: int) -> tuple[RunSummary, ...]:
    latest = runs.order_by(runs.started.desc()).limit(limit).to_pyarrow().to_pylist()
    return tuple(
        RunSummary(
            run_id=r["run_id"],
            source_system=r["source_system"],
            file_name=r["file_name"],
            started=r["started"],
            finished=r["finished"],
            read=r["n_read"],
            loaded=r["n_loaded"],
            duplicates=r["n_duplicates"],
            quarantined=r["n_quarantined"],
            status=r["status"],
        )
        for r in latest
    )


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def filtered_events(store: Store, spec: EventFilter) -> ir.Table:
    """The events table with ``spec``'s filters applied, ordered by date and id."""
    events = store.ibis.table("events")
    if spec.dyad is not None:
        a, b = spec.dyad
        events = events.filter(
            ((events.source_country == a) & (events.target_country == b))
            | ((events.source_country == b) & (events.target_country == a))
        )
    if spec.source_system is not None:
        events = events.filter(events.source_system == spec.source_system)
    if spec.since is not None:
        events = events.filter(events.event_date >= spec.since)
    if spec.until is not None:
        events = events.filter(events.event_date <= spec.until)
    return events.order_by(["event_date", "event_id"])


def check_export_format(fmt: str) -> ExportFormat:
    """``fmt`` if events can be exported in it, else a ConfigError saying which can."""
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(
            f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    return fmt  # narrowed to ExportFormat by the check above


def export_events(store: Store, out: Path, *, fmt: ExportFormat, spec: EventFilter) -> int:
    """Stream the filtered events to ``out`` as csv, parquet or jsonl; returns the row count.

    In CSV the ``fronts`` list is written as keys joined by ``;``.
    """
    check_export_format(fmt)
    events = filtered_events(store, spec)
    backend = store.ibis
    if fmt == "csv":
        backend.to_csv(events.mutate(fronts=events.fronts.join(";")), out)
    elif fmt == "parquet":
        backend.to_parquet(events, out)
    else:  # newline-delimited JSON, one event per line
        sql = str(backend.compile(events))
        store.execute(f"COPY ({sql}) TO '{str(out).replace(chr(39), chr(39) * 2)}' (FORMAT JSON)")
    return int(events.count().execute())


@dataclass(frozen=True, slots=True)
class FrontYearCount:
    """Coded events of one front in one year, by direction."""

    year: int
    front: str
    direction: str  # "USA→MEX", "MEX→USA", "USA→other", "MEX→other", "other"
    events: int


def coded_front_summary(store: Store, *, dyad: tuple[str, str]) -> list[FrontYearCount]:
    """Coded events per front per year, by direction between the dyad's two countries."""
    events = store.ibis.table("events")
    coded = events.filter(events.source_system == "coded")
    a, b = dyad
    src, tgt = coded.source_country, coded.target_country
    direction = _direction(src, tgt, a, b)
    rows = (
        coded.mutate(front=coded.fronts.unnest(), year=coded.event_date.year(), direction=direction)
        .group_by(["year", "front", "direction"])
        .aggregate(events=lambda t: t.count())
        .order_by(["year", "front", "direction"])
        .to_pyarrow()
        .to_pylist()
    )
    return [FrontYearCount(r["year"], r["front"], r["direction"], r["events"]) for r in rows]


def _direction(src: ir.StringColumn, tgt: ir.StringColumn, a: str, b: str) -> ir.StringColumn:
    """The direction label of each event (see FrontYearCount)."""
    import ibis

    return ibis.cases(
        ((src == a) & (tgt == b), f"{a}→{b}"),
        ((src == b) & (tgt == a), f"{b}→{a}"),
        (src == a, f"{a}→other"),
        (src == b, f"{b}→other"),
        else_="other",
    )
