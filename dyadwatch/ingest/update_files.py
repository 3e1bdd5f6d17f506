"""The steps every dataset updater takes for one URL: fetch if changed, check, ingest, remember.

For each :class:`Remote` (a source's file at a URL), :func:`update_file`:

1. sends the validators stored in ``fetch_state`` (:mod:`dyadwatch.store.fetch_state`)
   with the request (:func:`~dyadwatch.sources.fetch.fetch_if_changed`); an unchanged
   file (304, or the same bytes) is counted as skipped and not read;
2. checks the new file's columns or keys (the updater's ``check``, raising
   :class:`~dyadwatch.errors.SchemaChangedError` with the source and the field);
3. ingests it through the ordinary ingest function (one transaction per file);
4. only then saves the new validators, and deletes the file from
   ``cache_dir/<source>/``: a crash before this point fetches the file again next time,
   and the ingest's sha256 check then skips what was already loaded.

A fetch or format failure is recorded in the :class:`Tally` (naming the source) and the
update goes on with the next file; a store failure propagates.

Publishers that rename their files (CBP) are read through their page:
:func:`discover` finds the file's current link (:mod:`dyadwatch.sources.links`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dyadwatch.errors import (
    DyadwatchError,
    FetchError,
    RemoteNotFoundError,
    SchemaChangedError,
    SourceError,
)
from dyadwatch.ingest.update_base import SourceOutcome, UpdateJob
from dyadwatch.records import IngestReport
from dyadwatch.sources.fetch import Fetched, Validators, fetch_if_changed
from dyadwatch.sources.links import matching_links, page_links
from dyadwatch.store.fetch_state import FetchState, get_state, save_state, source_states

Check = Callable[[Path], object]  # raises SchemaChangedError; its value is ignored
Ingest = Callable[[Path], IngestReport]


@dataclass(frozen=True, slots=True)
class Remote:
    """One file of a source: ``source`` names it in messages and in ``fetch_state``,
    ``file_name`` is its name in the cache (and in the store's ingest runs)."""

    source: str
    url: str
    file_name: str


@dataclass(slots=True)
class Tally:
    """What an updater has done so far; :meth:`outcome` turns it into its result."""

    name: str
    new_rows: int = 0
    skipped: int = 0
    quarantined: int = 0
    filtered: int = 0
    files: int = 0
    not_modified: int = 0
    failed: list[str] = field(default_factory=list)
    reports: list[IngestReport] = field(default_factory=list)

    def add(self, report: IngestReport) -> None:
        """Count one ingested file; a file whose bytes were loaded before is skipped."""
        self.reports.append(report)
        if report.status == "skipped":
            self.skipped += 1
            return
        self.files += 1
        self.new_rows += report.loaded
        self.quarantined += report.quarantined
        self.filtered += report.filtered

    def fail(self, source: str, exc: DyadwatchError) -> None:
        """Record a failure, its message starting with the source's name."""
        text = str(exc)
        self.failed.append(text if text.startswith(f"{source}:") else f"{source}: {text}")

    def outcome(self, data_through: dt.date | None) -> SourceOutcome:
        """The updater's result, with the newest date the source now has in the store."""
        return SourceOutcome(
            source=self.name,
            new_rows=self.new_rows,
            skipped=self.skipped,
            quarantined=self.quarantined,
            failed=tuple(self.failed),
            files=self.files,
            not_modified=self.not_modified,
            data_through=data_through,
            filtered=self.filtered,
            reports=tuple(self.reports),
        )


FileResult = Literal["done", "failed", "missing"]


def update_file(
    job: UpdateJob,
    remote: Remote,
    tally: Tally,
    *,
    check: Check,
    ingest: Ingest,
    missing_ok: bool = False,
) -> FileResult:
    """Steps 1-4 of the module docstring for one file: ``done`` (ingested, or unchanged),
    ``failed`` (recorded in the tally) or, with ``missing_ok``, ``missing`` when the server
    has no such file (a release not published yet; not a failure)."""
    try:
        fetched = fetch(job, remote)
    except RemoteNotFoundError as exc:
        if missing_ok:
            return "missing"
        tally.fail(remote.source, exc)
        return "failed"
    except FetchError as exc:
        tally.fail(remote.source, exc)
        return "failed"
    if not fetched.changed:
        tally.skipped += 1
        tally.not_modified += 1
        remember(job, remote, fetched)  # same content: newer validators are safe to keep
        job.step(tally.name, f"{remote.file_name}: not modified")
        return "done"
    assert fetched.path is not None
    job.step(tally.name, f"{remote.file_name}: ingesting")
    try:
        check(fetched.path)
        report = ingest(fetched.path)
    except SourceError as exc:  # the file stays in the cache for inspection
        tally.fail(remote.source, exc)
        return "failed"
    tally.add(report)
    remember(job, remote, fetched)
    fetched.path.unlink(missing_ok=True)
    return "done"


def fetch(job: UpdateJob, remote: Remote, *, conditional: bool = True) -> Fetched:
    """Fetch ``remote`` into ``cache_dir/<source>/`` unless unchanged since last stored."""
    state = get_state(job.store, remote.source, remote.url) if conditional else None
    known = Validators(state.etag, state.last_modified, state.sha256) if state else None
    folder = job.cache_dir / remote.source
    folder.mkdir(parents=True, exist_ok=True)
    return fetch_if_changed(
        job.client,
        remote.url,
        folder / remote.file_name,
        validators=known,
        max_bytes=job.settings.update_max_bytes,
        retries=job.settings.http_retries,
        sleep=job.sleep,
        on_bytes=lambda done, total: job.step(remote.source, remote.file_name, done, total),
    )


def remember(job: UpdateJob, remote: Remote, fetched: Fetched) -> None:
    """Store the validators of a file whose content is in the store (a 304 keeps the
    size stored before)."""
    size = fetched.size
    if size is None:
        earlier = get_state(job.store, remote.source, remote.url)
        size = earlier.bytes if earlier else None
    state = FetchState(
        remote.source, remote.url, fetched.etag, fetched.last_modified, fetched.sha256, size
    )
    save_state(job.store, state)


def file_name(url: str, default: str) -> str:
    """The last segment of a URL's path, or ``default`` when it has none."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or default


@dataclass(frozen=True, slots=True)
class Found:
    """A file's current URL, and the page read to find it (None: the URL was given)."""

    url: str
    page: Fetched | None = None
    page_remote: Remote | None = None


def discover(job: UpdateJob, page: Remote, pattern: str, setting: str) -> Found:
    """The current URL of the file ``pattern`` matches on the page at ``page.url``; a URL
    that matches ``pattern`` itself is the file. Raises FetchError or SchemaChangedError."""
    if re.search(pattern, urlsplit(page.url).path):
        return Found(page.url)
    fetched = fetch(job, page)
    if not fetched.changed:
        known = [s.url for s in source_states(job.store, page.source) if s.url != page.url]
        if known:
            return Found(known[0], fetched, page)
        fetched = fetch(job, page, conditional=False)  # no file known: read the page again
    assert fetched.path is not None
    html = fetched.path.read_text(encoding="utf-8", errors="replace")
    fetched.path.unlink()
    found = matching_links(page_links(html, page.url), pattern)
    if not found:
        raise SchemaChangedError(
            page.source,
            f"no link matching {pattern!r} on {page.url}",
            f"The page changed: set {setting}_URL to the file's own URL, or {setting}_LINK "
            "to a regular expression matching its link",
        )
    return Found(found[0], dataclasses.replace(fetched, path=None), page)


def finish_discovery(job: UpdateJob, found: Found) -> None:
    """After the file was handled, remember the page's validators (never before: a page
    answering 304 must not hide a file that failed)."""
    if found.page is not None and found.page_remote is not None:
        remember(job, found.page_remote, found.page)
