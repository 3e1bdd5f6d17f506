"""Scores of probabilistic forecasts given as quantiles at :data:`LEVELS` (or as samples).

Every function takes the observed values ``y`` (n,) and quantiles ``q`` (n, levels) and
returns one value per observation, so callers can average over any grouping.
"""

from __future__ import annotations

import numpy as np

from dyadwatch.forecast.base import LEVELS

INTERVALS: tuple[float, ...] = (0.5, 0.8, 0.95)


def pinball(y: np.ndarray, q: np.ndarray, levels: np.ndarray = LEVELS) -> np.ndarray:
    """Pinball (quantile) loss per observation and level, shape (n, levels)."""
    diff = y[:, None] - q
    return np.maximum(levels * diff, (levels - 1) * diff)


def crps_from_quantiles(y: np.ndarray, q: np.ndarray, levels: np.ndarray = LEVELS) -> np.ndarray:
    """CRPS as twice the mean pinball loss over evenly spaced levels.

    CRPS = 2 ∫₀¹ pinball_τ(y, F⁻¹(τ)) dτ; the mean over the midpoint grid :data:`LEVELS`
    approximates the integral (see tests for the error against the normal closed form).
    """
    return 2.0 * pinball(y, q, levels).mean(axis=1)


def crps_from_samples(y: np.ndarray, samples: np.ndarray) -> np.ndarray:
    """Exact CRPS of each row's empirical distribution: E|X − y| − ½ E|X − X′|."""
    spread = np.abs(samples[:, :, None] - samples[:, None, :]).mean(axis=(1, 2))
    return np.abs(samples - y[:, None]).mean(axis=1) - 0.5 * spread


def absolute_error(y: np.ndarray, q: np.ndarray) -> np.ndarray:
    """|y − median|."""
    return np.abs(y - median(q))


def median(q: np.ndarray) -> np.ndarray:
    """The 0.5 quantile (LEVELS holds 0.5 exactly)."""
    return q[:, _level_index(0.5)]


def covered(y: np.ndarray, q: np.ndarray, width: float) -> np.ndarray:
    """1.0 where y lies in the central interval of ``width`` (e.g. 0.8 → 10%–90%)."""
    low = q[:, _level_index((1 - width) / 2)]
    high = q[:, _level_index((1 + width) / 2)]
    return ((y >= low) & (y <= high)).astype(float)


def exceedance_probability(q: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """P(Y > threshold) read off the quantiles: the share of levels above it."""
    return (q > threshold[:, None]).mean(axis=1)


def shortfall_probability(q: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """P(Y < threshold) read off the quantiles."""
    return (q < threshold[:, None]).mean(axis=1)


def brier(probability: np.ndarray, happened: np.ndarray) -> np.ndarray:
    """Squared error of a probability against a 0/1 outcome."""
    return (probability - happened.astype(float)) ** 2


def pit(y: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Probability integral transform, mid-point for ties (counts are discrete)."""
    below = (q < y[:, None]).mean(axis=1)
    ties = (q == y[:, None]).mean(axis=1)
    return below + 0.5 * ties


def pit_histogram(values: np.ndarray, bins: int = 10) -> list[float]:
    """Share of PIT values in each of ``bins`` equal bins (1/bins each when calibrated)."""
    counts, _ = np.histogram(np.clip(values, 0, 1), bins=bins, range=(0.0, 1.0))
    total = counts.sum()
    return [float(c / total) if total else 0.0 for c in counts]


def _level_index(level: float) -> int:
    index = int(np.argmin(np.abs(LEVELS - level)))
    if abs(LEVELS[index] - level) > 1e-9:
        raise ValueError(f"level {level} is not on the quantile grid")
    return index
