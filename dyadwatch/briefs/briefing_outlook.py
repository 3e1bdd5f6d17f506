"""The briefing's outlook: probabilities read from the stored forecasts' quantiles.

For each forecast target, the briefing takes the latest stored forecast whose origin (the
last month of data it saw) is not after the briefing's month, and the first month it
forecasts after the briefing's month (or its last horizon when all are earlier). The
probability is that of the target's *escalation* event, the same event its backtest's Brier
score measures (``docs/forecasts.md``): a rise of at least 20% over the origin month for
border encounters, a value above the unit's 80th percentile for the count panels, below its
20th percentile for net cooperation. Percentiles use the 120 months up to the origin.

The predictive distribution function is the straight-line interpolation of the nine stored
quantiles (levels 0.025 … 0.975); beyond them the briefing says "below 2.5%" or "above
97.5%" instead of inventing a tail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dyadwatch.errors import ForecastError
from dyadwatch.forecast.baselines import BASELINES
from dyadwatch.forecast.targets import TARGETS, Target, load_target
from dyadwatch.settings import Settings
from dyadwatch.store import Store, forecasts

MAX_UNITS = 3  # per target: the units with the highest probability
HISTORY_MONTHS = 120
RULES = {
    "rise_20pct": "a rise of 20% or more over {origin}",
    "above_p80": "above the unit's 80th percentile of the 120 months to {origin}",
    "below_p20": "below the unit's 20th percentile of the 120 months to {origin}",
}


@dataclass(frozen=True, slots=True)
class OutlookLine:
    """One unit's forecast for one month, and the probability of the escalation event."""

    unit: str
    period: dt.date
    median: float
    low: float  # 10% quantile
    high: float  # 90% quantile
    threshold: float
    probability: float
    probability_text: str  # "34%", "below 2.5%", "above 97.5%"


@dataclass(frozen=True, slots=True)
class OutlookItem:
    """The stored forecast of one target, as the briefing reads it."""

    target: str
    title: str
    unit_label: str
    model: str
    baseline: bool
    published: str | None  # the forecaster the latest backtest published, if any
    origin: dt.date
    months_before: int  # how many months the origin lies before the briefing's month
    event: str  # the escalation event, in words
    lines: tuple[OutlookLine, ...]
    units_total: int
    covers_next: bool  # the chosen month is after the briefing's month


@dataclass(frozen=True, slots=True)
class Outlook:
    """Every target's item, and the targets with no usable stored forecast."""

    items: tuple[OutlookItem, ...]
    missing: tuple[str, ...]


def build_outlook(store: Store, settings: Settings, month: dt.date) -> Outlook:
    """The outlook of the briefing for ``month`` (first day of the month)."""
    items, missing = [], []
    for name, target in TARGETS.items():
        item = _target_item(store, settings, target, month)
        if item is None:
            missing.append(name)
        else:
            items.append(item)
    return Outlook(tuple(items), tuple(missing))


def probability_above(levels: Sequence[float], values: Sequence[float], x: float) -> float:
    """P(Y > x) from quantiles by linear interpolation; clipped to the outer levels."""
    lv, vs = np.asarray(levels, dtype=float), np.asarray(values, dtype=float)
    if x < vs[0]:
        return float(1 - lv[0])
    if x >= vs[-1]:
        return float(1 - lv[-1])
    vs, keep = np.unique(vs, return_index=True)  # ties (a point mass) keep the lowest level
    cdf = np.interp(x, vs, lv[keep])
    return float(1 - cdf)


def probability_text(p: float, *, low: float = 0.025, high: float = 0.975) -> str:
    """A probability in words a reader can check against the stored quantiles."""
    if p <= low + 1e-9:
        return f"below {low:.1%}"
    if p >= high - 1e-9:
        return f"above {high:.1%}"
    return f"{p:.0%}"


def _target_item(
    store: Store, settings: Settings, target: Target, month: dt.date
) -> OutlookItem | None:
    frame = _latest_forecast(store, target.name, month)
    if frame is None:
        return None
    model, origin = str(frame["model"].iloc[0]), _as_date(frame["origin"].iloc[0])
    try:
        history = load_target(store, target.name, settings=settings).panel
    except ForecastError:
        return None
    history = history[history.index <= pd.Timestamp(origin)].tail(HISTORY_MONTHS)
    if history.empty:
        return None
    period = _chosen_period(frame, month)
    lines = [
        _line(target, unit, period, part, history)
        for unit, part in frame[frame["period"] == period].groupby("unit")
        if unit in history.columns
    ]
    lines.sort(key=lambda line: (-line.probability, line.unit))
    return OutlookItem(
        target=target.name,
        title=target.title,
        unit_label=target.unit_label,
        model=model,
        baseline=model in BASELINES,
        published=forecasts.latest_published(store, target.name),
        origin=origin,
        months_before=_months_between(origin, month),
        event=RULES[target.escalation].format(origin=origin.strftime("%Y-%m")),
        lines=tuple(lines[:MAX_UNITS]),
        units_total=len(lines),
        covers_next=period > month,
    )


def _latest_forecast(store: Store, target: str, month: dt.date) -> pd.DataFrame | None:
    """The quantiles of the latest stored forecast whose origin is not after ``month``
    (columns of :func:`dyadwatch.store.forecasts.latest_quantiles`), or None."""
    if not forecasts.has_forecasts(store):
        return None
    rows = forecasts.latest_quantiles(store, target, newest="origin", until=month)
    frame = rows.to_pyarrow().to_pandas()
    if frame.empty:
        return None
    frame["period"] = [_as_date(p) for p in frame["period"]]
    return frame


def _chosen_period(frame: pd.DataFrame, month: dt.date) -> dt.date:
    periods = sorted(set(frame["period"]))
    later = [p for p in periods if p > month]
    return later[0] if later else periods[-1]


def _line(
    target: Target, unit: str, period: dt.date, part: pd.DataFrame, history: pd.DataFrame
) -> OutlookLine:
    levels, values = part["level"].to_numpy(), part["value"].to_numpy()
    threshold = _THRESHOLDS[target.escalation](history[unit])
    above = probability_above(levels, values, threshold)
    p = 1 - above if target.escalation == "below_p20" else above
    return OutlookLine(
        unit=unit,
        period=period,
        median=_at(levels, values, 0.5),
        low=_at(levels, values, 0.1),
        high=_at(levels, values, 0.9),
        threshold=threshold,
        probability=p,
        probability_text=probability_text(p),
    )


def _at(levels: np.ndarray, values: np.ndarray, level: float) -> float:
    return float(np.interp(level, levels, values))


_THRESHOLDS: dict[str, Callable[[pd.Series], float]] = {
    "rise_20pct": lambda s: float(s.iloc[-1]) * 1.2,
    "above_p80": lambda s: float(np.quantile(s.to_numpy(), 0.8)),
    "below_p20": lambda s: float(np.quantile(s.to_numpy(), 0.2)),
}


def _months_between(origin: dt.date, month: dt.date) -> int:
    return (month.year - origin.year) * 12 + month.month - origin.month


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
