"""What every forecaster shares: the quantile grid, the forecast record, value transforms.

A forecaster follows scikit-learn's conventions: ``__init__`` stores keyword
hyperparameters only, ``fit(history)`` learns from a panel (periods × units, see
:mod:`dyadwatch.forecast.targets`) and returns ``self``, learned state ends in ``_``,
and ``predict(history)`` forecasts from the last month of ``history``.
A forecast is a predictive distribution per unit and horizon, given by its quantiles
at the fixed levels :data:`LEVELS` (0.005, 0.010, … 0.995).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from dyadwatch.forecast.targets import Kind

LEVELS: np.ndarray = np.arange(1, 200) / 200
"""The quantile levels of every forecast: 199 evenly spaced levels, 0.005 … 0.995."""

SUMMARY_LEVELS: tuple[float, ...] = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.975)
"""The levels stored and printed by ``dyadwatch forecast``."""

DEFAULT_HORIZONS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)


@dataclass(frozen=True, slots=True)
class Forecast:
    """Quantiles at :data:`LEVELS` for each horizon and unit, from one origin month."""

    origin: pd.Timestamp
    units: tuple[str, ...]
    horizons: tuple[int, ...]
    quantiles: np.ndarray
    """Shape (horizons, units, levels), non-decreasing along the last axis."""

    def at(self, horizon: int) -> np.ndarray:
        """The (units, levels) quantiles of one horizon."""
        return self.quantiles[self.horizons.index(horizon)]

    def period(self, horizon: int) -> pd.Timestamp:
        """The month a horizon forecasts."""
        return self.origin + pd.DateOffset(months=horizon)


class Forecaster(Protocol):
    """The interface the backtest needs."""

    def fit(self, history: pd.DataFrame) -> Forecaster: ...

    def predict(self, history: pd.DataFrame) -> Forecast: ...


def to_model_scale(values: np.ndarray, kind: Kind) -> np.ndarray:
    """Counts are modelled as log(1 + y); real values as they are."""
    return np.log1p(np.maximum(values, 0.0)) if kind == "count" else values


def from_model_scale(values: np.ndarray, kind: Kind) -> np.ndarray:
    """Inverse of :func:`to_model_scale` (counts are never negative)."""
    return np.maximum(np.expm1(values), 0.0) if kind == "count" else values


def make_forecast(
    history: pd.DataFrame, horizons: tuple[int, ...], quantiles: np.ndarray
) -> Forecast:
    """A Forecast from the last month of ``history``; quantiles are sorted per row."""
    return Forecast(
        origin=pd.Timestamp(history.index[-1]),
        units=tuple(history.columns),
        horizons=tuple(horizons),
        quantiles=np.sort(quantiles, axis=-1),
    )


def empirical_quantiles(values: np.ndarray) -> np.ndarray:
    """Quantiles at :data:`LEVELS` of the empirical distribution of ``values`` (last axis)."""
    return np.moveaxis(np.quantile(values, LEVELS, axis=-1, method="inverted_cdf"), 0, -1)


def recent(history: pd.DataFrame, months: int) -> pd.DataFrame:
    """The last ``months`` rows of ``history``."""
    return history.iloc[-months:]
