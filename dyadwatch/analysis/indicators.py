"""Indicator series aligned on the index's monthly calendar, each with its front and source.

An indicator is one stored series at one geography, or the sum over a family of
geographies (every Mexican state). Series of different measures are never spliced here:
Border Patrol apprehensions (FY2000–FY2020) and CBP encounters (FY2020–FY2026) count
different things and stay two series.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dyadwatch.errors import ConfigError
from dyadwatch.ontology.sources import resolve_geography
from dyadwatch.store import Store, indicators
from dyadwatch.store.tables import Tables


@dataclass(frozen=True, slots=True)
class Indicator:
    """A named monthly series: ``series`` at ``geography`` (a SQL LIKE pattern when summed;
    ``country:<source>`` and ``states:<source>`` name the country a source counts in, from
    ``data/sources.toml``: see :func:`dyadwatch.ontology.sources.resolve_geography`)."""

    key: str
    label: str
    series: str
    geography: str
    front: str
    summed: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "encounters",
        "Southwest land border encounters (CBP, FY2020–FY2026)",
        "cbp-encounters",
        "Southwest Land Border",
        "migration",
    ),
    Indicator(
        "apprehensions",
        "Southwest border apprehensions (Border Patrol, FY2000–FY2020)",
        "usbp-apprehensions",
        "southwest_border",
        "migration",
    ),
    Indicator(
        "fentanyl_seizures",
        "Fentanyl seized at the Southwest border, lb (CBP)",
        "cbp-seizures-fentanyl",
        "Southwest Border",
        "fentanyl",
    ),
    Indicator(
        "imports",
        "U.S. goods imports from Mexico, USD millions (FRED IMPMX)",
        "us-imports-from-mexico",
        "country:fred",
        "trade",
    ),
    Indicator(
        "homicides",
        "Homicide victims in Mexico, all states (SESNSP)",
        "sesnsp-victims-homicidio-doloso",
        "states:sesnsp",
        "fentanyl",
        summed=True,
    ),
)


def indicator(key: str) -> Indicator:
    """The indicator called ``key``, or a clear error listing the known ones."""
    for item in INDICATORS:
        if item.key == key:
            return item
    known = ", ".join(i.key for i in INDICATORS)
    raise ConfigError(f"unknown indicator {key!r}; known: {known}")


def indicator_series(source: Store | Tables, item: Indicator) -> pd.Series:
    """Monthly values (index: month starts), empty when the store lacks the series; from a
    store or any backend's tables."""
    where = resolve_geography(item.geography)
    sums = indicators.monthly_sums(source, item.series, where, pattern=item.summed)
    rows = sums.to_pyarrow().to_pylist()
    index = pd.DatetimeIndex([pd.Timestamp(r["period"]) for r in rows], name="period")
    values = [float(r["value"]) for r in rows]
    return pd.Series(values, index=index, name=item.key, dtype="float64")


def geography_changes(
    source: Store | Tables, item: Indicator, period: dt.date, before: dt.date, limit: int = 5
) -> list[dict[str, object]]:
    """For a summed indicator: the geographies that moved most between two months."""
    if not item.summed:
        return []
    where = resolve_geography(item.geography)
    moves = indicators.geography_moves(source, item.series, where, period, before, limit)
    return [
        {
            "geography": r["geography"],
            "value": r["now"],
            "previous": r["before"],
            "change": (r["now"] or 0) - (r["before"] or 0),
        }
        for r in moves.to_pyarrow().to_pylist()
    ]
