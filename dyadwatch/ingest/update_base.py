"""What every source's updater shares: the job it is given and the outcome it reports.

``dyadwatch update`` (:mod:`dyadwatch.ingest.update`) runs one :class:`Updater` per source,
in order, each with the same :class:`UpdateJob`. An updater fetches what is new (with
conditional requests: see :mod:`dyadwatch.sources.fetch`), ingests it through the
ordinary ingest functions, and returns one :class:`SourceOutcome`. It never raises for a
single bad file or URL: that goes into ``failed`` and the update goes on. It raises a
:class:`~dyadwatch.errors.DyadwatchError` only when the whole source cannot be updated
(for example a changed format), and the runner records that as a failure of the source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.sources.fetch import Sleep
from dyadwatch.store import Store

# (source name, what is being done, done so far or None, total or None)
OnStep = Callable[[str, str, int | None, int | None], None]


@dataclass(frozen=True, slots=True)
class UpdateJob:
    """What an updater works with: the open writer store, the settings, one HTTP client,
    the cache folder for downloads, an injected ``sleep`` (tests do not wait) and a
    progress callback."""

    store: Store
    settings: Settings
    client: httpx.Client
    cache_dir: Path
    sleep: Sleep
    on_step: OnStep | None = None
    today: dt.date = field(default_factory=dt.date.today)

    def step(self, source: str, what: str, done: int | None = None, total: int | None = None):
        """Report progress, if anyone listens."""
        if self.on_step is not None:
            self.on_step(source, what, done, total)


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What updating one source did. ``new_rows`` are rows (events, observations or
    documents) added to the store; ``skipped`` counts files or rows already there or not
    modified on the server; ``quarantined`` rows kept with their reason; ``failed`` has
    one message per file or URL that could not be fetched or read, naming the source and,
    for a format change, the changed field. ``filtered`` counts rows read but left out
    (not between the dyad's countries), and ``reports`` has the ingest report of every
    file ingested, where ``read == loaded + duplicates + quarantined + filtered``."""

    source: str
    new_rows: int = 0
    skipped: int = 0
    quarantined: int = 0
    failed: tuple[str, ...] = ()
    files: int = 0  # files or pages fetched with new content
    not_modified: int = 0  # conditional requests answered 304 (or same bytes)
    data_through: dt.date | None = None
    filtered: int = 0
    reports: tuple[IngestReport, ...] = ()


class Updater(Protocol):
    """One source's updater; ``name`` is what ``dyadwatch update --only`` takes."""

    @property
    def name(self) -> str: ...  # a read-only property, so frozen dataclasses fit

    def run(self, job: UpdateJob) -> SourceOutcome: ...
