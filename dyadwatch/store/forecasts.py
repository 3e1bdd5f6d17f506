"""Store side of forecasts: the ``forecasts`` and ``backtest_scores`` tables (schema 4).

Reads are Ibis expressions the caller evaluates (``.to_pyarrow()``, ``.to_pandas()``);
the page (``views/forecasts.py``) and the briefing (``briefs/briefing_outlook.py``) read
the same stored forecast with the same functions. Writes (:func:`save_scores`,
:func:`replace_forecast`) are what ``dyadwatch backtest`` and ``dyadwatch forecast`` store
(``forecast/publish.py``). What a forecast *means* lives in ``forecast/``, not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa

from dyadwatch.store.connection import Store

if TYPE_CHECKING:  # ibis is imported lazily, through Store.ibis (it loads rich)
    import ibis.expr.types as ir

Newest = Literal["made", "origin"]
SCORE_COLUMNS = (
    "target",
    "run_at",
    "test_window",
    "model",
    "horizon",
    "crps",
    "mae",
    "pinball",
    "brier",
    "coverage50",
    "coverage80",
    "coverage95",
    "n_scored",
    "published",
)


@dataclass(frozen=True, slots=True)
class StoredForecast:
    """Which stored forecast: its model, origin (last month of data) and when it was made."""

    model: str
    origin: dt.date
    made_at: dt.datetime


def has_forecasts(store: Store) -> bool:
    """True when the store has a ``forecasts`` table (a readers' copy of a store from
    before schema 4 has none)."""
    # not store.ibis.list_tables(): Ibis 12 calls a method DuckDB 2 no longer has
    found = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'forecasts'"
    )
    return bool(found)


def latest_quantiles(
    store: Store, target: str, *, newest: Newest = "made", until: dt.date | None = None
) -> ir.Table:
    """The quantiles of the latest stored forecast of ``target`` (``model, origin, made_at,
    unit, period, level, value``, by unit, period and level): the last one made
    (``newest="made"``, the page) or the one with the latest origin (``newest="origin"``,
    the briefing), of those whose origin is not after ``until``. No rows when there is none.
    One query: the choice of forecast and its rows are read together."""
    t = store.ibis.table("forecasts")
    t = t.filter(t.target == target)
    if until is not None:
        t = t.filter(t.origin <= until)
    order = [t.made_at.desc(), t.origin.desc()]
    keys = ["model", "origin", "made_at"]
    chosen = t.select(*keys).order_by(order if newest == "made" else order[::-1]).limit(1)
    rows = t.semi_join(chosen, keys).select(*keys, "unit", "period", "level", "value")
    return rows.order_by(["unit", "period", "level"])


def stored_forecast(rows: list[dict[str, Any]]) -> StoredForecast | None:
    """Which forecast the rows of :func:`latest_quantiles` belong to; None when empty."""
    if not rows:
        return None
    return StoredForecast(str(rows[0]["model"]), rows[0]["origin"], rows[0]["made_at"])


def latest_scores(store: Store, target: str) -> ir.Table:
    """The scores of the latest backtest of ``target``, by horizon, best CRPS first."""
    import ibis

    t = store.ibis.table("backtest_scores")
    t = t.filter(t.target == target)
    t = t.filter(t.run_at == t.run_at.max().as_scalar())
    return t.select(
        "model", "horizon", "test_window", "crps", "mae", "coverage80", "n_scored", "published"
    ).order_by([t.horizon, ibis.asc("crps", nulls_first=False), t.model])


def latest_published(store: Store, target: str) -> str | None:
    """The forecaster the latest backtest of ``target`` published, if any."""
    t = store.ibis.table("backtest_scores")
    rows = (
        t.filter(t.target == target)
        .order_by(t.run_at.desc())
        .select("published")
        .limit(1)
        .to_pyarrow()
        .to_pylist()
    )
    return str(rows[0]["published"]) if rows else None


def save_scores(store: Store, rows: Sequence[Sequence[Any]]) -> None:
    """Append backtest scores, each a row of :data:`SCORE_COLUMNS`, in one transaction."""
    with store.transaction():
        for row in rows:
            store.execute(
                "INSERT INTO backtest_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                list(row),
            )


def replace_forecast(
    store: Store,
    target: str,
    model: str,
    origin: dt.date,
    rows: pa.Table,
    *,
    made_at: dt.datetime,
) -> None:
    """Replace the stored forecast of ``target``, ``model`` and ``origin`` by ``rows``
    (columns ``unit, horizon, period, level, value``), stamped ``made_at``; all or nothing."""
    with store.transaction(), store.registered("_forecast_rows", rows) as staged:
        store.execute(
            "DELETE FROM forecasts WHERE target = ? AND model = ? AND origin = ?",
            [target, model, origin],
        )
        store.execute(
            "INSERT INTO forecasts SELECT ?, ?, ?, horizon, period, unit, level, value, ? "
            f"FROM {staged}",
            [target, model, origin, made_at],
        )
