"""What to watch: the alerts whose shift starts in the briefing's month.

Alerts are computed on the events up to the month's last day, so a briefing of a past month
does not see later events (the indicator series are read whole; a changepoint there may use
later months). Each item links to the explorer filter of its series.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dyadwatch.analysis.alerts import Alert, find_alerts
from dyadwatch.settings import Settings
from dyadwatch.store import Store

if TYPE_CHECKING:
    from dyadwatch.briefs.briefing import Links


@dataclass(frozen=True, slots=True)
class WatchItem:
    """An alert of the month, with the explorer filter of its series."""

    level: str
    front: str
    text: str
    href: str


def watch_items(
    store: Store, settings: Settings, *, since: dt.date, until: dt.date, links: Links
) -> list[WatchItem]:
    """Alerts whose shift starts in the month, computed on events up to its last day."""
    t = store.ibis.table("events")
    alerts = find_alerts(
        store,
        settings,
        events=t.filter(t.event_date <= until),
        since=since,
        with_events=0,
    )
    started = [a for a in alerts if since <= a.start <= until]
    started.sort(key=lambda a: (-a.severity, a.series))
    return [_watch_item(a, until, links) for a in started]


def _watch_item(alert: Alert, until: dt.date, links: Links) -> WatchItem:
    if alert.kind == "events" and alert.direction:
        src, tgt = alert.direction.split("->")
        source = None if "+" in alert.source else alert.source
        href = links.explorer(
            front=alert.front,
            since=alert.start,
            until=min(alert.end, until),
            direction=f"{src}-{tgt}",
            source=source,
        )
    else:
        href = links.explorer(front=alert.front, since=alert.start, until=until)
    return WatchItem(alert.level, alert.front, alert.explanation, href)
