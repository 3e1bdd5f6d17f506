"""Pooled lag features for the models: one row per (unit, month), built from the past only.

Every feature of month ``t`` uses values up to ``t`` (on the model scale: log(1 + y) for
counts); the training label of horizon ``h`` is the value at ``t + h``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dyadwatch.forecast.base import to_model_scale
from dyadwatch.forecast.targets import Kind

LAGS: tuple[int, ...] = (0, 1, 2, 5, 11)
FEATURE_NAMES: tuple[str, ...] = (
    *(f"lag{lag}" for lag in LAGS),
    "mean12",
    "unit_level",
    "month_sin",
    "month_cos",
)
HISTORY_NEEDED = 12
"""Months of history a feature row needs (the 12-month mean)."""


@dataclass(frozen=True, slots=True)
class Design:
    """Feature rows for every (unit, month) with a full feature history."""

    features: np.ndarray
    """(rows, features)"""
    unit_index: np.ndarray
    """Which unit each row belongs to."""
    month_index: np.ndarray
    """Which month (row of the panel) each row describes."""


def build_design(
    scaled: np.ndarray, months: pd.DatetimeIndex, unit_level: np.ndarray, *, horizon: int
) -> Design:
    """Features of every month of ``scaled`` (units × months) with 12 months behind it.

    ``unit_level`` is each unit's mean on the model scale over the training history;
    the calendar features describe the target month (``horizon`` months later).
    """
    n_units, n_months = scaled.shape
    starts = range(HISTORY_NEEDED - 1, n_months)
    blocks = [_month_features(scaled, t, months, unit_level, horizon) for t in starts]
    features = np.concatenate(blocks) if blocks else np.empty((0, len(FEATURE_NAMES)))
    month_index = np.repeat(np.array(list(starts), dtype=int), n_units)
    unit_index = np.tile(np.arange(n_units), len(starts))
    return Design(features, unit_index, month_index)


def _month_features(
    scaled: np.ndarray, t: int, months: pd.DatetimeIndex, unit_level: np.ndarray, horizon: int
) -> np.ndarray:
    lags = [scaled[:, t - lag] for lag in LAGS]
    mean12 = scaled[:, t - 11 : t + 1].mean(axis=1)
    target_month = (months[t].month - 1 + horizon) % 12
    angle = 2 * np.pi * target_month / 12
    n = scaled.shape[0]
    calendar = [np.full(n, np.sin(angle)), np.full(n, np.cos(angle))]
    return np.column_stack([*lags, mean12, unit_level, *calendar])


@dataclass(frozen=True, slots=True)
class TrainingRows:
    """Labelled rows of one horizon: features, labels on the value scale, each row's
    origin month (row of the panel), and each unit's mean level."""

    features: np.ndarray
    labels: np.ndarray
    origins: np.ndarray
    unit_level: np.ndarray


def training_rows(history: pd.DataFrame, *, kind: Kind, horizon: int) -> TrainingRows:
    """Every (unit, month) of ``history`` whose value ``horizon`` months later is known."""
    values = history.to_numpy(float).T
    scaled = to_model_scale(values, kind)
    unit_level = scaled.mean(axis=1)
    design = build_design(scaled, history.index, unit_level, horizon=horizon)
    labelled = design.month_index + horizon < values.shape[1]
    origins = design.month_index[labelled]
    labels = values[design.unit_index[labelled], origins + horizon]
    return TrainingRows(design.features[labelled], labels, origins, unit_level)


def origin_rows(
    history: pd.DataFrame, *, kind: Kind, horizon: int, unit_level: np.ndarray
) -> np.ndarray:
    """Feature rows of the last month of ``history``, one per unit."""
    scaled = to_model_scale(history.to_numpy(float).T[:, -HISTORY_NEEDED:], kind)
    months = history.index[-HISTORY_NEEDED:]
    return _month_features(scaled, HISTORY_NEEDED - 1, months, unit_level, horizon)
