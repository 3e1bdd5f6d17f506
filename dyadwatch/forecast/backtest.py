"""Rolling-origin backtests: every forecaster, every origin, scored on months it never saw.

A test window is ``test_months`` consecutive months. For each origin month ``o`` the
forecasters see only the panel up to ``o`` (:func:`history_until`) and forecast
``o + h``; a forecast is scored when ``o + h`` falls in the window, so each horizon is
scored on the same months. Baselines are refitted at every origin, the models every
``refit_every`` months (on data up to that origin). Two windows are scored: the last
``test_months`` months and the ``test_months`` before them, or only the last when the
series is too short for two (each origin needs :data:`MIN_HISTORY` months behind it).

The published forecaster is the one with the lowest mean CRPS over horizons 1–3 in the
last window; when no model beats the best baseline, that baseline is published.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dyadwatch.errors import ForecastError
from dyadwatch.forecast import metrics
from dyadwatch.forecast.base import DEFAULT_HORIZONS, Forecast, recent
from dyadwatch.forecast.baselines import BASELINES
from dyadwatch.forecast.models import MODELS, CountGLM, QuantileGBM, average_forecasts
from dyadwatch.forecast.targets import Escalation, Kind, TargetData

PUBLISH_HORIZONS = (1, 2, 3)
MIN_HISTORY = 30
"""Months a forecaster needs before its first origin (the baselines need 24, the models
12 of lags plus training rows)."""
ENSEMBLE = "ensemble"


@dataclass(frozen=True, slots=True)
class BacktestPlan:
    """How a backtest runs; the CLI uses the defaults, tests and the demo lighter ones."""

    horizons: tuple[int, ...] = DEFAULT_HORIZONS
    test_months: int = 24
    windows: int = 2
    refit_every: int = 12
    train_months: int = 120
    gbm_max_iter: int = 100


@dataclass(frozen=True, slots=True)
class Score:
    """Mean scores of one forecaster at one horizon over one test window."""

    model: str
    horizon: int
    crps: float
    mae: float
    pinball: float
    brier: float
    coverage50: float
    coverage80: float
    coverage95: float
    n_scored: int


@dataclass(frozen=True, slots=True)
class WindowResult:
    """The scores of one test window, with PIT histograms over horizons 1–3."""

    label: str
    first: pd.Timestamp
    last: pd.Timestamp
    scores: tuple[Score, ...]
    pit: dict[str, list[float]]

    def score(self, model: str, horizon: int) -> Score:
        """The score of ``model`` at ``horizon``."""
        for score in self.scores:
            if score.model == model and score.horizon == horizon:
                return score
        raise KeyError((model, horizon))

    def mean_crps(self, model: str) -> float:
        """Mean CRPS over horizons 1–3 (those that were run)."""
        return float(np.mean([s.crps for s in self.scores if _publishable(s, model)]))


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """A whole backtest: the windows, newest first, and the published forecaster."""

    target: str
    kind: Kind
    n_units: int
    note: str
    test_months: int
    windows: tuple[WindowResult, ...]
    published: str
    published_is_model: bool
    forecasters: tuple[str, ...] = field(default=())

    @property
    def latest(self) -> WindowResult:
        return self.windows[0]


def forecaster_names() -> tuple[str, ...]:
    """Baselines first, then the models and the ensemble."""
    return (*BASELINES, *MODELS, ENSEMBLE)


def history_until(panel: pd.DataFrame, origin: pd.Timestamp) -> pd.DataFrame:
    """The panel as it was known at ``origin``: nothing after it."""
    return panel.loc[panel.index <= origin]


def build_models(kind: Kind, plan: BacktestPlan) -> dict[str, Any]:
    """Unfitted models, with the plan's hyperparameters."""
    horizons, window = plan.horizons, plan.train_months
    return {
        "count_glm": CountGLM(kind=kind, horizons=horizons, window=window),
        "gbm_quantile": QuantileGBM(
            kind=kind, horizons=horizons, window=window, max_iter=plan.gbm_max_iter
        ),
    }


def build_baseline(name: str, kind: Kind, plan: BacktestPlan) -> Any:
    """An unfitted baseline, with the plan's horizons and window."""
    return BASELINES[name](kind=kind, horizons=plan.horizons, window=plan.train_months)


def forecasts_at(
    panel: pd.DataFrame,
    origin: pd.Timestamp,
    *,
    kind: Kind,
    plan: BacktestPlan,
    models: dict[str, Any] | None = None,
) -> dict[str, Forecast]:
    """Every forecaster's forecast from ``origin``, fitted on data up to ``origin`` only.

    ``models`` are fitted models to reuse (fitted at an earlier origin); without them
    the models are fitted here.
    """
    history = history_until(panel, origin)
    out = {
        name: build_baseline(name, kind, plan).fit(history).predict(history) for name in BASELINES
    }
    fitted = models if models is not None else fit_models(history, kind=kind, plan=plan)
    for name, model in fitted.items():
        out[name] = model.predict(history)
    out[ENSEMBLE] = average_forecasts([out[name] for name in fitted])
    return out


def fit_models(history: pd.DataFrame, *, kind: Kind, plan: BacktestPlan) -> dict[str, Any]:
    """The models fitted on ``history``."""
    return {name: model.fit(history) for name, model in build_models(kind, plan).items()}


def run_backtest(data: TargetData, plan: BacktestPlan | None = None) -> BacktestResult:
    """Backtest every forecaster on ``data`` over ``plan.windows`` test windows."""
    plan = plan or BacktestPlan()
    panel = data.panel
    windows = []
    for number in range(window_count(len(panel), plan)):
        last = panel.index[-1 - number * plan.test_months]
        first = panel.index[-(number + 1) * plan.test_months]
        label = "last 24 months" if number == 0 else f"the {plan.test_months} months before"
        windows.append(_run_window(data, plan, first, last, label))
    published, is_model = choose_published(windows[0])
    return BacktestResult(
        data.target.name,
        data.target.kind,
        panel.shape[1],
        data.note,
        plan.test_months,
        tuple(windows),
        published,
        is_model,
        forecaster_names(),
    )


def window_count(n_months: int, plan: BacktestPlan) -> int:
    """How many of ``plan.windows`` fit: each origin needs :data:`MIN_HISTORY` months."""
    room = n_months - MIN_HISTORY - max(plan.horizons) + 1
    count = min(plan.windows, room // plan.test_months)
    if count < 1:
        raise ForecastError(
            f"{n_months} months are too few for a {plan.test_months}-month test window: it "
            f"needs {MIN_HISTORY + max(plan.horizons) - 1 + plan.test_months}. Load more data."
        )
    return count


def choose_published(window: WindowResult) -> tuple[str, bool]:
    """The forecaster with the lowest mean CRPS at horizons 1–3, and whether it is a model."""
    best = min(forecaster_names(), key=window.mean_crps)
    return best, best not in BASELINES


def _run_window(
    data: TargetData, plan: BacktestPlan, first: pd.Timestamp, last: pd.Timestamp, label: str
) -> WindowResult:
    panel, kind = data.panel, data.target.kind
    origins = panel.index[
        (panel.index >= first - pd.DateOffset(months=max(plan.horizons))) & (panel.index < last)
    ]
    collected: dict[tuple[str, int], list[_Scored]] = defaultdict(list)
    models: dict[str, Any] | None = None
    for step, origin in enumerate(origins):
        if step % plan.refit_every == 0:
            models = fit_models(history_until(panel, origin), kind=kind, plan=plan)
        forecasts = forecasts_at(panel, origin, kind=kind, plan=plan, models=models)
        for name, forecast in forecasts.items():
            for horizon in plan.horizons:
                period = forecast.period(horizon)
                if first <= period <= last:
                    collected[name, horizon].append(
                        _score_one(panel, forecast, horizon, data.target.escalation, plan)
                    )
    return _summarize(collected, first, last, label)


@dataclass(frozen=True, slots=True)
class _Scored:
    y: np.ndarray
    q: np.ndarray
    probability: np.ndarray
    happened: np.ndarray


def _score_one(
    panel: pd.DataFrame, forecast: Forecast, horizon: int, rule: Escalation, plan: BacktestPlan
) -> _Scored:
    y = panel.loc[forecast.period(horizon)].to_numpy(float)
    q = forecast.at(horizon)
    known = recent(history_until(panel, forecast.origin), plan.train_months).to_numpy(float)
    probability, happened = escalation(y, q, known, rule)
    return _Scored(y, q, probability, happened)


def escalation(
    y: np.ndarray, q: np.ndarray, known: np.ndarray, rule: Escalation
) -> tuple[np.ndarray, np.ndarray]:
    """Forecast probability and outcome of escalation per unit; ``known`` is the history
    (months × units) at the origin, so thresholds never use the future."""
    if rule == "above_p80":
        threshold = np.quantile(known, 0.8, axis=0)
        return metrics.exceedance_probability(q, threshold), y > threshold
    if rule == "below_p20":
        threshold = np.quantile(known, 0.2, axis=0)
        return metrics.shortfall_probability(q, threshold), y < threshold
    threshold = 1.2 * known[-1]
    return metrics.exceedance_probability(q, threshold), y >= threshold


def _summarize(
    collected: dict[tuple[str, int], list[_Scored]],
    first: pd.Timestamp,
    last: pd.Timestamp,
    label: str,
) -> WindowResult:
    scores = []
    pits: dict[str, list[np.ndarray]] = defaultdict(list)
    for (name, horizon), parts in collected.items():
        y = np.concatenate([p.y for p in parts])
        q = np.concatenate([p.q for p in parts])
        probability = np.concatenate([p.probability for p in parts])
        happened = np.concatenate([p.happened for p in parts])
        scores.append(_score(name, horizon, y, q, probability, happened))
        if horizon in PUBLISH_HORIZONS:
            pits[name].append(metrics.pit(y, q))
    histograms = {name: metrics.pit_histogram(np.concatenate(v)) for name, v in pits.items()}
    return WindowResult(label, first, last, tuple(scores), histograms)


def _score(
    name: str,
    horizon: int,
    y: np.ndarray,
    q: np.ndarray,
    probability: np.ndarray,
    happened: np.ndarray,
) -> Score:
    coverage = [float(metrics.covered(y, q, w).mean()) for w in metrics.INTERVALS]
    return Score(
        model=name,
        horizon=horizon,
        crps=float(metrics.crps_from_quantiles(y, q).mean()),
        mae=float(metrics.absolute_error(y, q).mean()),
        pinball=float(metrics.pinball(y, q).mean()),
        brier=float(metrics.brier(probability, happened).mean()),
        coverage50=coverage[0],
        coverage80=coverage[1],
        coverage95=coverage[2],
        n_scored=len(y),
    )


def _publishable(score: Score, model: str) -> bool:
    return score.model == model and score.horizon in PUBLISH_HORIZONS


def contract(result: BacktestResult) -> dict[str, Any]:
    """The JSON object ``dyadwatch backtest --json`` prints (the last window)."""
    horizons: dict[str, dict[str, dict[str, float]]] = {}
    for score in sorted(result.latest.scores, key=lambda s: (s.horizon, s.model)):
        horizons.setdefault(str(score.horizon), {})[score.model] = {
            "crps": score.crps,
            "mae": score.mae,
            "coverage80": score.coverage80,
            "coverage95": score.coverage95,
        }
    return {
        "target": result.target,
        "test_months": result.test_months,
        "horizons": horizons,
        "published": result.published,
    }
