"""The events explorer: filtered, paginated events; one event with its lineage; one
document with its evidence sentences highlighted; exports of the current filter."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from dyadwatch.analysis.fronts import check_front, in_front
from dyadwatch.analysis.index import counted, own_events
from dyadwatch.errors import ConfigError
from dyadwatch.ontology.plover import PLOVER_TYPES
from dyadwatch.store import Store
from dyadwatch.store.events import newest_date
from dyadwatch.store.explore import (
    document_events,
    document_row,
    event_row,
    events_by_rowid,
    ingest_run,
    page_rowids,
)
from dyadwatch.views.common import iso, safe_url

if TYPE_CHECKING:
    import ibis.expr.types as ir

LIST_COLUMNS = (
    "event_id",
    "event_date",
    "source_system",
    "source_country",
    "source_name",
    "target_country",
    "target_name",
    "plover_type",
    "quad_class",
    "goldstein",
    "fronts",
    "place_name",
    "evidence",
    "url",
    "doc_id",
    "confidence",
    "factuality",
)
MAX_PER_PAGE = 200


@dataclass(frozen=True, slots=True)
class EventQuery:
    """The explorer's filters. ``direction`` is SRC-TGT (SRC-SRC: that country's own events
    about the pair, as the index counts them); ``dyad`` keeps both directions, and with
    ``own`` also each country's own events about the pair."""

    since: dt.date | None = None
    until: dt.date | None = None
    direction: str | None = None
    dyad: str | None = None
    front: str | None = None
    type: str | None = None
    source: str | None = None
    q: str | None = None
    own: bool = False
    # also the coded events below the confidence threshold or not asserted (not counted)
    uncounted: bool = False
    page: int = 1
    per_page: int = 50

    def check(self) -> EventQuery:
        """The query itself when valid, else a :class:`ConfigError` naming the parameter."""
        if self.since and self.until and self.since > self.until:
            raise ConfigError(f"since {self.since} is after until {self.until}")
        if self.front:
            check_front(self.front)
        if self.type and self.type not in PLOVER_TYPES:
            raise ConfigError(f"unknown type {self.type!r}; use a PLOVER type such as AGREE")
        for name in ("direction", "dyad"):
            value = getattr(self, name)
            if value and not re.fullmatch(r"[A-Z]{3}-[A-Z]{3}", value):
                raise ConfigError(f"{name} must look like USA-MEX, got {value!r}")
        if not 1 <= self.per_page <= MAX_PER_PAGE or self.page < 1:
            raise ConfigError(f"page must be ≥ 1 and per_page between 1 and {MAX_PER_PAGE}")
        return self

    @property
    def filtered(self) -> bool:
        return any(
            getattr(self, k)
            for k in ("since", "until", "direction", "dyad", "front", "type", "source", "q")
        )

    def params(self, **changes: Any) -> str:
        """The query string of this filter (defaults left out), with ``changes``."""
        query = replace(self, **changes)
        pairs = {
            "since": iso(query.since),
            "until": iso(query.until),
            "direction": query.direction,
            "dyad": query.dyad,
            "front": query.front,
            "type": query.type,
            "source": query.source,
            "q": query.q,
            "own": "1" if query.own else None,
            "uncounted": "true" if query.uncounted else None,
            "page": query.page if query.page != 1 else None,
            "per_page": query.per_page if query.per_page != 50 else None,
        }
        return urlencode({k: v for k, v in pairs.items() if v not in (None, "")})


@dataclass(frozen=True, slots=True)
class EventsPage:
    """``/events`` and ``/events.json``: one page of events and how to get the others."""

    query: EventQuery
    items: tuple[dict[str, Any], ...]
    total: int | None  # None: not counted yet (the HTML page counts in a second request)
    total_is_estimate: bool
    pages: int | None
    next: str | None
    previous: str | None
    fronts: tuple[str, ...]
    types: tuple[str, ...]
    sources: tuple[str, ...]


def event_table(
    store: Store, query: EventQuery, *, pair: tuple[str, str] | None = None
) -> ir.Table:
    """The events matching ``query``, newest first (ties by id), as an Ibis table.
    ``pair`` (the configured dyad) says whose events an own direction (USA-USA) concerns."""
    t = store.ibis.table("events")
    if not query.uncounted:
        t = t.filter(counted(t))
    own_direction = bool(query.direction) and len(set(str(query.direction).split("-"))) == 1
    if query.dyad and not own_direction:  # with USA-USA, the dyad only names the partner
        a, b = query.dyad.split("-")
        src, tgt = t.source_country, t.target_country
        pairs = ((src == a) & (tgt == b)) | ((src == b) & (tgt == a))
        if query.own:
            pairs = pairs | own_events(t, a, b) | own_events(t, b, a)
        t = t.filter(pairs)
    if query.source:
        t = t.filter(t.source_system == query.source)
    if query.since:
        t = t.filter(t.event_date >= query.since)
    if query.until:
        t = t.filter(t.event_date <= query.until)
    if query.direction:
        src, tgt = query.direction.split("-")
        if src == tgt:
            t = t.filter(own_events(t, src, _partner(src, query.dyad, pair)))
        else:
            t = t.filter((t.source_country == src) & (t.target_country == tgt))
    if query.front:
        t = t.filter(in_front(t, query.front))
    if query.type:
        t = t.filter(t.plover_type == query.type)
    if query.q:
        t = t.filter(_text_match(t, query.q))
    return t


def _partner(country: str, *pairs: str | tuple[str, str] | None) -> str | None:
    """The other country of the first pair (``USA-MEX`` or a tuple) that holds ``country``."""
    for pair in pairs:
        members = tuple(pair.split("-")) if isinstance(pair, str) else pair
        if members and country in members:
            return next((m for m in members if m != country), None)
    return None


def _text_match(t: ir.Table, q: str) -> ir.BooleanValue:
    """``q`` in the evidence, actor names or place name, ignoring case."""
    columns = [t.evidence, t.source_name, t.target_name, t.place_name]
    if "%" in q or "_" in q or "\\" in q:  # LIKE wildcards: fall back to a plain search
        needle = q.lower()
        hits = [c.lower().contains(needle) for c in columns]
    else:
        hits = [c.ilike(f"%{q}%") for c in columns]
    out = hits[0].fill_null(False)
    for hit in hits[1:]:
        out = out | hit.fill_null(False)
    return out


BLOCK_PAGES = 10  # pages read together: paging through a filter costs one query per block


def block_key(query: EventQuery) -> tuple[EventQuery, int]:
    """The filter without its page, and the block of pages the page belongs to."""
    return replace(query, page=1), (query.page - 1) // BLOCK_PAGES


def read_block(store: Store, query: EventQuery) -> list[dict[str, Any]]:
    """The rows of the block of :data:`BLOCK_PAGES` pages holding ``query.page``, plus one
    (to know whether a next page exists), newest first."""
    first = block_key(query.check())[1] * BLOCK_PAGES
    return page_rows(store, query, offset=first * query.per_page, pages=BLOCK_PAGES)


def build_events_page(
    query: EventQuery,
    block: list[dict[str, Any]],
    *,
    total: int | None,
    sources: tuple[str, ...],
    base: str = "/events",
) -> EventsPage:
    """One page of events, cut from its block (:func:`read_block`); ``total`` is the
    count when known, else None."""
    start = ((query.page - 1) % BLOCK_PAGES) * query.per_page
    items = tuple(_list_item(dict(r)) for r in block[start : start + query.per_page])
    pages = None if total is None else max(1, -(-total // query.per_page))
    has_next = len(block) > start + query.per_page
    return EventsPage(
        query=query,
        items=items,
        total=total,
        total_is_estimate=total is not None and not query.filtered,
        pages=pages,
        next=f"{base}?{query.params(page=query.page + 1)}" if has_next else None,
        previous=f"{base}?{query.params(page=query.page - 1)}" if query.page > 1 else None,
        fronts=_front_keys(),
        types=PLOVER_TYPES,
        sources=sources,
    )


def page_rows(
    store: Store, query: EventQuery, *, offset: int | None = None, pages: int = 1
) -> list[dict[str, Any]]:
    """``pages`` pages of rows from ``offset`` (default: the query's page) plus one, newest
    first, found in a growing window of recent dates.

    If the window from day ``start`` to the newest day holds ``offset + rows + 1``
    matching events, they are the newest ones overall, so the page needs no scan of older
    rows with the (costly) filters; otherwise the window grows eightfold until it does,
    or covers every date.
    """
    t = event_table(store, query)
    want = query.per_page * pages + 1
    offset = (query.page - 1) * query.per_page if offset is None else offset
    newest = None if query.q else query.until or _newest_date(store)  # text: rare, scan all
    days = FIRST_WINDOW_DAYS
    while True:
        start = _days_before(newest, days)
        final = (
            start is None or days > MAX_WINDOW_DAYS or bool(query.since and start <= query.since)
        )
        window = t if final or start is None else t.filter(t.event_date >= start)
        rows = _rows(store, window, want, offset)
        if final or len(rows) == want:
            return rows
        days *= 8


FIRST_WINDOW_DAYS = 32
MAX_WINDOW_DAYS = 20_000


def _rows(store: Store, t: ir.Table, want: int, offset: int) -> list[dict[str, Any]]:
    """The page's rows: row ids first (few columns read), then those rows' columns."""
    sql = str(store.ibis.compile(t.select("event_id", "event_date")))
    rowids = page_rowids(store, sql, limit=want, offset=offset)
    if rowids is not None:
        return events_by_rowid(store, rowids, LIST_COLUMNS)
    ordered = t.order_by([t.event_date.desc(), t.event_id])
    return ordered.select(*LIST_COLUMNS).limit(want, offset=offset).to_pyarrow().to_pylist()


def _days_before(day: dt.date | None, days: int) -> dt.date | None:
    """``days`` before ``day``; None (no window) without a day or before year 1."""
    try:
        return day - dt.timedelta(days=days) if day else None
    except OverflowError:
        return None


def _newest_date(store: Store) -> dt.date | None:
    value = newest_date(store.tables.events).to_pyarrow().as_py()
    return value if isinstance(value, dt.date) else None


def count_events(store: Store, query: EventQuery) -> int:
    """How many events match ``query`` (a scan; the web app caches it)."""
    return int(event_table(store, query.check()).count().execute())


def _front_keys() -> tuple[str, ...]:
    from dyadwatch.analysis.fronts import front_keys

    return front_keys()


def _list_item(row: dict[str, Any]) -> dict[str, Any]:
    row["event_date"] = iso(row["event_date"])
    row["fronts"] = list(row["fronts"] or [])
    row["url"] = safe_url(row["url"])
    return row


@dataclass(frozen=True, slots=True)
class EventDetail:
    """``/events/{id}``: the event, its evidence, source link and lineage."""

    event: dict[str, Any]
    evidence: str | None
    source_url: str | None
    lineage: dict[str, Any]
    document: dict[str, Any] | None


def build_event_detail(store: Store, event_id: str) -> EventDetail | None:
    """The event called ``event_id``, or None."""
    row = event_row(store, event_id)
    if row is None:
        return None
    event = {k: (iso(v) if isinstance(v, dt.date) else v) for k, v in row.items()}
    event["fronts"] = list(event.get("fronts") or [])
    run = ingest_run(store, row["ingest_run_id"]) if row.get("ingest_run_id") else None
    lineage = {
        "source_system": row["source_system"],
        "source_record_id": row["source_record_id"],
        "ingest_run_id": row.get("ingest_run_id"),
        "ingest_file": run["file_name"] if run else None,
        "ingested": iso(run["finished"] or run["started"]) if run else None,
        "doc_id": row.get("doc_id"),
        "coder": row.get("coder"),
        "confidence": row.get("confidence"),
    }
    doc = document_row(store, row["doc_id"]) if row.get("doc_id") else None
    summary = None
    if doc:
        summary = {k: iso(doc[k]) if k == "date" else doc[k] for k in ("doc_id", "source", "title")}
        summary |= {"date": iso(doc["date"]), "url": safe_url(doc["url"])}
    source_url = safe_url(row.get("url")) or (summary["url"] if summary else None)
    return EventDetail(event, row.get("evidence"), source_url, lineage, summary)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of document text; ``mark`` is the event id whose evidence it is, if any."""

    text: str
    mark: str | None


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """``/documents/{doc_id}``: the text, with the evidence sentences highlighted."""

    doc_id: str
    source: str
    date: str | None
    lang: str
    title: str | None
    url: str | None
    segments: tuple[Segment, ...]
    events: tuple[dict[str, Any], ...]
    highlighted: str | None


def build_document(
    store: Store, doc_id: str, *, event_id: str | None = None
) -> DocumentContext | None:
    """The document, or None; highlight ``event_id``'s evidence (or every event's)."""
    doc = document_row(store, doc_id)
    if doc is None:
        return None
    events = [{**e, "event_date": iso(e["event_date"])} for e in document_events(store, doc_id)]
    chosen = [e for e in events if e["event_id"] == event_id] or events
    marks = {e["evidence"]: e["event_id"] for e in chosen if e.get("evidence")}
    return DocumentContext(
        doc_id=doc["doc_id"],
        source=doc["source"],
        date=iso(doc["date"]),
        lang=doc["lang"],
        title=doc["title"],
        url=safe_url(doc["url"]),
        segments=highlight(doc["text"] or "", marks),
        events=tuple(events),
        highlighted=event_id if any(e["event_id"] == event_id for e in events) else None,
    )


def highlight(text: str, marks: dict[str, str]) -> tuple[Segment, ...]:
    """Split ``text`` into plain runs and runs that are one of the ``marks`` sentences."""
    spans: list[tuple[int, int, str]] = []
    for sentence, ident in marks.items():
        found = _find_sentence(text, sentence)
        if found is not None:
            spans.append((*found, ident))
    out: list[Segment] = []
    pos = 0
    for start, end, ident in sorted(spans):
        if start < pos:
            continue
        if start > pos:
            out.append(Segment(text[pos:start], None))
        out.append(Segment(text[start:end], ident))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:], None))
    return tuple(out)


def _find_sentence(text: str, sentence: str) -> tuple[int, int] | None:
    """Where ``sentence`` is in ``text``, whatever whitespace (line breaks, no-break
    spaces) separates its words there: the coder's evidence has single spaces."""
    words = sentence.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (match.start(), match.end()) if match else None


def export_filtered(store: Store, query: EventQuery, out: Path, *, fmt: str) -> None:
    """Write every event matching ``query`` (all pages) to ``out`` as csv or parquet."""
    t = event_table(store, replace(query, page=1).check())
    t = t.order_by([t.event_date.desc(), t.event_id])
    if fmt == "csv":
        store.ibis.to_csv(t.mutate(fronts=t.fronts.join(";")), out)
    elif fmt == "parquet":
        store.ibis.to_parquet(t, out)
    else:
        raise ConfigError(f"unknown export format {fmt!r}; choose csv or parquet")
