"""Keep the store in step with GDELT 2.0: download the files not yet ingested, then ingest.

The flow of :func:`sync_gdelt`:
1. read the masterfilelist ("size md5 url" lines; only its tail when the server allows
   ranges) and keep the files of the wanted kinds whose timestamp falls in [since, until];
2. skip a file the store already holds a loaded run of (by file name; after the
   download, :func:`ingest_gdelt` also skips bytes it has seen, by sha256);
3. download each other file into ``settings.cache_dir / "gdelt"`` (verified, retried,
   resumed: see :mod:`dyadwatch.sources.fetch`), ingest it, then delete it;
4. a file that fails (404, checksum, unreadable archive) is reported and the sync
   goes on with the next one;
5. the readers' copy of the store is refreshed at most every ``settings.publish_seconds``
   (and when the writer closes), so the dashboard shows new events while the sync runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from dyadwatch.errors import ConfigError, FetchError, SourceError
from dyadwatch.ingest import ingest_gdelt
from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.sources import gdelt
from dyadwatch.sources.fetch import OnBytes, Sleep, download, part_path
from dyadwatch.store import Store, loading

LIST_NAME = "masterfilelist.txt"
SOURCE_SYSTEMS = {"export": gdelt.GDELT2, "mentions": gdelt.MENTIONS}


@dataclass(frozen=True, slots=True)
class FailedFile:
    """A listed file that could not be downloaded or ingested, and why."""

    name: str
    url: str
    reason: str


@dataclass(frozen=True, slots=True)
class SyncStep:
    """Progress: the ``number``-th of ``total`` listed files is being handled."""

    file: gdelt.MasterFile
    number: int
    total: int


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync did. ``skipped`` names files already in the store (known by name
    before the download, or by sha256 after it); ``reports`` has one ingest report per
    downloaded file that was ingested."""

    listed: tuple[str, ...]
    skipped: tuple[str, ...]
    downloaded: tuple[str, ...]
    failed: tuple[FailedFile, ...]
    reports: tuple[IngestReport, ...]


@dataclass(slots=True)
class _Tally:
    skipped: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    failed: list[FailedFile] = field(default_factory=list)
    reports: list[IngestReport] = field(default_factory=list)


def sync_gdelt(
    store: Store,
    *,
    settings: Settings,
    client: httpx.Client,
    since: dt.date,
    until: dt.date | None = None,
    base_url: str | None = None,
    keep_all: bool = False,
    include_mentions: bool = False,
    sleep: Sleep = time.sleep,
    on_file: Callable[[SyncStep], None] | None = None,
    on_bytes: OnBytes | None = None,
) -> SyncReport:
    """Download and ingest the GDELT 2.0 files of [since, until] not yet in the store.

    ``base_url`` names a mirror: the list is read from ``{base_url}/masterfilelist.txt``
    and every file is fetched from ``{base_url}/{name}``. Without ``keep_all`` only the
    events between the two countries of ``settings.dyad`` are kept.
    """
    _check_window(since, until, base_url)
    kinds = ("export", "mentions") if include_mentions else ("export",)
    folder = settings.cache_dir / "gdelt"
    folder.mkdir(parents=True, exist_ok=True)
    files = list_files(
        client,
        folder,
        settings=settings,
        since=since,
        until=until,
        base_url=base_url,
        kinds=kinds,
        sleep=sleep,
        on_bytes=on_bytes,
    )
    done = loading.loaded_file_names(store, [SOURCE_SYSTEMS[kind] for kind in kinds])
    tally = _Tally()
    for number, item in enumerate(files, 1):
        if on_file is not None:
            on_file(SyncStep(item, number, len(files)))
        if item.name in done:
            tally.skipped.append(item.name)
            continue
        _sync_one(
            store,
            client,
            item,
            folder / item.name,
            settings=settings,
            tally=tally,
            keep_all=keep_all,
            sleep=sleep,
            on_bytes=on_bytes,
        )
    return SyncReport(
        tuple(item.name for item in files),
        tuple(tally.skipped),
        tuple(tally.downloaded),
        tuple(tally.failed),
        tuple(tally.reports),
    )


def list_files(
    client: httpx.Client,
    folder: Path,
    *,
    settings: Settings,
    since: dt.date,
    until: dt.date | None,
    base_url: str | None,
    kinds: tuple[str, ...],
    sleep: Sleep,
    on_bytes: OnBytes | None = None,
) -> list[gdelt.MasterFile]:
    """The masterfilelist's files of ``kinds`` in [since, until], oldest first.

    The whole list is over 100 MB and grows at its end, so only its tail is read when the
    server tells the list's size and honours ranges (:func:`_listing_tail`). Otherwise
    the list is downloaded to ``folder``, read in slices, and deleted.
    """
    url = f"{base_url.rstrip('/')}/{LIST_NAME}" if base_url else settings.gdelt_masterfilelist_url
    tail = _listing_tail(client, url, since)
    if tail is not None:
        chosen = gdelt.select_files(
            gdelt.parse_masterfilelist(tail), since=since, until=until, kinds=kinds
        )
    else:
        chosen = _whole_listing(
            client,
            url,
            folder,
            settings=settings,
            sleep=sleep,
            on_bytes=on_bytes,
            since=since,
            until=until,
            kinds=kinds,
        )
    if base_url:
        chosen = [_moved(item, base_url) for item in chosen]
    return sorted(chosen, key=lambda item: item.name)


TAIL_BYTES_PER_DAY = 96 * 3 * 130  # three files a 15-minute slice, lines of ~110 bytes


def _listing_tail(client: httpx.Client, url: str, since: dt.date) -> str | None:
    """The end of the list back to a line older than ``since`` (whole lines only), read
    with Range requests that reach four times further back until they cover it; None
    when the server does not say the list's size or ignores ranges."""
    try:
        head = client.head(url, headers={"Accept-Encoding": "identity"})
        size = int(head.headers.get("Content-Length") or 0)
        if head.status_code != 200 or not size:
            return None
        want = TAIL_BYTES_PER_DAY * (max(0, (dt.date.today() - since).days) + 2)
        while True:
            start = max(0, size - want)
            answer = client.get(
                url, headers={"Range": f"bytes={start}-", "Accept-Encoding": "identity"}
            )
            if answer.status_code != 206:
                return None
            text = answer.text if start == 0 else answer.text.partition("\n")[2]
            first = gdelt.parse_masterfilelist(text[:2000])
            stamp = first[0].timestamp if first else None
            if start == 0 or (stamp is not None and stamp.date() < since):
                return text
            want *= 4
    except (httpx.HTTPError, ValueError):
        return None  # the whole list is read instead, with retries


def _whole_listing(
    client: httpx.Client,
    url: str,
    folder: Path,
    *,
    settings: Settings,
    sleep: Sleep,
    on_bytes: OnBytes | None,
    since: dt.date,
    until: dt.date | None,
    kinds: tuple[str, ...],
) -> list[gdelt.MasterFile]:
    dest = folder / LIST_NAME
    dest.unlink(missing_ok=True)
    part_path(dest).unlink(missing_ok=True)  # the list changes every 15 minutes
    download(
        client,
        url,
        dest,
        size=None,
        md5=None,
        retries=settings.http_retries,
        sleep=sleep,
        on_bytes=on_bytes,
    )
    chosen: list[gdelt.MasterFile] = []
    with dest.open(encoding="utf-8", errors="replace") as handle:
        while lines := handle.readlines(1 << 20):
            listed = gdelt.parse_masterfilelist("".join(lines))
            chosen += gdelt.select_files(listed, since=since, until=until, kinds=kinds)
    dest.unlink()
    return chosen


def _moved(item: gdelt.MasterFile, base_url: str) -> gdelt.MasterFile:
    return dataclasses.replace(item, url=f"{base_url.rstrip('/')}/{item.name}")


def _sync_one(
    store: Store,
    client: httpx.Client,
    item: gdelt.MasterFile,
    dest: Path,
    *,
    settings: Settings,
    tally: _Tally,
    keep_all: bool,
    sleep: Sleep,
    on_bytes: OnBytes | None,
) -> None:
    """Download, ingest and delete one file; a failure is recorded, not raised."""
    try:
        download(
            client,
            item.url,
            dest,
            size=item.size,
            md5=item.md5,
            retries=settings.http_retries,
            sleep=sleep,
            on_bytes=on_bytes,
        )
    except FetchError as exc:
        tally.failed.append(FailedFile(item.name, item.url, str(exc)))
        return
    tally.downloaded.append(item.name)
    try:
        report = ingest_gdelt(store, dest, settings=settings, dyad_only=not keep_all)
    except SourceError as exc:  # the verified file is kept in the cache for inspection
        tally.failed.append(FailedFile(item.name, item.url, str(exc)))
        return
    tally.reports.append(report)
    if report.status == "skipped":
        tally.skipped.append(item.name)
    dest.unlink()
    if store.writable:  # readers see new events within publish_seconds of their commit
        store.publish(min_interval=settings.publish_seconds)


def _check_window(since: dt.date, until: dt.date | None, base_url: str | None) -> None:
    if until is not None and until < since:
        raise ConfigError(f"until ({until}) is before since ({since}): swap the two dates.")
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"base URL {base_url!r} is not http(s): pass a mirror like http://host:port/gdeltv2"
        )
