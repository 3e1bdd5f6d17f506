"""Frozen records passed between layers. Column meanings are documented in docs/events.md."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class Event:
    """One canonical event, whatever its source. Mirrors the ``events`` table column for column."""

    event_id: str
    source_system: str
    source_record_id: str
    event_date: dt.date
    date_added: dt.datetime | None = None
    source_code: str | None = None
    source_name: str | None = None
    source_country: str | None = None
    source_sector: str | None = None
    target_code: str | None = None
    target_name: str | None = None
    target_country: str | None = None
    target_sector: str | None = None
    plover_type: str | None = None
    plover_mode: str | None = None
    cameo_code: str | None = None
    cameo_known: bool | None = None
    quad_class: int | None = None
    goldstein: float | None = None
    fronts: tuple[str, ...] = ()
    place_name: str | None = None
    place_country: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    n_mentions: int | None = None
    n_sources: int | None = None
    n_articles: int | None = None
    tone: float | None = None
    fatalities: int | None = None
    url: str | None = None
    doc_id: str | None = None
    evidence: str | None = None
    coder: str | None = None
    confidence: float | None = None
    ingest_run_id: str | None = None
    event_cluster_id: str | None = None
    event_end_date: dt.date | None = None
    # coded events: asserted | hypothetical | negated | historical | generic (docs/codebook.md)
    factuality: str | None = None


EVENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Event))


@dataclass(frozen=True, slots=True)
class Indicator:
    """One observation of an indicator series (encounters, seizures, imports, homicides...)."""

    series: str
    period: dt.date
    geography: str
    value: float
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class Document:
    """One text for the coder: a press release, a transcript, an article."""

    doc_id: str
    source: str
    date: dt.date
    lang: str
    title: str | None
    url: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One GDELT 2.0 mention: an article that mentions an event."""

    event_id: str
    global_event_id: str
    event_time: dt.datetime | None
    mention_time: dt.datetime | None
    mention_type: int | None
    source_name: str | None
    url: str | None
    sentence_id: int | None
    confidence: float | None
    doc_tone: float | None


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that could not be loaded: kept in quarantine with its line and reason."""

    line_no: int
    raw: str
    reason: str


Row = Event | Indicator | Document | Mention


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one file's ingest did. ``read == loaded + duplicates + quarantined + filtered``."""

    run_id: str
    source_system: str
    path: str
    sha256: str
    status: str  # "loaded", or "skipped" when the same file was ingested before
    read: int = 0
    loaded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    filtered: int = 0
    replaced_chars: int = 0
    quarantine_sample: tuple[Rejected, ...] = field(default=())

    @property
    def balanced(self) -> bool:
        """True when every row read is accounted for."""
        return self.read == self.loaded + self.duplicates + self.quarantined + self.filtered


@dataclass(frozen=True, slots=True)
class SourceCount:
    """Rows of one source system in the store, with their date range."""

    source_system: str
    rows: int
    first_date: dt.date | None
    last_date: dt.date | None


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One row of ``ingest_runs``."""

    run_id: str
    source_system: str
    file_name: str
    started: dt.datetime
    finished: dt.datetime | None
    read: int
    loaded: int
    duplicates: int
    quarantined: int
    status: str


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """What ``dyadwatch status`` shows."""

    db_path: str
    events: tuple[SourceCount, ...]
    documents: tuple[SourceCount, ...]
    indicators: tuple[SourceCount, ...]
    quarantined: int
    recent_runs: tuple[RunSummary, ...]
