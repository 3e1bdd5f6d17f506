"""What the two document updaters share: listings kept in the cache, page fetches,
JSONL files of the kept texts, and the ``fetch_state`` rows saved once the ingest committed.

A *listing* (the White House sitemaps, the transcript index) is fetched with a conditional
request and kept in the cache: when the server answers 304 the kept copy is read again, so
pages left for a later update (at most ``DYADWATCH_DOCUMENT_PAGES_PER_UPDATE`` a run) are
still found. A *page* is fetched once, read, and deleted from the cache; its validators go
to ``fetch_state``, so a page read once is never fetched again unless the updater asks
(a partial transcript, :mod:`dyadwatch.ingest.update_mananeras`).

Kept texts are written as one JSON-lines file per update (``date``, ``title``,
``source_url``, ``text``, …: the bundled corpora's fields) into the cache and go through
:func:`~dyadwatch.ingest.corpus.ingest_corpus`, or, for newer versions of stored documents,
through :func:`replace_from_file`, which swaps the text in one transaction.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest.corpus import ingest_corpus, read_documents
from dyadwatch.ingest.runner import StageResult, ingest_file
from dyadwatch.ingest.tables import DOCUMENTS, records_to_arrow, rejected_to_arrow
from dyadwatch.ingest.update_base import SourceOutcome, UpdateJob
from dyadwatch.records import Document, IngestReport, Rejected
from dyadwatch.sources.fetch import Fetched, Validators, fetch_if_changed
from dyadwatch.store import Store, loading
from dyadwatch.store import documents as doc_store
from dyadwatch.store.fetch_state import FetchState, get_state, save_state, source_states


@dataclass
class Tally:
    """What one document updater did, gathered as it goes; :meth:`outcome` freezes it."""

    source: str
    fetched: int = 0
    not_modified: int = 0
    skipped: int = 0
    filtered: int = 0
    failed: list[str] = field(default_factory=list)
    states: list[FetchState] = field(default_factory=list)
    reports: list[IngestReport] = field(default_factory=list)

    def note(self, got: Fetched) -> None:
        """Count a fetch, and remember its validators to save after the ingest."""
        if got.changed:
            self.fetched += 1
        else:
            self.not_modified += 1
        self.states.append(
            FetchState(self.source, got.url, got.etag, got.last_modified, got.sha256, got.size)
        )

    def fail(self, url: str, exc: DyadwatchError) -> None:
        """Record a page that could not be fetched or read; its validators are not saved,
        so the next update tries it again."""
        text = str(exc) if url in str(exc) else f"{url}: {exc}"
        self.failed.append(text if text.startswith(f"{self.source}:") else f"{self.source}: {text}")
        self.forget(url)

    def forget(self, url: str) -> None:
        """Do not save the validators of ``url``: the page is not remembered as seen."""
        self.states = [s for s in self.states if s.url != url]

    def outcome(self, store: Store) -> SourceOutcome:
        loaded = sum(r.loaded for r in self.reports)
        return SourceOutcome(
            source=self.source,
            new_rows=loaded,
            skipped=self.skipped + sum(r.duplicates for r in self.reports),
            quarantined=sum(r.quarantined for r in self.reports),
            failed=tuple(self.failed),
            files=self.fetched,
            not_modified=self.not_modified,
            data_through=doc_store.latest_date(store, source=self.source),
            filtered=self.filtered,
            reports=tuple(self.reports),
        )


def fetch_listing(job: UpdateJob, tally: Tally, url: str, dest: Path) -> bytes:
    """The bytes of a listing: fetched when changed, else the copy kept in the cache."""
    state = get_state(job.store, tally.source, url)
    known = _validators(state) if dest.exists() else None
    got = fetch(job, url, dest, validators=known)
    tally.note(got)
    return dest.read_bytes()


def fetch_page(
    job: UpdateJob, tally: Tally, url: str, *, conditional: bool = False
) -> bytes | None:
    """A page's bytes, or None when the server says it did not change (a conditional
    request, sent when ``conditional`` and the page was fetched before). The page is not
    kept in the cache."""
    state = get_state(job.store, tally.source, url) if conditional else None
    dest = job.cache_dir / tally.source / "pages" / hashlib.md5(url.encode()).hexdigest()
    got = fetch(job, url, dest, validators=_validators(state))
    tally.note(got)
    if got.path is None:
        return None
    try:
        return got.path.read_bytes()
    finally:
        got.path.unlink(missing_ok=True)


def fetch(job: UpdateJob, url: str, dest: Path, *, validators: Validators | None) -> Fetched:
    """:func:`fetch_if_changed` with the job's client, limits and sleep."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    return fetch_if_changed(
        job.client,
        url,
        dest,
        validators=validators,
        max_bytes=job.settings.update_max_bytes,
        retries=job.settings.http_retries,
        sleep=job.sleep,
    )


def _validators(state: FetchState | None) -> Validators | None:
    if state is None:
        return None
    return Validators(state.etag, state.last_modified, state.sha256)


def seen_urls(store: Store, source: str) -> set[str]:
    """Pages stored as documents of ``source``, or fetched before (and left out)."""
    return doc_store.stored_urls(store, source=source) | {
        s.url for s in source_states(store, source)
    }


def write_jsonl(job: UpdateJob, source: str, records: list[dict[str, Any]], kind: str) -> Path:
    """Write records as a gzipped JSON-lines file named by its content, in the cache."""
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    digest = hashlib.sha256(lines).hexdigest()[:16]
    path = job.cache_dir / source / f"{source}-{kind}-{digest}.jsonl.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(lines)
    return path


def ingest_records(
    job: UpdateJob, tally: Tally, records: list[dict[str, Any]], *, replace: bool = False
) -> None:
    """Ingest the kept texts (new documents, or newer versions when ``replace``), then save
    the validators of everything fetched: only after the ingest committed."""
    if records:
        path = write_jsonl(job, tally.source, records, "replace" if replace else "new")
        if replace:
            tally.reports.append(replace_from_file(job.store, path, source=tally.source))
        else:
            tally.reports.append(
                ingest_corpus(job.store, path, settings=job.settings, source=tally.source)
            )
    for state in tally.states:
        save_state(job.store, state)
    tally.states.clear()


def replace_from_file(store: Store, path: Path, *, source: str) -> IngestReport:
    """Ingest a JSONL file whose documents replace stored ones of the same page (same
    ``doc_id``), forgetting the old texts' coded events; one run, one transaction."""

    def stage(store: Store, prepared: Any, run_id: str) -> StageResult:
        items = list(read_documents(prepared.text_path, source=source, lang=None))
        good = [(n, d) for n, d in items if isinstance(d, Document)]
        bad = [d for _, d in items if isinstance(d, Rejected)]
        staged = records_to_arrow(DOCUMENTS, [d for _, d in good], [n for n, _ in good])
        replaced = doc_store.replace_documents(store, staged, run_id=run_id)
        if bad:
            with store.registered("_rejected", rejected_to_arrow(bad)) as name:
                loading.insert_quarantine(store, name, run_id=run_id)
        return StageResult(len(items), replaced, len(good) - replaced, len(bad))

    return ingest_file(
        store, path, source_system=f"corpus:{source}", stager=lambda _prepared: stage
    )
