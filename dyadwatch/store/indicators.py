"""Store side of indicator series: reads of the ``indicators`` table, and the ingest's
check of which staged values are new.

An indicator row is one value of one ``series`` at one ``geography`` for one ``period``
(a month's first day). A ``geography`` argument is exact, or a SQL LIKE pattern
(``MX-%``: every Mexican state) when ``pattern`` is true. Which series make an
indicator, and what they mean, lives in ``analysis/indicators.py`` and
``forecast/targets.py``; the layouts that load them in ``ingest/series.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pyarrow as pa

from dyadwatch.store.connection import Store
from dyadwatch.store.tables import Tables, tables_of

if TYPE_CHECKING:  # ibis is imported lazily, through Store.ibis (it loads rich)
    import ibis.expr.types as ir

Key = tuple[str, dt.date, str]  # (series, period, geography): an indicator row's identity


def series_rows(
    source: Store | Tables, series: str, geography: str, *, pattern: bool = False
) -> ir.Table:
    """``period, geography, value`` of ``series`` at ``geography``, by period, from a
    store's DuckDB tables or any backend's :class:`Tables`."""
    t = tables_of(source).indicators
    where = t.geography.like(geography) if pattern else t.geography == geography
    return t.filter((t.series == series) & where).select("period", "geography", "value")


def monthly_sums(
    source: Store | Tables, series: str, geography: str, *, pattern: bool = False
) -> ir.Table:
    """``period, value``: ``series`` summed over the matching geographies, by period."""
    t = series_rows(source, series, geography, pattern=pattern)
    return t.group_by("period").aggregate(value=t.value.sum()).order_by("period")


def geography_moves(
    source: Store | Tables, series: str, pattern: str, period: dt.date, before: dt.date, limit: int
) -> ir.Table:
    """``geography, now, before``: the geographies matching ``pattern`` whose value moved
    most between month ``before`` and month ``period`` (largest absolute change first)."""
    t = series_rows(source, series, pattern, pattern=True)
    t = t.filter(t.period.isin([period, before]))
    moved = t.group_by("geography").aggregate(
        now=t.value.sum(where=t.period == period), before=t.value.sum(where=t.period == before)
    )
    change = (moved.now.fill_null(0) - moved.before.fill_null(0)).abs()
    return moved.order_by([change.desc(), moved.geography]).limit(limit)


def new_keys(store: Store, staged: pa.Table) -> set[Key]:
    """The (series, period, geography) keys of ``staged`` that the store does not hold."""
    with store.registered("_series_pending", staged) as name:
        rows = store.execute(
            f"SELECT s.series, s.period, s.geography FROM {name} s "
            "ANTI JOIN indicators t USING (series, period, geography)"
        )
    return {(series, period, geography) for series, period, geography in rows}
