"""Code every document in the store into events (``dyadwatch code corpus``), resumably.

With ``workers`` above 1, documents are coded in that many worker processes (each loads its
own coder; started with ``spawn``, so nothing of the store's connection is inherited) while
this process saves each document's events in document order, one transaction per document,
as before: a run stopped midway still resumes at the first document it had not saved.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from dyadwatch.coding.clusters import ClusterKey, cluster_ids
from dyadwatch.coding.learned import LearnedCoder
from dyadwatch.coding.pipeline import RuleCoder
from dyadwatch.coding.types import CodedDocument, CodedEvent, TextInput
from dyadwatch.ingest.tables import EVENTS, records_to_arrow
from dyadwatch.ontology.pairs import Pair
from dyadwatch.records import Event
from dyadwatch.settings import PUBLISHERS
from dyadwatch.store import Store
from dyadwatch.store import coded as coded_store

SOURCE_COUNTRY = PUBLISHERS
MAX_WORKERS = 2  # the default: one worker per core, at most two (each holds ~650 MB)
# What a worker process builds its coder from: kind, the pair's codes, its configuration.
Recipe = tuple[str, tuple[str, str] | None, Pair | None]
_WORKER: dict[str, Any] = {}  # inside a worker process only: its coder


def default_workers() -> int:
    """Worker processes for coding: the machine's cores, at most ``MAX_WORKERS``."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


@dataclass(frozen=True, slots=True)
class CorpusReport:
    documents: int
    events: int
    clusters: int
    coder: str


def code_corpus(
    store: Store,
    coder: LearnedCoder | RuleCoder,
    *,
    recode: bool = False,
    workers: int = 1,
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[str, int], None] | None = None,
) -> CorpusReport:
    """Code the documents not yet coded by this coder version, then re-cluster all events."""
    if recode:
        coded_store.forget_coding(store)
    if on_start is not None:
        on_start(
            coded_store.count_documents_to_code(store, coder=coder.name, version=coder.version)
        )
    documents = events = 0
    todo = coded_store.documents_to_code(store, coder=coder.name, version=coder.version)
    for doc, coded in _coded(coder, (_input(doc) for doc in todo), workers):
        events += coded_store.save_document_events(
            store,
            doc_id=doc.id,
            staged=_staged(coded.events, coder),
            coder=coder.name,
            version=coder.version,
            n_sentences=coded.sentences,
        )
        documents += 1
        if on_document is not None:
            on_document(doc.id, len(coded.events))
    clusters = recluster(store)
    return CorpusReport(documents, events, clusters, f"{coder.name}/{coder.version}")


def _input(doc: coded_store.StoredDocument) -> TextInput:
    return TextInput(doc.doc_id, doc.text, doc.date, doc.lang, SOURCE_COUNTRY.get(doc.source))


def _coded(
    coder: LearnedCoder | RuleCoder, items: Iterable[TextInput], workers: int
) -> Iterator[tuple[TextInput, CodedDocument]]:
    """Each text with what coding it produced, in the order given."""
    if workers <= 1:
        for item in items:
            yield item, coder.code_document(item)
        return
    import multiprocessing

    recipe: Recipe = (
        ("learned", coder.pair, coder.config)
        if isinstance(coder, LearnedCoder)
        else ("rules", None, None)
    )
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(recipe,)
    ) as pool:
        pending: deque[tuple[TextInput, Future[CodedDocument]]] = deque()
        for item in items:
            pending.append((item, pool.submit(_code_in_worker, item)))
            if len(pending) >= 4 * workers:  # a short queue keeps memory flat
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()


def _start_worker(recipe: Recipe) -> None:
    from dyadwatch.coding.learned import load_coder
    from dyadwatch.coding.pipeline import load_rule_coder

    kind, pair, config = recipe
    if kind == "learned" and pair:
        _WORKER["coder"] = load_coder(pair, config=config)
    else:
        _WORKER["coder"] = load_rule_coder()


def _code_in_worker(item: TextInput) -> CodedDocument:
    return _WORKER["coder"].code_document(item)  # type: ignore[no-any-return]


def to_event(coded: CodedEvent, *, coder: str) -> Event:
    """The canonical event for a coded one; its id hashes document, sentence and type."""
    ident = f"{coded.doc_id}:{coded.sentence_index}:{coded.event_type}"
    loc = coded.location
    target = coded.target
    return Event(
        event_id=hashlib.md5(f"coded:{ident}".encode()).hexdigest(),
        source_system="coded",
        source_record_id=ident,
        event_date=coded.date,  # type: ignore[arg-type]
        source_code=coded.source.code,
        source_name=coded.source.text or None,
        source_country=coded.source.country,
        source_sector=coded.source.sector,
        target_code=target.code if target else None,
        target_name=target.text if target else None,
        target_country=target.country if target else None,
        target_sector=target.sector if target else None,
        plover_type=coded.event_type,
        plover_mode=coded.mode,
        quad_class=coded.quad_class,
        fronts=coded.fronts,
        place_name=loc.name if loc else None,
        place_country=loc.country if loc else None,
        admin1=loc.admin1 if loc else None,
        latitude=loc.lat if loc else None,
        longitude=loc.lon if loc else None,
        doc_id=coded.doc_id,
        evidence=coded.evidence,
        coder=coder,
        confidence=coded.confidence,
        factuality=coded.factuality,
    )


def _staged(found: list[CodedEvent], coder: LearnedCoder | RuleCoder) -> pa.Table:
    label = f"{coder.name}/{coder.version}"
    dated = [e for e in found if e.date is not None]
    events = [to_event(e, coder=label) for e in dated]
    return records_to_arrow(EVENTS, events, [e.sentence_index for e in dated])


def recluster(store: Store) -> int:
    """Assign ``event_cluster_id`` to every coded event; returns the number of clusters."""
    rows = coded_store.coded_event_keys(store).to_pylist()
    keys = (
        ClusterKey(
            r["event_id"],
            r["event_date"],
            r["plover_type"],
            r["source_code"] or r["source_country"],
            r["target_code"] or r["target_country"],
            r["evidence"] or "",
        )
        for r in rows
    )
    mapping = cluster_ids(keys)
    coded_store.set_clusters(
        store,
        pa.table(
            {
                "event_id": list(mapping),
                "event_cluster_id": list(mapping.values()),
            }
        ),
    )
    return len(set(mapping.values()))
