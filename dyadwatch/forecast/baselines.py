"""The naive baselines, always run beside the models. Their predictive distributions are
fixed here, before any result was seen, and are never tuned on backtest scores.

Counts are handled on the log(1 + y) scale, real values (net cooperation) as they are;
"changes" below are differences on that scale. Each uses the unit's own history of the
last ``window`` months (default 120) known at the origin:

* ``no_change``: the last value, spread by the unit's empirical ``h``-month changes.
* ``seasonal_naive``: the value 12 months before the target month, spread by the unit's
  empirical 12-month changes (needs ``h`` ≤ 12).
* ``climatology``: the unit's values in the target's calendar month, as an empirical
  distribution.
* ``conflictology``: the unit's last 12 values as an empirical distribution, for every
  horizon (the ViEWS 2023/24 benchmark).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dyadwatch.errors import ForecastError
from dyadwatch.forecast.base import (
    DEFAULT_HORIZONS,
    Forecast,
    empirical_quantiles,
    from_model_scale,
    make_forecast,
    recent,
    to_model_scale,
)
from dyadwatch.forecast.targets import Kind


class _Baseline:
    """Shared by the baselines: hyperparameters and the training window."""

    def __init__(
        self,
        *,
        kind: Kind = "count",
        horizons: tuple[int, ...] = DEFAULT_HORIZONS,
        window: int = 120,
    ) -> None:
        self.kind = kind
        self.horizons = horizons
        self.window = window

    def fit(self, history: pd.DataFrame) -> _Baseline:
        if len(history) < 24:
            raise ForecastError(
                f"{type(self).__name__} needs 24 months of history, got {len(history)}"
            )
        self.scaled_ = to_model_scale(recent(history, self.window).to_numpy(float).T, self.kind)
        self.months_ = recent(history, self.window).index.month.to_numpy()
        return self

    def predict(self, history: pd.DataFrame) -> Forecast:
        quantiles = np.stack([self._quantiles(history, h) for h in self.horizons])
        return make_forecast(history, self.horizons, quantiles)

    def _quantiles(self, history: pd.DataFrame, horizon: int) -> np.ndarray:
        raise NotImplementedError


def _shifted(last: np.ndarray, changes: np.ndarray, kind: Kind) -> np.ndarray:
    """Quantiles of ``last`` plus each unit's empirical changes, back on the value scale."""
    return from_model_scale(last[:, None] + empirical_quantiles(changes), kind)


class NoChange(_Baseline):
    """The last value, spread by the unit's empirical changes over the horizon."""

    def _quantiles(self, history: pd.DataFrame, horizon: int) -> np.ndarray:
        scaled = to_model_scale(history.to_numpy(float).T, self.kind)
        changes = self.scaled_[:, horizon:] - self.scaled_[:, :-horizon]
        return _shifted(scaled[:, -1], changes, self.kind)


class SeasonalNaive(_Baseline):
    """The value of the same month a year earlier, spread by 12-month changes."""

    def _quantiles(self, history: pd.DataFrame, horizon: int) -> np.ndarray:
        if horizon > 12:
            raise ForecastError("seasonal_naive forecasts at most 12 months ahead")
        scaled = to_model_scale(history.to_numpy(float).T, self.kind)
        changes = self.scaled_[:, 12:] - self.scaled_[:, :-12]
        return _shifted(scaled[:, -12 + horizon - 1], changes, self.kind)


class Climatology(_Baseline):
    """The unit's past values in the target's calendar month."""

    def _quantiles(self, history: pd.DataFrame, horizon: int) -> np.ndarray:
        month = (pd.Timestamp(history.index[-1]) + pd.DateOffset(months=horizon)).month
        same_month = self.scaled_[:, self.months_ == month]
        return from_model_scale(empirical_quantiles(same_month), self.kind)


class Conflictology(_Baseline):
    """The unit's last 12 values, as an empirical distribution (every horizon)."""

    def _quantiles(self, history: pd.DataFrame, horizon: int) -> np.ndarray:
        last_year = to_model_scale(history.to_numpy(float).T[:, -12:], self.kind)
        return from_model_scale(empirical_quantiles(last_year), self.kind)


BASELINES: dict[str, type[_Baseline]] = {
    "no_change": NoChange,
    "seasonal_naive": SeasonalNaive,
    "climatology": Climatology,
    "conflictology": Conflictology,
}
"""The baselines by the keys the backtest contract uses."""
