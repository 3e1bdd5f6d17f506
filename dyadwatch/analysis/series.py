"""Index rows turned into time series on a calendar, and the monthly panel for models.

A period counts as *covered* by a source system when the system has anything dated in it
(for coded events: a document). Inside coverage a missing count is a true zero; outside
it the value is unknown (NaN), never zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyadwatch.analysis.fronts import front_keys
from dyadwatch.analysis.index import Freq, IndexSpec, compute_index, direction_label
from dyadwatch.analysis.indicators import INDICATORS, indicator_series
from dyadwatch.settings import Settings
from dyadwatch.store import Store
from dyadwatch.store import events as event_reads
from dyadwatch.store.documents import document_periods
from dyadwatch.store.tables import Tables, tables_of

MEASURES = {
    "events": ("events",),
    "conflict": ("quad3", "quad4"),
    "material_conflict": ("quad4",),
    "cooperation": ("quad1", "quad2"),
    "net_cooperation": ("net_cooperation",),
}
PERIOD_UNITS: dict[Freq, event_reads.PeriodUnit] = {"day": "D", "week": "W", "month": "M"}


@dataclass(frozen=True, slots=True, order=True)
class SeriesKey:
    """One event series: a measure of one direction on one front from one source system."""

    measure: str
    direction: str
    front: str
    source: str

    @property
    def name(self) -> str:
        return f"{self.measure} {self.direction} {self.front} [{self.source}]"


def coverage(source: Store | Tables, freq: Freq) -> dict[str, pd.DatetimeIndex]:
    """The periods each source system covers (coded events: periods with a document)."""
    tables, unit = tables_of(source), PERIOD_UNITS[freq]
    events = event_reads.event_periods(tables.events, unit).to_pandas()
    documents = document_periods(tables.documents, unit).to_pandas()
    periods: dict[str, set[pd.Timestamp]] = {}
    for frame in (events, documents):
        for system, period in zip(frame["system"], frame["period"], strict=True):
            periods.setdefault(str(system), set()).add(pd.Timestamp(period))
    return {key: pd.DatetimeIndex(sorted(v), name="period") for key, v in periods.items()}


def rows_to_series(
    rows: Iterable[dict[str, Any]], covered: dict[str, pd.DatetimeIndex], measures: Sequence[str]
) -> dict[SeriesKey, pd.Series]:
    """Split index rows into one series per measure, direction, front and source."""
    frame = pd.DataFrame(list(rows))
    out: dict[SeriesKey, pd.Series] = {}
    if frame.empty:
        return out
    frame["period"] = pd.to_datetime(frame["period"])
    for (source, direction, front), part in frame.groupby(["source", "direction", "front"]):
        calendar = _calendar(covered, str(source))
        for measure in measures:
            values = part.set_index("period")[list(MEASURES[measure])].sum(axis=1)
            series = values.reindex(calendar, fill_value=0).astype("float64")
            key = SeriesKey(measure, str(direction), str(front), str(source))
            out[key] = series.rename(key.name)
    return out


def event_series(
    source: Store | Tables,
    events: Any,
    spec: IndexSpec,
    *,
    fronts: Sequence[str | None] | None = None,
    measures: Sequence[str] = ("conflict", "net_cooperation"),
) -> dict[SeriesKey, pd.Series]:
    """Every series of ``measures`` for each front (None: all fronts together), by default
    all fronts together and each of the six. Coverage comes from ``source`` (a store: its
    DuckDB tables), the counts from ``events``."""
    covered = coverage(source, spec.freq)
    out: dict[SeriesKey, pd.Series] = {}
    for front in fronts if fronts is not None else (None, *front_keys()):
        front_spec = dataclasses.replace(spec, front=front)
        out.update(rows_to_series(compute_index(events, front_spec), covered, measures))
    return out


def monthly_panel(
    store: Store, settings: Settings, *, sources: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """The monthly series models and scenarios use, on one calendar (month starts).

    Event columns combine ``sources`` (default: every system with a dyadic event; which is
    recorded in ``frame.attrs["sources"]``): ``net_coop_usa_mex``, ``net_coop_mex_usa``,
    ``conflict_…``, ``material_conflict_…`` and ``events_<front>``. Indicator columns
    follow (``encounters``, ``imports``, …). Months a series does not cover are NaN.
    """
    a, b = settings.dyad_countries
    chosen = sources or dyadic_systems(store, (a, b))
    spec = IndexSpec(dyad=(a, b), freq="month", sources=chosen, combine=True, own=True)
    measures = ("net_cooperation", "conflict", "material_conflict", "events")
    series = event_series(store, store.ibis.table("events"), spec, measures=measures)
    combined_cover = _combined_coverage(coverage(store, "month"), chosen)
    columns: dict[str, pd.Series] = {}
    for src, tgt in ((a, b), (b, a)):
        label = direction_label(src, tgt)
        suffix = f"{src}_{tgt}".lower()
        for measure in ("net_cooperation", "conflict", "material_conflict"):
            name = "net_coop" if measure == "net_cooperation" else measure
            columns[f"{name}_{suffix}"] = _pick(series, measure, [label], "all", combined_cover)
    directions = [direction_label(x, y) for x in (a, b) for y in (a, b)]
    for front in front_keys():
        columns[f"events_{front}"] = _pick(series, "events", directions, front, combined_cover)
    frame = pd.DataFrame(columns)
    for item in INDICATORS:
        frame = frame.join(indicator_series(store, item), how="outer")
    frame.index.name = "period"
    frame.attrs["sources"] = list(chosen)
    return frame.sort_index()


def monthly_net_cooperation(
    store: Store, settings: Settings, *, sources: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Monthly net cooperation per direction, long: ``period``, ``unit``, ``value``."""
    a, b = settings.dyad_countries
    panel = monthly_panel(store, settings, sources=sources)
    parts = []
    for src, tgt in ((a, b), (b, a)):
        column = panel[f"net_coop_{src}_{tgt}".lower()].dropna()
        parts.append(
            pd.DataFrame(
                {"period": column.index, "unit": direction_label(src, tgt), "value": column.values}
            )
        )
    long = pd.concat(parts, ignore_index=True)
    long.attrs["sources"] = panel.attrs["sources"]
    return long


def _pick(
    series: dict[SeriesKey, pd.Series],
    measure: str,
    directions: Sequence[str],
    front: str,
    calendar: pd.DatetimeIndex,
) -> pd.Series:
    """Sum of the matching series on ``calendar`` (zeros where covered but empty)."""
    total = pd.Series(0.0, index=calendar)
    for key, values in series.items():
        if key.measure == measure and key.front == front and key.direction in directions:
            total = total.add(values.reindex(calendar, fill_value=0.0), fill_value=0.0)
    return total


def _calendar(covered: dict[str, pd.DatetimeIndex], source: str) -> pd.DatetimeIndex:
    systems = source.split("+") if "+" in source else [source]
    return _combined_coverage(covered, systems)


def _combined_coverage(
    covered: dict[str, pd.DatetimeIndex], systems: Iterable[str]
) -> pd.DatetimeIndex:
    index = pd.DatetimeIndex([], name="period")
    for system in systems:
        index = index.union(covered.get(system, pd.DatetimeIndex([])))
    return index.rename("period")


def dyadic_systems(source: Store | Tables, dyad: tuple[str, str]) -> tuple[str, ...]:
    """The source systems with at least one event between the two countries."""
    frame = event_reads.dyadic_systems(tables_of(source).events, dyad).to_pandas()
    return tuple(str(s) for s in frame["source_system"])


def period_bounds(period: dt.date, freq: Freq) -> tuple[dt.date, dt.date]:
    """First and last day of the period starting at ``period``."""
    start = pd.Timestamp(period)
    lengths = {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1)}
    offset = lengths.get(freq, pd.DateOffset(months=1))
    return start.date(), (start + offset - pd.Timedelta(days=1)).date()
