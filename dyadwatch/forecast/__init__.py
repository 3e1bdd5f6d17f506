"""Forecasts with honest backtests: targets, naive baselines, pooled models, scores.

Layer 5. statsmodels and scikit-learn load only when a model is fitted.
"""

from dyadwatch.forecast.backtest import (
    BacktestPlan,
    BacktestResult,
    Score,
    WindowResult,
    contract,
    forecasts_at,
    run_backtest,
)
from dyadwatch.forecast.targets import TARGETS, Target, TargetData, load_target, target_names

__all__ = [
    "TARGETS",
    "BacktestPlan",
    "BacktestResult",
    "Score",
    "Target",
    "TargetData",
    "WindowResult",
    "contract",
    "forecasts_at",
    "load_target",
    "run_backtest",
    "target_names",
]
