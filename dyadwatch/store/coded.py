"""Store side of the coder: which documents need coding, and saving a document's events.

Each document is saved in its own transaction with its ``coded_documents`` row, so a run
stopped midway resumes at the first document it had not finished.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa

from dyadwatch.store.connection import Store
from dyadwatch.store.loading import insert_new


@dataclass(frozen=True, slots=True)
class StoredDocument:
    doc_id: str
    source: str
    date: dt.date
    lang: str
    text: str


def count_documents_to_code(store: Store, *, coder: str, version: str) -> int:
    return int(
        store.scalar(
            "SELECT count(*) FROM documents d ANTI JOIN coded_documents c "
            "ON c.doc_id = d.doc_id AND c.coder = ? AND c.coder_version = ?",
            [coder, version],
        )
    )


def documents_to_code(store: Store, *, coder: str, version: str) -> Iterator[StoredDocument]:
    """Documents not yet coded by this coder version, oldest first, one at a time."""
    ids = [
        r[0]
        for r in store.execute(
            "SELECT d.doc_id FROM documents d ANTI JOIN coded_documents c "
            "ON c.doc_id = d.doc_id AND c.coder = ? AND c.coder_version = ? "
            "ORDER BY d.date, d.doc_id",
            [coder, version],
        )
    ]
    for doc_id in ids:
        row = store.execute(
            "SELECT doc_id, source, date, lang, text FROM documents WHERE doc_id = ?", [doc_id]
        )[0]
        yield StoredDocument(*row)


def forget_coding(store: Store) -> None:
    """Drop every coded event and coding record (for --recode)."""
    with store.transaction():
        store.execute("DELETE FROM events WHERE source_system = 'coded'")
        store.execute("DELETE FROM coded_documents")


def save_document_events(
    store: Store,
    *,
    doc_id: str,
    staged: pa.Table,
    coder: str,
    version: str,
    n_sentences: int,
) -> int:
    """Replace a document's coded events and record it as coded, in one transaction."""
    with store.transaction():
        store.execute("DELETE FROM events WHERE source_system = 'coded' AND doc_id = ?", [doc_id])
        loaded = 0
        if staged.num_rows:
            with store.registered("_coded_events", staged) as name:
                loaded = insert_new(
                    store,
                    table="events",
                    staged=name,
                    columns=staged.column_names[1:],
                    keys=("event_id",),
                    run_id=f"code:{coder}/{version}",
                )
        store.execute(
            "INSERT INTO coded_documents VALUES (?, ?, ?, ?, ?, now())",
            [doc_id, coder, version, n_sentences, loaded],
        )
    return loaded


def coded_event_keys(store: Store) -> pa.Table:
    """What clustering needs of every coded event, in a stable order."""
    return (
        store.ibis.table("events")
        .filter(lambda t: t.source_system == "coded")
        .select(
            "event_id",
            "doc_id",
            "event_date",
            "plover_type",
            "source_country",
            "target_country",
            "source_code",
            "target_code",
            "evidence",
        )
        .order_by(["event_date", "doc_id", "event_id"])
        .to_pyarrow()
    )


def set_clusters(store: Store, clusters: pa.Table) -> None:
    """Write ``event_cluster_id`` from a table of (event_id, event_cluster_id)."""
    with store.transaction(), store.registered("_clusters", clusters) as name:
        store.execute(
            f"UPDATE events SET event_cluster_id = c.event_cluster_id FROM {name} c "
            "WHERE events.event_id = c.event_id"
        )
