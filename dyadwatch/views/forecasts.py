"""The forecasts page: fan charts of the stored forecasts, and the backtest scorecards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyadwatch.errors import DyadwatchError
from dyadwatch.forecast.baselines import BASELINES
from dyadwatch.forecast.targets import TARGETS, load_target
from dyadwatch.settings import Settings
from dyadwatch.store import Store, forecasts
from dyadwatch.views.charts import Chart, fan_chart
from dyadwatch.views.common import iso

EMPTY = "No forecasts stored yet: run dyadwatch forecast (and dyadwatch backtest for scores)."
HISTORY_MONTHS = 36
MAX_UNITS = 4  # fan charts per target: the units with the largest median forecasts
BANDS = {"lo80": 0.1, "lo50": 0.25, "median": 0.5, "hi50": 0.75, "hi80": 0.9}


@dataclass(frozen=True, slots=True)
class Score:
    """One row of a backtest scorecard."""

    model: str
    baseline: bool
    horizon: int
    test_window: str
    crps: float | None
    mae: float | None
    coverage80: float | None
    n_scored: int


@dataclass(frozen=True, slots=True)
class TargetForecast:
    """One target: its latest forecast (fan charts per unit) and latest backtest scores."""

    target: str
    title: str
    unit_label: str
    model: str | None
    origin: str | None
    made_at: str | None
    charts: tuple[Chart, ...]
    scores: tuple[Score, ...]
    published: str | None


@dataclass(frozen=True, slots=True)
class ForecastsContext:
    """The forecasts page and ``/forecasts.json``."""

    targets: tuple[TargetForecast, ...]
    message: str | None


def build_forecasts(
    store: Store, settings: Settings, *, target: str | None = None
) -> ForecastsContext:
    """Every target (or one) with its latest stored forecast and backtest."""
    names = [target] if target else list(TARGETS)
    items = tuple(_target(store, settings, name) for name in names)
    empty = all(not t.charts and not t.scores for t in items)
    return ForecastsContext(items, EMPTY if empty else None)


def _target(store: Store, settings: Settings, name: str) -> TargetForecast:
    meta = TARGETS[name]
    rows = forecasts.latest_quantiles(store, name, newest="made").to_pyarrow().to_pylist()
    latest = forecasts.stored_forecast(rows)
    scores, published = _scores(store, name)
    if latest is None:
        return TargetForecast(
            name, meta.title, meta.unit_label, None, None, None, (), scores, published
        )
    charts = _fans(name, rows, _history(store, settings, name))
    return TargetForecast(
        name,
        meta.title,
        meta.unit_label,
        latest.model,
        iso(latest.origin),
        iso(latest.made_at),
        charts,
        scores,
        published,
    )


def _history(store: Store, settings: Settings, name: str) -> pd.DataFrame | None:
    """The target's observed panel (months × units), or None when it cannot be read."""
    try:
        return load_target(store, name, settings=settings).panel
    except DyadwatchError:
        return None


def _past(history: pd.DataFrame | None, unit: str) -> list[tuple[str, float]]:
    if history is None or unit not in history.columns:
        return []
    values = history[unit].dropna().iloc[-HISTORY_MONTHS:]
    return [(p.date().isoformat(), float(v)) for p, v in values.items()]


def _fans(name: str, rows: list[dict[str, Any]], history: pd.DataFrame | None) -> tuple[Chart, ...]:
    """Fan charts of the units with the largest median forecasts, from the forecast's
    quantile rows (:func:`dyadwatch.store.forecasts.latest_quantiles`)."""
    by_unit: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        unit, period, level, value = row["unit"], row["period"], row["level"], row["value"]
        cell = by_unit.setdefault(unit, {}).setdefault(iso(period) or "", {"period": iso(period)})
        for key, want in BANDS.items():
            if abs(level - want) < 1e-9:
                cell[key] = round(float(value), 3)
    ranked = sorted(
        by_unit.items(), key=lambda kv: -max((c.get("median") or 0) for c in kv[1].values())
    )
    return tuple(
        fan_chart(
            f"fan-{name}-{unit}", f"{name}: {unit}", _past(history, unit), list(cells.values())
        )
        for unit, cells in ranked[:MAX_UNITS]
    )


def _scores(store: Store, name: str) -> tuple[tuple[Score, ...], str | None]:
    rows = forecasts.latest_scores(store, name).to_pyarrow().to_pylist()
    scores = tuple(
        Score(
            r["model"],
            r["model"] in BASELINES,
            int(r["horizon"]),
            str(r["test_window"]),
            _num(r["crps"]),
            _num(r["mae"]),
            _num(r["coverage80"]),
            int(r["n_scored"]),
        )
        for r in rows
    )
    return scores, (str(rows[0]["published"]) if rows else None)


def _num(value: object) -> float | None:
    return None if value is None else round(float(value), 4)  # type: ignore[arg-type]
