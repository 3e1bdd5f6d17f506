"""The overview page and the page of each front, read from a :class:`Snapshot`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dyadwatch.analysis import Alert, Verdict
from dyadwatch.analysis.fronts import check_front
from dyadwatch.analysis.indicators import INDICATORS
from dyadwatch.ontology.fronts import fronts
from dyadwatch.ontology.pairs import Pair
from dyadwatch.views.charts import Chart, line_chart, sparkline
from dyadwatch.views.common import coverage_line, safe_url
from dyadwatch.views.forecasts import ForecastsContext
from dyadwatch.views.snapshot import AlertSet, IndicatorSeries, Snapshot

SPARK_MONTHS = 36
OVERVIEW_ALERTS = 8


@dataclass(frozen=True, slots=True)
class EventLink:
    """An event cited by a verdict or alert, with where to read more."""

    event_id: str
    event_date: str
    source_system: str
    plover_type: str | None
    direction: str
    evidence: str | None
    url: str | None
    confidence: str | None = None  # coded events: the coder's confidence, as printed
    document: str | None = None  # the title (else id) of the document it was coded from
    weight: float = 0.0  # Goldstein value × confidence: key events are the largest


@dataclass(frozen=True, slots=True)
class VerdictView:
    """The verdict on one front for the month."""

    front: str
    label: str
    verdict: str
    flags: tuple[str, ...]
    reasons: tuple[str, ...]
    numbers: dict[str, float]
    events: tuple[EventLink, ...]
    coverage: str = ""
    css: str = ""  # the verdict as a CSS class name (no spaces)


@dataclass(frozen=True, slots=True)
class AlertView:
    """One alert with its explanation and contributing events."""

    id: str
    level: str
    series: str
    kind: str
    front: str
    direction: str | None
    source: str
    method: str
    start: str
    end: str
    value: float
    baseline: float
    score: float
    explanation: str
    events_role: str
    events: tuple[EventLink, ...]


@dataclass(frozen=True, slots=True)
class OverviewContext:
    """``/`` and ``/overview.json``."""

    dyad: str
    month: str | None
    sources: tuple[str, ...]
    verdicts: tuple[VerdictView, ...]
    index_chart: Chart | None
    alerts: tuple[AlertView, ...]
    forecasts: ForecastsContext
    sparklines: tuple[Chart, ...]
    pending: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FrontContext:
    """``/fronts/{front}`` and its JSON twin."""

    front: str
    label: str
    description: str
    month: str | None
    verdict: VerdictView | None
    index_chart: Chart | None
    indicator_charts: tuple[Chart, ...]
    alerts: tuple[AlertView, ...]
    key_events: tuple[EventLink, ...]
    pending: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AlertsContext:
    """``/alerts`` and ``/alerts.json``: alerts ending on or after ``since``."""

    since: str | None
    alerts: tuple[AlertView, ...]
    pending: bool = False


def build_alerts_page(found: AlertSet | None) -> AlertsContext:
    """Every computed alert, or a pending page while they are being computed."""
    if found is None:
        return AlertsContext(None, (), pending=True)
    since = found.since.isoformat() if found.since else None
    return AlertsContext(since, tuple(alert_view(a) for a in found.alerts))


def front_labels(pair: Pair | None = None) -> dict[str, str]:
    """Front key → its human label, as the pair names it (default: the shipped pair)."""
    return {f.key: f.label for f in fronts(pair)}


def build_overview(
    snap: Snapshot | None,
    alerts: AlertSet | None,
    forecasts: ForecastsContext,
    *,
    dyad: str,
    pair: Pair | None = None,
) -> OverviewContext:
    """The overview from the snapshot, the alerts and the stored forecasts; parts still
    being computed (None) are named in ``pending``."""
    empty = Snapshot(None, (), (), {}, ())
    ready = snap or empty
    return OverviewContext(
        dyad=dyad,
        month=ready.month.strftime("%Y-%m") if ready.month else None,
        sources=ready.sources,
        verdicts=tuple(verdict_view(v, pair) for v in ready.verdicts),
        index_chart=_index_chart(
            "index-all", "Net cooperation by direction, monthly", ready, "all"
        ),
        alerts=tuple(alert_view(a) for a in (alerts.alerts if alerts else ())[:OVERVIEW_ALERTS]),
        forecasts=forecasts,
        sparklines=tuple(_spark(s) for s in ready.indicators if s.points),
        pending=_pending(snap, alerts),
    )


def _pending(snap: Snapshot | None, alerts: AlertSet | None) -> tuple[str, ...]:
    return (
        *(("verdicts and index",) if snap is None else ()),
        *(("alerts",) if alerts is None else ()),
    )


def build_front(
    snap: Snapshot | None, alerts: AlertSet | None, front: str, *, pair: Pair | None = None
) -> FrontContext:
    """One front's page: index, indicators beside it, verdict, alerts and key events."""
    check_front(front)
    ready = snap or Snapshot(None, (), (), {}, ())
    info = {f.key: f for f in fronts(pair)}[front]
    verdict = next((verdict_view(v, pair) for v in ready.verdicts if v.front == front), None)
    found = tuple(alert_view(a) for a in (alerts.alerts if alerts else ()) if a.front == front)
    keys = {i.key for i in INDICATORS if i.front == front}
    charts = tuple(
        line_chart(f"ind-{s.key}", s.label, _points(s, 12 * 12), x="period", y="value")
        for s in ready.indicators
        if s.key in keys and s.points
    )
    return FrontContext(
        front=front,
        label=info.label,
        description=info.covers,
        month=ready.month.strftime("%Y-%m") if ready.month else None,
        verdict=verdict,
        index_chart=_index_chart(f"index-{front}", f"{info.label}: net cooperation", ready, front),
        indicator_charts=charts,
        alerts=found,
        key_events=_key_events(verdict, found),
        pending=_pending(snap, alerts),
    )


def _index_chart(key: str, title: str, snap: Snapshot, front: str) -> Chart | None:
    rows = snap.index.get(front) or ()
    if not rows:
        return None
    values = [
        {
            "period": r["period"],
            "direction": r["direction"],
            "net_cooperation": r["net_cooperation"],
        }
        for r in rows
    ]
    return line_chart(key, title, values, x="period", y="net_cooperation", color="direction")


def _points(series: IndicatorSeries, months: int) -> list[dict[str, Any]]:
    return [{"period": p, "value": v} for p, v in series.points[-months:]]


def _spark(series: IndicatorSeries) -> Chart:
    return sparkline(f"spark-{series.key}", series.label, series.points[-SPARK_MONTHS:])


def event_link(e: Any) -> EventLink:
    """A verdict's or alert's contributor as a link."""
    direction = f"{e.source_country or '?'}->{e.target_country or '?'}"
    confidence = getattr(e, "confidence", None)
    sure = 1.0 if e.source_system != "coded" else float(confidence or 0.0)
    return EventLink(
        e.event_id,
        e.event_date.isoformat(),
        e.source_system,
        e.plover_type,
        direction,
        e.evidence,
        safe_url(e.url),
        confidence=None if confidence is None else f"{confidence:.2f}",
        document=getattr(e, "doc_title", None) or e.doc_id,
        weight=round(float(e.goldstein or 0.0) * sure, 3),
    )


def verdict_view(v: Verdict, pair: Pair | None = None) -> VerdictView:
    """A verdict for display (front labels as ``pair`` names them)."""
    label = "All fronts" if v.front == "all" else front_labels(pair).get(v.front, v.front)
    return VerdictView(
        v.front,
        label,
        v.verdict,
        v.flags,
        v.reasons,
        dict(v.numbers),
        tuple(event_link(e) for e in v.events),
        coverage=coverage_line(v.coverage),
        css=v.verdict.replace(" ", "-"),
    )


def alert_view(a: Alert) -> AlertView:
    """An alert for display, with a stable id for links."""
    ident = f"{a.series}|{a.method}|{a.start.isoformat()}|{a.end.isoformat()}"
    return AlertView(
        id=ident,
        level=a.level,
        series=a.series,
        kind=a.kind,
        front=a.front,
        direction=a.direction,
        source=a.source,
        method=a.method,
        start=a.start.isoformat(),
        end=a.end.isoformat(),
        value=round(a.value, 3),
        baseline=round(a.baseline, 3),
        score=round(a.score, 3),
        explanation=a.explanation,
        events_role=a.events_role,
        events=tuple(event_link(e) for e in a.events),
    )


def _key_events(verdict: VerdictView | None, alerts: Sequence[AlertView]) -> tuple[EventLink, ...]:
    seen: dict[str, EventLink] = {}
    for link in (*(verdict.events if verdict else ()), *(e for a in alerts for e in a.events)):
        seen.setdefault(link.event_id, link)
    ranked = sorted(seen.values(), key=lambda e: (abs(e.weight), e.event_date), reverse=True)
    return tuple(ranked[:20])
