"""Backtests and forecasts kept in the store, for the dashboard and ``dyadwatch forecast``.

``backtest_scores`` holds every score of every backtest run, with the forecaster it
published; ``forecasts`` holds the quantiles at :data:`SUMMARY_LEVELS` per unit and
horizon of each forecast made (schema 4, ``docs/forecasts.md``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from dyadwatch.errors import ForecastError
from dyadwatch.forecast.backtest import (
    ENSEMBLE,
    BacktestPlan,
    BacktestResult,
    build_baseline,
    fit_models,
    forecaster_names,
    run_backtest,
)
from dyadwatch.forecast.base import LEVELS, SUMMARY_LEVELS, Forecast
from dyadwatch.forecast.baselines import BASELINES
from dyadwatch.forecast.models import average_forecasts
from dyadwatch.forecast.report import write_report
from dyadwatch.forecast.targets import TargetData, load_target
from dyadwatch.settings import Settings
from dyadwatch.store import Store, forecasts
from dyadwatch.store.forecasts import latest_published


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """The forecast of one unit at one horizon: quantiles at :data:`SUMMARY_LEVELS`."""

    unit: str
    horizon: int
    period: dt.date
    quantiles: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class PublishedForecast:
    """What ``dyadwatch forecast`` stores and prints."""

    target: str
    model: str
    origin: dt.date
    levels: tuple[float, ...]
    rows: tuple[ForecastRow, ...]


def save_backtest(store: Store, result: BacktestResult, *, now: dt.datetime) -> None:
    """Store every score of ``result`` with the forecaster it published."""
    rows = [
        (
            result.target,
            now,
            window.label,
            s.model,
            s.horizon,
            s.crps,
            s.mae,
            s.pinball,
            s.brier,
            s.coverage50,
            s.coverage80,
            s.coverage95,
            s.n_scored,
            result.published,
        )
        for window in result.windows
        for s in window.scores
    ]
    forecasts.save_scores(store, rows)


def forecast_target(data: TargetData, *, model: str, horizon: int) -> PublishedForecast:
    """Fit ``model`` on the whole panel and forecast horizons 1…``horizon``."""
    if model not in forecaster_names():
        raise ForecastError(
            f"unknown model {model!r}. Choose one of: {', '.join(forecaster_names())}."
        )
    if not 1 <= horizon <= 12:
        raise ForecastError(f"horizon {horizon} is out of range; use 1 to 12 months.")
    plan = BacktestPlan(horizons=tuple(range(1, horizon + 1)))
    forecast = _one_forecast(data, model, plan)
    return summarize(data.target.name, model, forecast)


def _one_forecast(data: TargetData, model: str, plan: BacktestPlan) -> Forecast:
    panel, kind = data.panel, data.target.kind
    if model in BASELINES:
        return build_baseline(model, kind, plan).fit(panel).predict(panel)  # type: ignore[no-any-return]
    models = fit_models(panel, kind=kind, plan=plan)
    if model == ENSEMBLE:
        return average_forecasts([m.predict(panel) for m in models.values()])
    return models[model].predict(panel)  # type: ignore[no-any-return]


def summarize(target: str, model: str, forecast: Forecast) -> PublishedForecast:
    """The forecast at :data:`SUMMARY_LEVELS`, one row per unit and horizon."""
    picks = [int(np.argmin(np.abs(LEVELS - level))) for level in SUMMARY_LEVELS]
    rows = [
        ForecastRow(
            unit, h, forecast.period(h).date(), tuple(float(v) for v in forecast.at(h)[i, picks])
        )
        for h in forecast.horizons
        for i, unit in enumerate(forecast.units)
    ]
    return PublishedForecast(target, model, forecast.origin.date(), SUMMARY_LEVELS, tuple(rows))


def save_forecast(store: Store, published: PublishedForecast, *, now: dt.datetime) -> int:
    """Replace the stored forecast of the same target, model and origin; returns rows."""
    long = [
        (row.unit, row.horizon, row.period, level, value)
        for row in published.rows
        for level, value in zip(published.levels, row.quantiles, strict=True)
    ]
    frame = pd.DataFrame(long, columns=["unit", "horizon", "period", "level", "value"])
    forecasts.replace_forecast(
        store,
        published.target,
        published.model,
        published.origin,
        pa.Table.from_pandas(frame),
        made_at=now,
    )
    return len(long)


@dataclass(frozen=True, slots=True)
class BacktestRun:
    """A finished backtest: the result and the report files written for it."""

    result: BacktestResult
    markdown: Path
    figure: Path


def backtest_target(
    store: Store,
    name: str,
    *,
    settings: Settings,
    report_dir: Path,
    now: dt.datetime,
    plan: BacktestPlan | None = None,
) -> BacktestRun:
    """Load target ``name``, backtest it, keep the scores in the store, write the report."""
    result = run_backtest(load_target(store, name, settings=settings), plan)
    save_backtest(store, result, now=now)
    files = write_report(result, report_dir)
    return BacktestRun(result, files.markdown, files.figure)


def publish_forecast(
    store: Store,
    name: str,
    *,
    settings: Settings,
    horizon: int,
    now: dt.datetime,
    model: str | None = None,
) -> PublishedForecast:
    """Forecast target ``name`` with ``model`` (default: the latest backtest's published
    forecaster) and store its quantiles."""
    chosen = model or latest_published(store, name)
    if chosen is None:
        raise ForecastError(
            f"no backtest of {name} in {store.path} says which forecaster to publish. Run "
            f"'dyadwatch backtest --target {name}' first, or pass --model."
        )
    published = forecast_target(
        load_target(store, name, settings=settings), model=chosen, horizon=horizon
    )
    save_forecast(store, published, now=now)
    return published
