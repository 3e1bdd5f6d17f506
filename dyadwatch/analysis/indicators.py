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
from dyadwatch.store import Store


@dataclass(frozen=True, slots=True)
class Indicator:
    """A named monthly series: ``series`` at ``geography`` (a SQL LIKE pattern when summed)."""

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
        "USA",
        "trade",
    ),
    Indicator(
        "homicides",
        "Homicide victims in Mexico, all states (SESNSP)",
        "sesnsp-victims-homicidio-doloso",
        "MX-%",
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


def indicator_series(store: Store, item: Indicator) -> pd.Series:
    """Monthly values (index: month starts), empty when the store lacks the series."""
    op = "LIKE" if item.summed else "="
    rows = store.execute(
        f"SELECT period, sum(value) FROM indicators WHERE series = ? AND geography {op} ? "
        "GROUP BY period ORDER BY period",
        [item.series, item.geography],
    )
    index = pd.DatetimeIndex([pd.Timestamp(r[0]) for r in rows], name="period")
    return pd.Series([float(r[1]) for r in rows], index=index, name=item.key, dtype="float64")


def geography_changes(
    store: Store, item: Indicator, period: dt.date, before: dt.date, limit: int = 5
) -> list[dict[str, object]]:
    """For a summed indicator: the geographies that moved most between two months."""
    if not item.summed:
        return []
    rows = store.execute(
        "SELECT geography, sum(value) FILTER (WHERE period = ?) AS now, "
        "sum(value) FILTER (WHERE period = ?) AS before FROM indicators "
        "WHERE series = ? AND geography LIKE ? AND period IN (?, ?) GROUP BY geography "
        "ORDER BY abs(coalesce(now, 0) - coalesce(before, 0)) DESC LIMIT ?",
        [period, before, item.series, item.geography, period, before, limit],
    )
    return [
        {"geography": geo, "value": now, "previous": prev, "change": (now or 0) - (prev or 0)}
        for geo, now, prev in rows
    ]
