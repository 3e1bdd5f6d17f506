"""Which coded reports describe the same real-world event.

Two coded events are reports of one event when they have the same PLOVER type, the same
source and target (by actor code, else by country), and dates at most ``WINDOW_DAYS``
apart from the cluster's first report; this holds across sentences and documents. The
cluster id is the first report's event id. Events with no source and no target never
cluster with others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

WINDOW_DAYS = 3


@dataclass(frozen=True, slots=True)
class ClusterKey:
    event_id: str
    event_date: dt.date
    plover_type: str
    source: str | None
    target: str | None


def cluster_ids(events: Iterable[ClusterKey]) -> dict[str, str]:
    """event_id → event_cluster_id, for events given in date order."""
    open_clusters: dict[tuple[str, str | None, str | None], tuple[str, dt.date]] = {}
    result: dict[str, str] = {}
    for event in events:
        if event.source is None and event.target is None:
            result[event.event_id] = event.event_id
            continue
        key = (event.plover_type, event.source, event.target)
        current = open_clusters.get(key)
        if current is None or (event.event_date - current[1]).days > WINDOW_DAYS:
            current = (event.event_id, event.event_date)
            open_clusters[key] = current
        result[event.event_id] = current[0]
    return result
