"""The analysis behind the overview, front and alert pages, computed once per store state.

Verdicts and alerts take seconds to minutes on a large store; the web app builds one
:class:`Snapshot` per store fingerprint and every page reads from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyadwatch.analysis import (
    Alert,
    Verdict,
    compute_index,
    find_alerts,
    monthly_verdicts,
)
from dyadwatch.analysis.fronts import front_keys
from dyadwatch.analysis.indicators import INDICATORS, indicator_series
from dyadwatch.analysis.scope import relationship_spec
from dyadwatch.analysis.series import dyadic_systems
from dyadwatch.analysis.verdicts import latest_month
from dyadwatch.settings import Settings
from dyadwatch.store import Store

INDEX_YEARS = 12  # the overview's index starts this many years before the latest month
ALERT_MONTHS = 24  # alerts whose window ends in the last this many months


@dataclass(frozen=True, slots=True)
class IndicatorSeries:
    """One indicator's monthly values, with its label and front."""

    key: str
    label: str
    front: str
    points: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the cached pages read: month, verdicts, index rows, indicators."""

    month: dt.date | None
    sources: tuple[str, ...]
    verdicts: tuple[Verdict, ...]
    index: dict[str, tuple[dict[str, Any], ...]]  # front key (or "all") -> monthly rows
    indicators: tuple[IndicatorSeries, ...]


def months_before(month: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``month``."""
    return (pd.Timestamp(month) - pd.DateOffset(months=months)).date()


def build_snapshot(store: Store, settings: Settings) -> Snapshot:
    """Compute the snapshot: the slow part of the dashboard."""
    month = latest_month(store, settings)
    sources = dyadic_systems(store, settings.dyad_countries)
    if month is None:
        return Snapshot(None, sources, (), {}, _indicators(store))
    return Snapshot(
        month=month,
        sources=sources,
        verdicts=tuple(monthly_verdicts(store, settings, month)),
        index=monthly_index(store, settings, month, sources),
        indicators=_indicators(store),
    )


@dataclass(frozen=True, slots=True)
class AlertSet:
    """The alerts whose window ends on or after ``since`` (the slowest part to compute)."""

    since: dt.date | None
    alerts: tuple[Alert, ...]


def build_alerts(store: Store, settings: Settings) -> AlertSet:
    """Alerts of the last :data:`ALERT_MONTHS` months before the latest month."""
    month = latest_month(store, settings)
    if month is None:
        return AlertSet(None, ())
    since = months_before(month, ALERT_MONTHS)
    return AlertSet(since, tuple(find_alerts(store, settings, since=since)))


def monthly_index(
    store: Store, settings: Settings, month: dt.date, sources: tuple[str, ...]
) -> dict[str, tuple[dict[str, Any], ...]]:
    """The monthly index of the relationship in both directions, overall and per front."""
    events = store.ibis.table("events")
    start = months_before(month, 12 * INDEX_YEARS)
    end = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
    out: dict[str, tuple[dict[str, Any], ...]] = {}
    for front in (None, *front_keys()):
        spec = relationship_spec(
            settings.dyad_countries,
            front=front,
            sources=sources or None,
            combine=True,
            since=start,
            until=end,
        )
        out[front or "all"] = tuple(compute_index(events, spec)) if sources else ()
    return out


def _indicators(store: Store) -> tuple[IndicatorSeries, ...]:
    out = []
    for item in INDICATORS:
        values = indicator_series(store, item).dropna()
        points = tuple((p.date().isoformat(), float(v)) for p, v in values.items())
        out.append(IndicatorSeries(item.key, item.label, item.front, points))
    return tuple(out)
