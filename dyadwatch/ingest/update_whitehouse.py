"""``dyadwatch update``'s White House step (``whitehouse``): new releases from the sitemaps.

1. the sitemap index (``DYADWATCH_WHITEHOUSE_SITEMAP_URL``) and its child sitemaps matching
   ``DYADWATCH_WHITEHOUSE_SITEMAPS``, each a conditional request, kept in the cache;
2. the release URLs last modified on or after ``DYADWATCH_DOCUMENTS_SINCE`` that are neither
   stored nor fetched before, newest first, at most ``DYADWATCH_DOCUMENT_PAGES_PER_UPDATE``;
3. each page read (:func:`~dyadwatch.sources.whitehouse.read_release`), kept when it concerns
   the other country (:class:`~dyadwatch.sources.whitehouse.Relevance`), else counted as
   filtered; a page that cannot be fetched or read is a failure naming the source and URL;
4. the kept releases ingested as one JSONL file with source ``whitehouse``.

Why sitemaps rather than the RSS feed, and the page layout read:
:mod:`dyadwatch.sources.whitehouse`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
from dyadwatch.sources import whitehouse as wh

MAX_SCHEMA_FAILURES = 3  # pages in a row that miss a part, with none read: the site changed


@dataclass(frozen=True, slots=True)
class WhiteHouseUpdater:
    """The White House releases; see the module docstring."""

    name: str = "whitehouse"

    def run(self, job: UpdateJob) -> SourceOutcome:
        tally = Tally(wh.SOURCE)
        entries = list_releases(job, tally)
        seen = seen_urls(job.store, wh.SOURCE)
        todo = pick(entries, seen, since=job.settings.documents_since)
        tally.skipped += len(entries) - len(todo)
        todo = todo[: job.settings.document_pages_per_update]
        records = read_releases(job, tally, todo)
        ingest_records(job, tally, records)
        return tally.outcome(job.store)


def list_releases(job: UpdateJob, tally: Tally) -> list[wh.SitemapEntry]:
    """Every release URL of the sitemaps the settings select, with its lastmod."""
    index_url = job.settings.whitehouse_sitemap_url
    folder = job.cache_dir / wh.SOURCE
    index = wh.read_sitemap(
        fetch_listing(job, tally, index_url, folder / "sitemap_index.xml"), url=index_url
    )
    if not index.is_index:
        return list(index.entries)
    wanted = re.compile(job.settings.whitehouse_sitemaps)
    children = [e for e in index.entries if wanted.search(e.url)]
    if not children:
        raise SchemaChangedError(
            wh.SOURCE,
            f"{index_url}: no child sitemap matches {wanted.pattern!r} (it lists "
            f"{', '.join(e.url for e in index.entries[:5]) or 'nothing'})",
            "Fix DYADWATCH_WHITEHOUSE_SITEMAPS to match the sitemaps of releases",
        )
    entries: list[wh.SitemapEntry] = []
    for child in children:
        name = hashlib.md5(child.url.encode()).hexdigest() + ".xml"
        data = fetch_listing(job, tally, child.url, folder / "sitemaps" / name)
        entries.extend(wh.read_sitemap(data, url=child.url).entries)
    return entries


def pick(
    entries: list[wh.SitemapEntry], seen: set[str], *, since: dt.date
) -> list[wh.SitemapEntry]:
    """The entries to fetch: new, not older than ``since``, newest first, each once."""
    chosen: dict[str, wh.SitemapEntry] = {}
    for entry in entries:
        if entry.url in seen or entry.url in chosen:
            continue
        if entry.lastmod is not None and entry.lastmod.date() < since:
            continue
        chosen[entry.url] = entry
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(chosen.values(), key=lambda e: e.lastmod or oldest, reverse=True)


def read_releases(
    job: UpdateJob, tally: Tally, todo: list[wh.SitemapEntry]
) -> list[dict[str, Any]]:
    """Fetch and read each page; the records of the releases kept."""
    relevance = wh.Relevance.of(job.settings)
    records: list[dict[str, Any]] = []
    misses = 0
    for done, entry in enumerate(todo, start=1):
        job.step(wh.SOURCE, "releases", done, len(todo))
        try:
            data = fetch_page(job, tally, entry.url)
            if data is None:
                continue
            release = wh.read_release(data, url=entry.url)
        except SchemaChangedError as exc:
            misses += 1
            if misses >= MAX_SCHEMA_FAILURES and not records and misses == done:
                raise
            tally.fail(entry.url, exc)
            continue
        except DyadwatchError as exc:
            tally.fail(entry.url, exc)
            continue
        if relevance.keeps(release):
            records.append(_record(release))
        else:
            tally.filtered += 1
    return records


def _record(release: wh.Release) -> dict[str, Any]:
    return {
        "date": release.date.isoformat(),
        "title": release.title,
        "source_url": release.url,
        "text": release.text,
    }
