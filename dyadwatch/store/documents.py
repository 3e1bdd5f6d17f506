"""Store side of the document updaters: which pages a source already has, and replacing a
document by a newer version of the same page.

A document's id is derived from its source and url (:mod:`dyadwatch.ingest.corpus`), so the
ordinary ingest counts a page fetched again as a duplicate and keeps the first text. A
transcript first saved before its questions and answers were published is the one case
where the later text must win: :func:`replace_documents` swaps the text and forgets the old
text's coded events and coding record, so ``code corpus`` (or the ``coding`` step of
``dyadwatch update``) codes the new text.

The reads the analyses make of the documents (periods, sources, links) are at the end: each
an unexecuted Ibis expression over the ``documents`` table of :mod:`dyadwatch.store.tables`,
so it runs on DuckDB or Spark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from dyadwatch.store.connection import Store
from dyadwatch.store.events import PeriodUnit, distinct

if TYPE_CHECKING:
    import ibis.expr.types as ir


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A stored document of a web page: its id, url, date and text."""

    doc_id: str
    url: str
    date: dt.date
    text: str


def stored_urls(store: Store, *, source: str) -> set[str]:
    """The urls of the documents ``source`` already has."""
    rows = store.execute(
        "SELECT DISTINCT url FROM documents WHERE source = ? AND url IS NOT NULL", [source]
    )
    return {row[0] for row in rows}


def stored_pages(store: Store, *, source: str, since: dt.date) -> list[StoredPage]:
    """The documents of ``source`` with a url, dated ``since`` or later, newest first."""
    rows = store.execute(
        "SELECT doc_id, url, date, text FROM documents "
        "WHERE source = ? AND url IS NOT NULL AND date >= ? ORDER BY date DESC, doc_id",
        [source, since],
    )
    return [StoredPage(*row) for row in rows]


def replace_documents(store: Store, staged: pa.Table, *, run_id: str) -> int:
    """Replace the documents whose ``doc_id`` is in ``staged`` (the ``documents`` columns,
    plus ``line_no``) by its rows, and forget their coded events and coding records.

    Only documents already stored are replaced; returns how many. Run it inside
    :meth:`Store.transaction` (the ingest's), so the swap is all or nothing.
    """
    columns = [c for c in staged.column_names if c not in ("line_no", "ingest_run_id")]
    with store.registered("_replacements", staged) as name:
        present = f"(SELECT r.doc_id FROM {name} r SEMI JOIN documents d USING (doc_id))"
        store.execute(f"DELETE FROM events WHERE source_system = 'coded' AND doc_id IN {present}")
        store.execute(f"DELETE FROM coded_documents WHERE doc_id IN {present}")
        store.execute(f"CREATE TEMP TABLE _replaced AS {present}")
        try:
            store.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM _replaced)")
            select = ", ".join(f"r.{c}" for c in columns)
            rows = store.execute(
                f"INSERT INTO documents ({', '.join(columns)}, ingest_run_id) "
                f"SELECT {select}, ? FROM {name} r SEMI JOIN _replaced USING (doc_id)",
                [run_id],
            )
        finally:
            store.execute("DROP TABLE IF EXISTS _replaced")
    return int(rows[0][0]) if rows else 0


def latest_date(store: Store, *, source: str) -> dt.date | None:
    """The newest document date of ``source``, if it has any."""
    value = store.scalar("SELECT max(date) FROM documents WHERE source = ?", [source])
    return value if isinstance(value, dt.date) else None


def document_periods(documents: ir.Table, unit: PeriodUnit) -> ir.Table:
    """(``system``, ``period``) of every period with a document, the system being ``coded``:
    a coded stream covers the periods of its documents."""
    import ibis

    return distinct(
        documents.select(system=ibis.literal("coded"), period=documents.date.truncate(unit))
    )


def document_sources(documents: ir.Table) -> ir.Table:
    """(``doc_id``, ``source``) of every document (``whitehouse``, ``mananera``, …)."""
    return documents.select("doc_id", "source")


def document_links(documents: ir.Table, doc_ids: Sequence[str]) -> ir.Table:
    """(``doc_id``, ``url``, ``title``) of the documents ``doc_ids``."""
    return documents.filter(documents.doc_id.isin(tuple(doc_ids))).select("doc_id", "url", "title")
