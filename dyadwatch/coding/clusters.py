"""Which coded reports describe the same real-world event.

Two coded events are reports of one event when they have the same PLOVER type, the same
known source and target (by actor code, else by country), dates at most ``WINDOW_DAYS``
apart from the cluster's first report, and evidence sentences that share at least
``MIN_OVERLAP`` of their content words (Jaccard) with that first report. This holds across
sentences and documents. The cluster id is the first report's event id. An event without
both a source and a target stays alone: "the same actors" cannot be checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WINDOW_DAYS = 3
MIN_OVERLAP = 0.3
_WORD = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True, slots=True)
class ClusterKey:
    event_id: str
    event_date: dt.date
    plover_type: str
    source: str | None
    target: str | None
    evidence: str = ""


@dataclass(slots=True)
class _Open:
    cluster_id: str
    first_date: dt.date
    words: frozenset[str] = field(default_factory=frozenset)


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of four letters or more."""
    return frozenset(w.lower() for w in _WORD.findall(text))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _within_window(cluster: _Open, event: ClusterKey) -> bool:
    return (event.event_date - cluster.first_date).days <= WINDOW_DAYS


def cluster_ids(events: Iterable[ClusterKey]) -> dict[str, str]:
    """event_id → event_cluster_id, for events given in date order."""
    open_clusters: dict[tuple[str, str, str], list[_Open]] = {}
    result: dict[str, str] = {}
    for event in events:
        if event.source is None or event.target is None:
            result[event.event_id] = event.event_id
            continue
        candidates = open_clusters.setdefault((event.plover_type, event.source, event.target), [])
        candidates[:] = [
            c for c in candidates if (event.event_date - c.first_date).days <= WINDOW_DAYS
        ]
        words = content_words(event.evidence)
        match = next((c for c in candidates if _overlap(c.words, words) >= MIN_OVERLAP), None)
        if match is None:
            match = _Open(event.event_id, event.event_date, words)
            candidates.append(match)
        result[event.event_id] = match.cluster_id
    return result
