"""Store side of ingest runs: reads of ``ingest_runs`` and ``quarantine``, and the rows
each run's file put in the store.

A run is one ingest of one file (``run_id``, ``file_name``, counts, status); every loaded
row carries its ``ingest_run_id``, and every rejected line sits in ``quarantine`` under
its run. The writes of a run (start, finish, quarantine inserts) are in
:mod:`dyadwatch.store.loading`; these are the reads the ingest report and the
briefing's sources table make.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dyadwatch.store.connection import Store

if TYPE_CHECKING:  # ibis is imported lazily, through Store.ibis (it loads rich)
    import ibis.expr.types as ir

UNKNOWN_FILE = "unknown file"


def quarantine_sample(
    store: Store, run_id: str, *, limit: int = 5, width: int = 200
) -> list[tuple[int, str | None, str]]:
    """``(line_no, raw, reason)`` of the first ``limit`` lines ``run_id`` quarantined, the
    raw line cut to ``width`` characters.

    Plain SQL rather than an Ibis expression: every ingest of every file ends with this
    read, and through Ibis it costs ~40 ms (and the 1.3 s Ibis import in a fresh
    ``dyadwatch ingest``) against ~3 ms here."""
    rows = store.execute(
        "SELECT line_no, left(raw, ?), reason FROM quarantine WHERE run_id = ? "
        "ORDER BY line_no LIMIT ?",
        [width, run_id, limit],
    )
    return [(int(line), raw, str(reason)) for line, raw, reason in rows]


def run_files(store: Store) -> dict[str, str]:
    """The file name of every ingest run, by run id."""
    runs = store.ibis.table("ingest_runs").select("run_id", "file_name")
    return {str(r["run_id"]): str(r["file_name"]) for r in runs.to_pyarrow().to_pylist()}


def indicator_files(store: Store, series: list[str], until: dt.date) -> ir.Table:
    """``series, file, n, first``: the rows of ``series`` dated up to ``until``, per file
    that loaded them (:data:`UNKNOWN_FILE` when no run is recorded), by series and file."""
    t = store.ibis.table("indicators")
    t = t.filter(t.series.isin(series) & (t.period <= until))
    keyed = _with_file(store, t)
    grouped = keyed.group_by(["series", "file"]).aggregate(
        n=keyed.count(), first=keyed.period.min()
    )
    return grouped.order_by(["series", "file"])


def event_files(store: Store, source_system: str, place_country: str, until: dt.date) -> ir.Table:
    """``file, n, first``: the events of ``source_system`` placed in ``place_country`` and
    dated up to ``until``, per file that loaded them, by file."""
    e = store.ibis.table("events")
    e = e.filter(
        (e.source_system == source_system)
        & (e.place_country == place_country)
        & (e.event_date <= until)
    )
    keyed = _with_file(store, e)
    grouped = keyed.group_by("file").aggregate(n=keyed.count(), first=keyed.event_date.min())
    return grouped.order_by("file")


def _with_file(store: Store, rows: ir.Table) -> ir.Table:
    """``rows`` with ``file``: the name of the file of their ingest run."""
    runs = store.ibis.table("ingest_runs").select("run_id", "file_name")
    joined = rows.left_join(runs, rows.ingest_run_id == runs.run_id)
    return joined.mutate(file=joined.file_name.fill_null(UNKNOWN_FILE))
