"""Forecast scores against closed forms and hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dyadwatch.forecast import metrics
from dyadwatch.forecast.base import LEVELS


def _normal_crps(y: float, mu: float, sigma: float) -> float:
    """Closed form (Gneiting & Raftery 2007): σ[z(2Φ(z) − 1) + 2φ(z) − 1/√π]."""
    z = (y - mu) / sigma
    return sigma * (
        z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi)
    )


@pytest.mark.parametrize("y", [-2.0, 0.0, 0.7, 3.5])
def test_crps_from_quantiles_matches_the_normal_closed_form(y: float) -> None:
    mu, sigma = 0.5, 1.3
    q = (mu + sigma * stats.norm.ppf(LEVELS))[None, :]
    got = metrics.crps_from_quantiles(np.array([y]), q)[0]
    assert got == pytest.approx(_normal_crps(y, mu, sigma), rel=0.01)


def test_crps_from_samples_by_hand() -> None:
    # X uniform on {1, 2, 4}, y = 3: E|X − y| = (2 + 1 + 1)/3; E|X − X'| = (0+1+3+1+0+2+3+2+0)/9
    got = metrics.crps_from_samples(np.array([3.0]), np.array([[1.0, 2.0, 4.0]]))[0]
    assert got == pytest.approx(4 / 3 - 0.5 * 12 / 9)


def test_crps_of_a_point_forecast_is_the_absolute_error() -> None:
    q = np.full((1, LEVELS.size), 10.0)
    assert metrics.crps_from_quantiles(np.array([13.0]), q)[0] == pytest.approx(3.0)
    assert metrics.absolute_error(np.array([13.0]), q)[0] == 3.0


def test_pinball_by_hand() -> None:
    loss = metrics.pinball(np.array([10.0]), np.array([[8.0, 12.0]]), np.array([0.9, 0.1]))
    assert loss.tolist() == [[pytest.approx(0.9 * 2), pytest.approx(0.9 * 2)]]


def test_coverage_brier_and_pit() -> None:
    q = np.tile(np.arange(LEVELS.size, dtype=float), (3, 1))  # quantile i at level (i+1)/200
    y = np.array([100.0, 5.0, 500.0])
    assert metrics.covered(y, q, 0.8).tolist() == [1.0, 0.0, 0.0]  # 10%..90% = 19..179
    assert metrics.pit(y, q).tolist() == pytest.approx([100.5 / 199, 5.5 / 199, 1.0])
    p = metrics.exceedance_probability(q, np.array([149.0, 149.0, 149.0]))
    assert p[0] == pytest.approx(49 / 199)
    assert metrics.brier(np.array([0.25, 1.0]), np.array([True, False])).tolist() == [
        0.5625,
        1.0,
    ]
    assert metrics.pit_histogram(np.array([0.05, 0.15, 0.95, 1.0])) == [
        0.25,
        0.25,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0.5,
    ]
