"""``dyadwatch update``'s step for the Mexican presidency's transcripts (``mananeras``).

1. the transcript index (``DYADWATCH_MANANERAS_INDEX_URL``, a conditional request, kept in
   the cache): its URLs containing ``DYADWATCH_MANANERAS_URL_CONTAINS``, newest first;
2. new transcripts: URLs neither stored nor fetched before, and not dated (in their address)
   before ``DYADWATCH_DOCUMENTS_SINCE``; each page read
   (:func:`~dyadwatch.sources.mananeras.read_transcript`) and kept when it mentions the other
   country at least ``DYADWATCH_MANANERAS_MIN_MENTIONS`` times; ingested with source
   ``mananera``;
3. partial transcripts: stored documents since ``DYADWATCH_DOCUMENTS_SINCE`` whose text looks
   partial (:func:`~dyadwatch.sources.mananeras.likely_partial`) are fetched again, with a
   conditional request when dyadwatch fetched them before: those of today and yesterday
   at every update, older ones once a day (:func:`due_partial`). When the page now holds the
   complete text (or a longer one), it replaces the stored text, and the old text's coded
   events are forgotten so the coder codes the new text
   (:func:`~dyadwatch.store.documents.replace_documents`). A replaced document counts as a
   new row: its row is written anew.

New transcripts come first, then partial ones, at most ``DYADWATCH_DOCUMENT_PAGES_PER_UPDATE``
pages in all. A transcript fetched while still partial that does not (yet) mention the other
country enough is not remembered as seen on its day and the next (:data:`FRESH_DAYS`): its
questions and answers, where the other country usually comes up, may still be added, and the
next update fetches it again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from dyadwatch.errors import DyadwatchError, SchemaChangedError
from dyadwatch.ingest.update_base import SourceOutcome, UpdateJob
from dyadwatch.ingest.update_pages import (
    Tally,
    fetch_listing,
    fetch_page,
    ingest_records,
    seen_urls,
)
from dyadwatch.sources import mananeras as mx
from dyadwatch.store import documents as doc_store
from dyadwatch.store.fetch_state import source_states

FRESH_DAYS = 1  # a partial transcript of today or yesterday is checked at every update
MAX_SCHEMA_FAILURES = 3  # pages in a row that miss a part, with none read: the site changed
_URL_DATE = re.compile(r"(\d{1,2})-de-([a-z]+)-(?:de-|del-)?(\d{4})")


@dataclass(frozen=True, slots=True)
class MananerasUpdater:
    """The Mexican presidency's press-conference transcripts; see the module docstring."""

    name: str = "mananeras"

    def run(self, job: UpdateJob) -> SourceOutcome:
        tally = Tally(mx.SOURCE)
        index_url = job.settings.mananeras_index_url
        data = fetch_listing(job, tally, index_url, job.cache_dir / mx.SOURCE / "index.txt")
        urls = mx.read_index(data, url=index_url, must_contain=job.settings.mananeras_url_contains)
        seen = seen_urls(job.store, mx.SOURCE)
        new = [
            u for u in urls if u not in seen and not _dated_before(u, job.settings.documents_since)
        ]
        partial = due_partial(job)
        tally.skipped += len(set(urls) - set(new) - {p.url for p in partial})
        budget = job.settings.document_pages_per_update
        new = new[:budget]
        ingest_records(job, tally, read_new(job, tally, new))
        replacements = recheck(job, tally, partial[: budget - len(new)])
        ingest_records(job, tally, replacements, replace=True)
        return tally.outcome(job.store)


def due_partial(job: UpdateJob) -> list[doc_store.StoredPage]:
    """The stored transcripts since ``DYADWATCH_DOCUMENTS_SINCE`` that look partial and are
    due a check: those dated within :data:`FRESH_DAYS` of today at every update (gob.mx
    adds the questions and answers within hours), older ones once a day (the pages carry a
    per-visit token, so an unchanged one may not be answered 304)."""
    states = {s.url: s for s in source_states(job.store, mx.SOURCE)}
    due = []
    for page in doc_store.stored_pages(
        job.store, source=mx.SOURCE, since=job.settings.documents_since
    ):
        state = states.get(page.url)
        checked = state.fetched_at.date() if state and state.fetched_at else None
        fresh = (job.today - page.date).days <= FRESH_DAYS
        if (checked is None or checked < job.today or fresh) and mx.likely_partial(page.text):
            due.append(page)
    return due


def read_new(job: UpdateJob, tally: Tally, urls: list[str]) -> list[dict[str, Any]]:
    """Fetch and read each new transcript; the records of those kept."""
    since = job.settings.documents_since
    records: list[dict[str, Any]] = []
    misses = 0
    for done, url in enumerate(urls, start=1):
        job.step(mx.SOURCE, "transcripts", done, len(urls))
        transcript = _read(job, tally, url, conditional=False)
        if isinstance(transcript, SchemaChangedError):
            misses += 1
            if misses >= MAX_SCHEMA_FAILURES and misses == done:
                raise transcript
            continue
        if transcript is None:
            continue
        if transcript.date >= since and mx.concerns(transcript.text, job.settings):
            records.append(record(transcript))
        elif transcript.likely_partial and (job.today - transcript.date).days <= FRESH_DAYS:
            tally.forget(url)  # not seen yet: fetched again by the next update
            tally.filtered += 1
        else:
            tally.filtered += 1
    return records


def recheck(
    job: UpdateJob, tally: Tally, partial: list[doc_store.StoredPage]
) -> list[dict[str, Any]]:
    """Fetch the stored partial transcripts again; the records of the newer texts."""
    records: list[dict[str, Any]] = []
    for done, stored in enumerate(partial, start=1):
        job.step(mx.SOURCE, "partial transcripts", done, len(partial))
        transcript = _read(job, tally, stored.url, conditional=True)
        if transcript is None or isinstance(transcript, SchemaChangedError):
            continue
        if not transcript.likely_partial or len(transcript.text) > len(stored.text):
            records.append(record(transcript))
    return records


def _read(
    job: UpdateJob, tally: Tally, url: str, *, conditional: bool
) -> mx.Transcript | SchemaChangedError | None:
    """The page as a transcript; None when unchanged (304) or not fetched (a failure, noted
    in the tally); a format problem is noted and returned, for the caller to count."""
    try:
        data = fetch_page(job, tally, url, conditional=conditional)
        return None if data is None else mx.read_transcript(data, url=url)
    except SchemaChangedError as exc:
        tally.fail(url, exc)
        return exc
    except DyadwatchError as exc:
        tally.fail(url, exc)
        return None


def record(transcript: mx.Transcript) -> dict[str, Any]:
    """A transcript as a corpus record (the bundled corpus's field names)."""
    return {
        "date": transcript.date.isoformat(),
        "title": transcript.title,
        "source_url": transcript.url,
        "likely_partial": transcript.likely_partial,
        "qa_turns": mx.question_turns(transcript.text),
        "text": transcript.text,
    }


def _dated_before(url: str, since: dt.date) -> bool:
    """True when the address carries a date ('…-del-2-de-octubre-de-2024') before ``since``."""
    match = _URL_DATE.search(url.rsplit("/", 1)[-1])
    month = mx.MONTHS.get(match.group(2)) if match else None
    if match is None or month is None:
        return False
    try:
        return dt.date(int(match.group(3)), month, int(match.group(1))) < since
    except ValueError:
        return False
