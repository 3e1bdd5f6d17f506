"""The models: a pooled count regression with lags, a pooled quantile gradient-boosted
model, and their ensemble. One fit per horizon (direct forecasts), pooled across units.

* ``count_glm``: a Poisson quasi-maximum-likelihood GLM (statsmodels, log link) of
  the value ``h`` months ahead on the lag features; the predictive distribution is a
  negative binomial (NB2) with that mean and a dispersion fitted by moments on the
  training residuals. For real-valued targets, ordinary least squares with normal
  residuals.
* ``gbm_quantile``: scikit-learn's ``HistGradientBoostingRegressor`` with quantile loss
  at seven levels, of the change from the current value on the model scale (log(1 + y)
  for counts), with lags as differences from it; interpolated to the full grid and held
  flat beyond 2.5% and 97.5%.
* ``ensemble``: the average of the two models' quantiles at every level.

statsmodels and scikit-learn are imported when a model is fitted, never at import.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dyadwatch.forecast.base import (
    DEFAULT_HORIZONS,
    LEVELS,
    Forecast,
    from_model_scale,
    make_forecast,
    recent,
    to_model_scale,
)
from dyadwatch.forecast.features import TrainingRows, origin_rows, training_rows
from dyadwatch.forecast.targets import Kind

GBM_LEVELS: tuple[float, ...] = (0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975)
MEDIAN = int(np.argmin(np.abs(LEVELS - 0.5)))


class _Pooled:
    """Shared by the models: hyperparameters, one fitted regression per horizon, and the
    spread factor that calibrates its intervals (see :func:`best_spread`)."""

    def __init__(
        self,
        *,
        kind: Kind = "count",
        horizons: tuple[int, ...] = DEFAULT_HORIZONS,
        window: int = 120,
        calibration_months: int = 24,
    ) -> None:
        self.kind = kind
        self.horizons = horizons
        self.window = window
        self.calibration_months = calibration_months

    def fit(self, history: pd.DataFrame) -> _Pooled:
        train = recent(history, self.window)
        self.fitted_: dict[int, Any] = {}
        self.spread_: dict[int, float] = {}
        for horizon in self.horizons:
            rows = training_rows(train, kind=self.kind, horizon=horizon)
            self.fitted_[horizon] = self._fit_one(rows.features, rows.labels)
            self.spread_[horizon] = self._calibrate(rows, horizon)
        self.unit_level_ = rows.unit_level
        return self

    def predict(self, history: pd.DataFrame) -> Forecast:
        quantiles = []
        for horizon in self.horizons:
            rows = origin_rows(
                history, kind=self.kind, horizon=horizon, unit_level=self.unit_level_
            )
            raw = self._quantiles(self.fitted_[horizon], rows)
            quantiles.append(widen(raw, self.spread_[horizon], self.kind))
        return make_forecast(history, self.horizons, np.stack(quantiles))

    def _calibrate(self, rows: TrainingRows, horizon: int) -> float:
        """The spread factor that calibrates forecasts of the last ``calibration_months``
        origins of the training data, from a fit on the labels known before them."""
        if not self.calibration_months:
            return 1.0
        first = rows.origins.max() - self.calibration_months + 1
        known = rows.origins + horizon <= first
        held = rows.origins >= first
        if known.sum() < 24:
            return 1.0
        model = self._fit_one(rows.features[known], rows.labels[known])
        q = self._quantiles(model, rows.features[held], CALIBRATION_LEVELS)
        y = to_model_scale(rows.labels[held], self.kind)
        return best_spread(y, to_model_scale(q, self.kind))

    def _fit_one(self, features: np.ndarray, labels: np.ndarray) -> Any:
        raise NotImplementedError

    def _quantiles(self, fitted: Any, rows: np.ndarray, levels: np.ndarray = LEVELS) -> np.ndarray:
        raise NotImplementedError


class CountGLM(_Pooled):
    """Poisson-QMLE regression with a negative-binomial predictive distribution."""

    def _fit_one(self, features: np.ndarray, labels: np.ndarray) -> tuple[Any, float, Any]:
        import statsmodels.api as sm

        scaler = _Standardizer.learn(features)
        design = sm.add_constant(scaler.apply(features), has_constant="add")
        if self.kind == "real":
            ols = sm.OLS(labels, design).fit()
            return ols, float(np.sqrt(ols.scale)), scaler
        poisson = sm.GLM(labels, design, family=sm.families.Poisson())
        glm = poisson.fit(maxiter=100, wls_method="qr")
        return glm, _nb_dispersion(labels, glm.fittedvalues), scaler

    def _quantiles(
        self, fitted: tuple[Any, float, Any], rows: np.ndarray, levels: np.ndarray = LEVELS
    ) -> np.ndarray:
        import statsmodels.api as sm
        from scipy import stats

        model, spread, scaler = fitted
        mean = np.asarray(model.predict(sm.add_constant(scaler.apply(rows), has_constant="add")))
        if self.kind == "real":
            return mean[:, None] + spread * stats.norm.ppf(levels)[None, :]
        mean = np.maximum(mean, 1e-6)
        size = 1.0 / spread
        return stats.nbinom.ppf(levels[None, :], size, size / (size + mean[:, None]))


class _Standardizer:
    """Centre and scale the varying features; constant ones (one unit's level) are dropped."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, varying: np.ndarray) -> None:
        self.mean, self.scale, self.varying = mean, scale, varying

    @classmethod
    def learn(cls, features: np.ndarray) -> _Standardizer:
        scale = features.std(axis=0)
        varying = scale > 1e-9
        return cls(features.mean(axis=0)[varying], scale[varying], varying)

    def apply(self, features: np.ndarray) -> np.ndarray:
        return (features[:, self.varying] - self.mean) / self.scale


SPREADS = np.round(np.arange(0.5, 3.0001, 0.05), 2)
CALIBRATION_LEVELS = np.array([0.025, 0.1, 0.5, 0.9, 0.975])


def best_spread(y: np.ndarray, q: np.ndarray) -> float:
    """The factor for the distances from the median (on the model scale) of quantiles ``q``
    at :data:`CALIBRATION_LEVELS` that brings the 80% and 95% coverage of ``y`` closest to
    nominal; the one nearest 1 on ties."""
    median = q[:, 2:3]

    def miss(spread: float) -> float:
        low95, low80, _, high80, high95 = (median + spread * (q - median)).T
        cover80 = np.mean((y >= low80) & (y <= high80))
        cover95 = np.mean((y >= low95) & (y <= high95))
        return float(abs(cover80 - 0.8) + abs(cover95 - 0.95))

    return float(min(SPREADS, key=lambda s: (round(miss(s), 9), abs(s - 1.0))))


def widen(q: np.ndarray, spread: float, kind: Kind) -> np.ndarray:
    """Quantiles (value scale) with their distances from the median times ``spread``."""
    if spread == 1.0:
        return q
    scaled = to_model_scale(q, kind)
    median = scaled[:, MEDIAN][:, None]
    return from_model_scale(median + spread * (scaled - median), kind)


def _nb_dispersion(labels: np.ndarray, mean: np.ndarray) -> float:
    """NB2 dispersion α (variance = μ + α μ²), at least 1e-4, from the auxiliary regression
    of Cameron & Trivedi: ((y − μ)² − y)/μ = α μ + error, without a constant. Months with a
    tiny mean carry little weight, so one surprise in a quiet state cannot blow α up."""
    mean = np.asarray(mean)
    alpha = np.sum((labels - mean) ** 2 - labels) / np.sum(mean**2)
    return float(max(alpha, 1e-4))


class QuantileGBM(_Pooled):
    """Gradient-boosted trees with quantile loss at :data:`GBM_LEVELS`, pooled features."""

    def __init__(
        self,
        *,
        kind: Kind = "count",
        horizons: tuple[int, ...] = DEFAULT_HORIZONS,
        window: int = 120,
        calibration_months: int = 24,
        max_iter: int = 100,
        random_state: int = 0,
    ) -> None:
        super().__init__(
            kind=kind, horizons=horizons, window=window, calibration_months=calibration_months
        )
        self.max_iter = max_iter
        self.random_state = random_state

    def _fit_one(self, features: np.ndarray, labels: np.ndarray) -> list[Any]:
        from sklearn.ensemble import HistGradientBoostingRegressor

        target = to_model_scale(labels, self.kind) - features[:, 0]
        relative = _relative(features)
        fitted = []
        with one_thread():
            for level in GBM_LEVELS:
                gbm = HistGradientBoostingRegressor(
                    loss="quantile",
                    quantile=level,
                    max_iter=self.max_iter,
                    learning_rate=0.1,
                    max_leaf_nodes=15,
                    min_samples_leaf=20,
                    random_state=self.random_state,
                )
                fitted.append(gbm.fit(relative, target))
        return fitted

    def _quantiles(
        self, fitted: list[Any], rows: np.ndarray, levels: np.ndarray = LEVELS
    ) -> np.ndarray:
        relative = _relative(rows)
        with one_thread():
            changes = np.column_stack([gbm.predict(relative) for gbm in fitted])
        at_levels = rows[:, :1] + np.sort(changes, axis=1)
        full = np.stack([np.interp(levels, GBM_LEVELS, row) for row in at_levels])
        return from_model_scale(full, self.kind)


def _relative(features: np.ndarray) -> np.ndarray:
    """Lags and means as differences from the current value (column 0), which is kept:
    trees then learn changes, which carry over to levels never seen in training."""
    relative = features.copy()
    relative[:, 1:-2] -= features[:, :1]
    return relative


def one_thread() -> Any:
    """Run OpenMP code on one thread: on these small data, more threads only contend."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")


class Ensemble:
    """The average, level by level, of the quantiles of several forecasters."""

    def __init__(self, *, members: tuple[Any, ...] = ()) -> None:
        self.members = members

    def fit(self, history: pd.DataFrame) -> Ensemble:
        self.members_ = [member.fit(history) for member in self.members]
        return self

    def predict(self, history: pd.DataFrame) -> Forecast:
        return average_forecasts([member.predict(history) for member in self.members_])


def average_forecasts(forecasts: list[Forecast]) -> Forecast:
    """Quantile averaging (Vincentization) of forecasts from the same origin."""
    first = forecasts[0]
    mean = np.mean([f.quantiles for f in forecasts], axis=0)
    return Forecast(first.origin, first.units, first.horizons, mean)


MODELS: dict[str, type[_Pooled]] = {"count_glm": CountGLM, "gbm_quantile": QuantileGBM}
"""The fitted models by name; ``ensemble`` averages them."""
