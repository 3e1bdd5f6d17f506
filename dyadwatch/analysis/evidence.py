"""The events behind a number: the top contributors to a series in a window, with evidence.

Evidence is read from the tables given (``store/tables.py``: a store's DuckDB tables,
or their Spark snapshots), so it runs on the backend that computed the number. Only events
between the two countries in the given directions, and only counted events (at or above the
coder's confidence threshold, asserted), are ever evidence. They are ranked by weight:
Goldstein value × confidence (structured sources: confidence 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dyadwatch.analysis.fronts import in_front
from dyadwatch.analysis.index import counted, effective_goldstein
from dyadwatch.store import Store
from dyadwatch.store.documents import document_links
from dyadwatch.store.tables import Tables, tables_of

if TYPE_CHECKING:
    import ibis.expr.types as ir

QUADS = {
    "conflict": (3, 4),
    "material_conflict": (4,),
    "cooperation": (1, 2),
    "net_cooperation": (1, 2, 3, 4),
    "events": (1, 2, 3, 4),
}


@dataclass(frozen=True, slots=True)
class Contributor:
    """One event that drives a series: what, who, when, and where to read about it."""

    event_id: str
    event_date: dt.date
    source_system: str
    source_country: str | None
    target_country: str | None
    plover_type: str | None
    quad_class: int | None
    goldstein: float | None
    evidence: str | None
    url: str | None
    doc_id: str | None
    source_record_id: str
    confidence: float | None = None
    doc_title: str | None = None


def top_events(
    source: Store | Tables,
    *,
    directions: Sequence[tuple[str, str]],
    start: dt.date,
    end: dt.date,
    measure: str = "conflict",
    front: str | None = None,
    sources: Sequence[str] | None = None,
    limit: int = 5,
) -> list[Contributor]:
    """The events in ``[start, end]`` that weigh most in ``measure``.

    ``directions`` are (source, target) country pairs (``analysis.scope``). Conflict
    measures rank by the most negative weight, cooperation by the most positive, the others
    by size; ties by sources, then the newest. ``source``: a store (its DuckDB tables) or
    the tables on another backend.
    """
    tables = tables_of(source)
    t = tables.events
    t = t.filter(
        counted(t)
        & (t.event_date >= start)
        & (t.event_date <= end)
        & t.quad_class.isin(QUADS[measure])
    )
    t = t.filter(_any_direction(t, directions))
    if front and front != "all":
        t = t.filter(in_front(t, front))
    if sources:
        t = t.filter(t.source_system.isin(tuple(sources)))
    ranked = _ranked(t, measure).limit(limit).to_pyarrow().to_pylist()
    links = _document_links(tables, [r["doc_id"] for r in ranked if r["doc_id"]])
    return [_contributor(row, links) for row in ranked]


def documents_behind(
    source: Store | Tables,
    *,
    directions: Sequence[tuple[str, str]],
    start: dt.date,
    end: dt.date,
    front: str | None = None,
    sources: Sequence[str] | None = None,
) -> int:
    """How many distinct documents (coded: the document; else the article URL, else the
    record) report the counted events of ``directions`` in ``[start, end]``."""
    t = tables_of(source).events
    t = t.filter(counted(t) & (t.event_date >= start) & (t.event_date <= end))
    t = t.filter(_any_direction(t, directions))
    if front and front != "all":
        t = t.filter(in_front(t, front))
    if sources:
        t = t.filter(t.source_system.isin(tuple(sources)))
    document = t.doc_id.fill_null(t.url).fill_null(t.source_record_id)
    return int(document.nunique().to_pyarrow().as_py() or 0)


def _any_direction(t: ir.Table, directions: Sequence[tuple[str, str]]) -> ir.BooleanValue:
    import ibis

    condition = ibis.literal(False)
    for source, target in directions:
        condition = condition | ((t.source_country == source) & (t.target_country == target))
    return condition


def _ranked(t: ir.Table, measure: str) -> ir.Table:
    t = t.mutate(g=effective_goldstein(t))
    sure = (t.source_system == "coded").ifelse(t.confidence.fill_null(0.0), 1.0)
    weight = t.g.fill_null(0) * sure
    key = weight.asc() if measure in ("conflict", "material_conflict") else weight.desc()
    if measure in ("events", "net_cooperation"):
        key = weight.abs().desc()
    return t.order_by([key, t.n_sources.fill_null(0).desc(), t.event_date.desc(), t.event_id])


def contributor_dict(event: Contributor) -> dict[str, Any]:
    """A contributor as a JSON-ready dictionary (its date as an ISO string)."""
    import dataclasses

    return {**dataclasses.asdict(event), "event_date": event.event_date.isoformat()}


def _document_links(tables: Tables, doc_ids: list[str]) -> dict[str, tuple[str | None, str | None]]:
    if not doc_ids:
        return {}
    rows = document_links(tables.documents, doc_ids).to_pyarrow().to_pylist()
    return {row["doc_id"]: (row["url"], row["title"]) for row in rows}


def _contributor(
    row: dict[str, Any], links: dict[str, tuple[str | None, str | None]]
) -> Contributor:
    doc_id = row["doc_id"]
    doc_url, title = links.get(str(doc_id), (None, None)) if doc_id else (None, None)
    return Contributor(
        event_id=str(row["event_id"]),
        event_date=row["event_date"],
        source_system=str(row["source_system"]),
        source_country=row["source_country"],
        target_country=row["target_country"],
        plover_type=row["plover_type"],
        quad_class=row["quad_class"],
        goldstein=row["g"],
        evidence=row["evidence"],
        url=row["url"] or doc_url,
        doc_id=doc_id,
        source_record_id=str(row["source_record_id"]),
        confidence=row["confidence"],
        doc_title=title,
    )
