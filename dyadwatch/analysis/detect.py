"""Abnormal shifts in one series: robust z-scores against a rolling baseline, and changepoints.

Both methods work on the *seasonal residual* when the series is long enough to have a
season (12 for months, 7 for days): the value minus the median of the same period in
the previous three seasons. A flat or purely seasonal series therefore raises nothing.
The thresholds and the scale floors are documented in ``docs/alerts.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dyadwatch.analysis.index import Freq

LEVELS = ("watch", "alert", "red alert")
Z_THRESHOLDS = (3.0, 4.5, 6.0)  # robust z for watch, alert, red alert
SHIFT_THRESHOLDS = (2.0, 3.0, 5.0)  # changepoint mean shift, in robust standard deviations
SEASONS: dict[Freq, int | None] = {"day": 7, "week": None, "month": 12}
MAD_TO_SD = 1.4826


@dataclass(frozen=True, slots=True)
class Shift:
    """An abnormal value or a lasting change in one series."""

    method: str  # "robust_z" or "changepoint"
    level: str
    start: pd.Timestamp
    end: pd.Timestamp
    value: float  # the value (robust_z) or the new segment's mean (changepoint)
    baseline: float  # what was expected: rolling median, or the previous segment's mean
    score: float  # robust z, or the shift in robust standard deviations


def level_for(score: float, thresholds: tuple[float, float, float]) -> str | None:
    """The alert level of ``score`` (its absolute value), or None below the first threshold."""
    size = abs(score)
    chosen = None
    for level, bound in zip(LEVELS, thresholds, strict=True):
        if size >= bound:
            chosen = level
    return chosen


def seasonal_residual(values: pd.Series, season: int | None) -> tuple[pd.Series, pd.Series]:
    """The residual and the expected value (same period of up to three previous seasons)."""
    if not season or values.notna().sum() < 3 * season:
        return values, pd.Series(np.nan, index=values.index)
    lags = pd.concat([values.shift(k * season) for k in (1, 2, 3)], axis=1)
    enough = lags.notna().sum(axis=1) >= 2
    expected = lags.median(axis=1).where(enough)
    return values - expected, expected


def robust_z_shifts(
    values: pd.Series, *, freq: Freq, window: int = 12, count: bool = True
) -> list[Shift]:
    """Values far from their rolling baseline (median and MAD of the previous ``window``)."""
    values = values.astype("float64")
    residual, expected = seasonal_residual(values, SEASONS.get(freq))
    history = residual.shift(1).rolling(window, min_periods=max(6, window // 2))
    centre = history.median()
    mad = (residual.shift(1) - centre).abs().rolling(window, min_periods=max(6, window // 2))
    scale = (MAD_TO_SD * mad.median()).combine(_floor(values, expected, count), max)
    z = (residual - centre) / scale
    shifts = []
    for when, score in z.dropna().items():
        level = level_for(float(score), Z_THRESHOLDS)
        if level:
            base = expected.get(when, np.nan)
            baseline = (base if not math.isnan(base) else 0.0) + float(centre[when])
            shifts.append(
                Shift("robust_z", level, when, when, float(values[when]), baseline, float(score))
            )
    return shifts


def changepoint_shifts(
    values: pd.Series, *, freq: Freq, min_size: int = 3, count: bool = True
) -> list[Shift]:
    """Lasting mean shifts found by PELT (``ruptures``) on the seasonal residual."""
    import ruptures

    residual = seasonal_residual(values.astype("float64"), SEASONS.get(freq))[0].dropna()
    if len(residual) < 4 * min_size:
        return []
    signal = residual.to_numpy()
    typical = float(np.median(np.abs(values.dropna().to_numpy())))
    floor = math.sqrt(max(typical, 1.0)) if count else max(0.05 * typical, 1e-9)
    sigma = max(_robust_sd(np.diff(signal)) / math.sqrt(2), _robust_sd(signal) / 2, floor)
    penalty = 2 * math.log(len(signal)) * sigma**2 * 3
    breaks = ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=penalty)
    shifts = []
    bounds = [0, *breaks]
    for i in range(1, len(bounds) - 1):
        before = signal[bounds[i - 1] : bounds[i]]
        after = signal[bounds[i] : bounds[i + 1]]
        score = (after.mean() - before.mean()) / sigma
        level = level_for(score, SHIFT_THRESHOLDS)
        if level:
            index = residual.index
            shifts.append(
                Shift(
                    "changepoint",
                    level,
                    index[bounds[i]],
                    index[bounds[i + 1] - 1],
                    float(after.mean()),
                    float(before.mean()),
                    float(score),
                )
            )
    return shifts


def _floor(values: pd.Series, expected: pd.Series, count: bool) -> pd.Series:
    """The smallest scale a shift is measured against: Poisson noise for counts, 5% else."""
    level = values.shift(1).rolling(12, min_periods=1).median().abs()
    level = expected.abs().fillna(level)
    if count:
        return np.sqrt(level.clip(lower=1.0))
    return (0.05 * level).clip(lower=1e-9)


def _robust_sd(values: np.ndarray) -> float:
    if len(values) == 0:
        return 0.0
    return float(MAD_TO_SD * np.median(np.abs(values - np.median(values))))
