"""The tables the analyses read, as Ibis tables on one backend: :class:`Tables`.

The query layer has two halves. This module hands out the tables: ``Store.tables``
over a DuckDB store, :func:`dyadwatch.store.spark.spark_tables` over Parquet snapshots on
Spark. The per-table modules (``store/events.py``, ``store/documents.py``,
``store/coded_documents.py``, ``store/reading.py``) hold every read, each a typed function
from these tables to an unexecuted Ibis expression. The analysis layer evaluates the
expressions (``.to_pandas()``, ``.execute()``), so one call runs on either backend and the
analysis holds no SQL.

A function that accepts ``Store | Tables`` resolves it with :func:`tables_of`: a store means
its DuckDB tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dyadwatch.store.connection import Store

if TYPE_CHECKING:
    import ibis.expr.types as ir

# The tables the analyses read, and the columns of each a snapshot keeps (None: all).
TABLE_COLUMNS: dict[str, tuple[str, ...] | None] = {
    "events": None,
    "documents": ("doc_id", "source", "date", "lang", "title", "url"),  # not the texts
    "coded_documents": None,
    "ingest_runs": None,
    "indicators": None,
}


@dataclass(frozen=True, slots=True)
class Tables:
    """The Ibis tables the analyses read, all on one backend."""

    events: ir.Table
    documents: ir.Table
    coded_documents: ir.Table
    ingest_runs: ir.Table
    indicators: ir.Table


def tables_of(source: Store | Tables) -> Tables:
    """``source`` itself, or the DuckDB tables of a store."""
    return source if isinstance(source, Tables) else source.tables
