"""Explained alerts: every event and indicator series scanned for abnormal shifts.

Event series are kept per source system (never mixed), per direction of the relationship
(``analysis.scope``: never a country's own events) and per front. Monthly series are
normalised by what the system read (``analysis.reading``) and run only over the months it
covers, so no window ends after the last covered month. Each alert names its series,
window and shift, and lists the events behind it with their evidence; a red alert needs
events from at least ``RED_MIN_DOCUMENTS`` distinct documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dyadwatch.analysis.detect import LEVELS, Shift, changepoint_shifts, robust_z_shifts
from dyadwatch.analysis.evidence import (
    Contributor,
    contributor_dict,
    documents_behind,
    top_events,
)
from dyadwatch.analysis.index import Freq
from dyadwatch.analysis.indicators import INDICATORS, Indicator, geography_changes
from dyadwatch.analysis.indicators import indicator_series as load_indicator
from dyadwatch.analysis.reading import load_reading
from dyadwatch.analysis.scope import relationship_pairs, relationship_spec
from dyadwatch.analysis.series import SeriesKey, event_series, period_bounds
from dyadwatch.settings import Settings
from dyadwatch.store import Store
from dyadwatch.store.tables import Tables

MIN_COUNT_CHANGE = 3  # an event-count shift smaller than this many events is never an alert
RED_MIN_DOCUMENTS = 3  # a red alert needs events from at least this many distinct documents
MEASURE_WORDS = {
    "conflict": "conflict events (PLOVER quad classes 3-4)",
    "net_cooperation": "net cooperation (cooperative minus conflictual events)",
}


@dataclass(frozen=True, slots=True)
class Alert:
    """One abnormal shift, explained."""

    level: str
    series: str
    kind: str  # "events" or "indicator"
    front: str
    direction: str | None
    source: str
    method: str
    start: dt.date
    end: dt.date
    value: float
    baseline: float
    score: float
    explanation: str
    events_role: str  # "drivers" (the events counted) or "context" (same front and window)
    events: tuple[Contributor, ...] = ()
    geographies: tuple[dict[str, Any], ...] = field(default=())

    @property
    def severity(self) -> int:
        return LEVELS.index(self.level)


def find_alerts(
    store: Store,
    settings: Settings,
    *,
    events: Any = None,
    tables: Tables | None = None,
    freq: Freq = "month",
    since: dt.date | None = None,
    with_events: int = 5,
) -> list[Alert]:
    """Every alert whose window ends on or after ``since``, newest and most severe first.

    Every series, its coverage and its evidence are read from ``tables`` (default: the
    store's DuckDB tables; ``store.spark.spark_tables`` for Spark); ``events`` replaces only
    the table the event series are counted from.
    """
    tables = tables if tables is not None else store.tables
    events = events if events is not None else tables.events
    spec = relationship_spec(settings.dyad_countries, freq=freq)
    found: list[Alert] = []
    normalise = _normaliser(tables, settings) if freq == "month" else None
    for key, values in event_series(tables, events, spec).items():
        if normalise is not None:
            values = normalise(key.source, values)
        for shift in _shifts(values, freq, count=True, since=since):
            if abs(shift.value - shift.baseline) >= MIN_COUNT_CHANGE:
                found.append(_event_alert(tables, key, shift, freq, with_events))
    if freq == "month":
        for item in INDICATORS:
            values = load_indicator(tables, item)
            for shift in _shifts(values, freq, count=False, since=since):
                alert = _indicator_alert(tables, settings, item, shift, with_events)
                found.append(alert)
    return sorted(found, key=lambda a: (a.end, a.severity, a.series), reverse=True)


def _normaliser(tables: Tables, settings: Settings) -> Any:
    """A function that normalises a monthly series of one system by what it read, and keeps
    only the months the system covers (``analysis.reading``)."""
    reading = load_reading(tables, settings)
    cache: dict[str, dict[dt.date, float]] = {}

    def normalise(system: str, values: pd.Series) -> pd.Series:
        if not reading.knows(system):  # nothing recorded of its reading (a fixture): as is
            return values
        if system not in cache:
            cache[system] = reading.system_factors(system)
        factors = cache[system]
        months = pd.DatetimeIndex([pd.Timestamp(m) for m in factors], name=values.index.name)
        scale = pd.Series(list(factors.values()), index=months)
        return (values.reindex(months).fillna(0.0) * scale).rename(values.name)

    return normalise


def _shifts(values: pd.Series, freq: Freq, *, count: bool, since: dt.date | None) -> list[Shift]:
    if values.dropna().empty:
        return []
    shifts = robust_z_shifts(values, freq=freq, count=count)
    shifts += changepoint_shifts(values, freq=freq, count=count)
    if since:
        shifts = [s for s in shifts if s.end.date() >= since]
    return shifts


def _event_alert(tables: Tables, key: SeriesKey, shift: Shift, freq: Freq, limit: int) -> Alert:
    start, end = shift.start.date(), period_bounds(shift.end.date(), freq)[1]
    source, target = key.direction.split("->")
    directions, sources = [(source, target)], key.source.split("+")
    drivers = top_events(
        tables,
        directions=directions,
        start=start,
        end=end,
        measure="conflict" if key.measure == "conflict" else "net_cooperation",
        front=key.front,
        sources=sources,
        limit=limit,
    )
    explanation = _explain(MEASURE_WORDS[key.measure], key, shift, start, end)
    if freq == "month":
        explanation += " Counts are normalised to a month of the source's typical reading."
    level = shift.level
    if level == "red alert":
        documents = documents_behind(
            tables, directions=directions, start=start, end=end, front=key.front, sources=sources
        )
        if documents < RED_MIN_DOCUMENTS:
            level = "alert"
            explanation += (
                f" Lowered from red alert: its events come from {documents} document"
                f"{'' if documents == 1 else 's'}, fewer than {RED_MIN_DOCUMENTS}."
            )
    return Alert(
        level=level,
        series=key.name,
        kind="events",
        front=key.front,
        direction=key.direction,
        source=key.source,
        method=shift.method,
        start=start,
        end=end,
        value=shift.value,
        baseline=shift.baseline,
        score=shift.score,
        explanation=explanation,
        events_role="drivers",
        events=tuple(drivers),
    )


def _indicator_alert(
    tables: Tables, settings: Settings, item: Indicator, shift: Shift, limit: int
) -> Alert:
    start, end = shift.start.date(), period_bounds(shift.end.date(), "month")[1]
    previous = (shift.start - pd.DateOffset(months=1)).date()
    context = top_events(
        tables,
        directions=relationship_pairs(settings.dyad_countries),
        start=start,
        end=end,
        measure="events",
        front=item.front,
        limit=limit,
    )
    return Alert(
        level=shift.level,
        series=item.key,
        kind="indicator",
        front=item.front,
        direction=None,
        source=item.series,
        method=shift.method,
        start=start,
        end=end,
        value=shift.value,
        baseline=shift.baseline,
        score=shift.score,
        explanation=_explain(item.label, None, shift, start, end),
        events_role="context",
        events=tuple(context),
        geographies=tuple(geography_changes(tables, item, start, previous)),
    )


def _explain(what: str, key: SeriesKey | None, shift: Shift, start: dt.date, end: dt.date) -> str:
    where = f" {key.direction}, front {key.front}, source {key.source}" if key else ""
    verb = "rose" if shift.value > shift.baseline else "fell"
    if shift.method == "robust_z":
        return (
            f"{what}{where} {verb} to {shift.value:,.1f} in the period from {start} "
            f"(expected {shift.baseline:,.1f}; robust z {shift.score:+.1f} against the "
            f"previous 12 periods)."
        )
    return (
        f"{what}{where}: a lasting shift from {start} to {end}; the seasonal residual's mean "
        f"moved from {shift.baseline:,.1f} to {shift.value:,.1f} "
        f"({shift.score:+.1f} robust standard deviations; PELT changepoint)."
    )


def alerts_as_dicts(alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    """Alerts as JSON-ready dictionaries (dates as ISO strings)."""
    import dataclasses

    out = []
    for alert in alerts:
        row = dataclasses.asdict(alert)
        row["start"], row["end"] = alert.start.isoformat(), alert.end.isoformat()
        row["events"] = [contributor_dict(e) for e in alert.events]
        out.append(row)
    return out
