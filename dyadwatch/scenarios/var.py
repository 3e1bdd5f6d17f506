"""Vector autoregression over monthly series: lag order, stability, impulse responses with
bands, and conditional paths ("if X rises by SIZE for N months").

Everything here works on a pandas DataFrame with a DatetimeIndex of month starts and one
column per series, so it runs on any panel (docs/scenarios.md). statsmodels is imported
only when a model is fitted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from dyadwatch.errors import ScenarioError

Array = npt.NDArray[np.float64]

TRANSFORMS = ("level", "diff", "logdiff")
MIN_OBSERVATIONS = 24
MAX_LAGS = 12
MAX_SERIES = 6
ADF_PVALUE = 0.05


@dataclass(frozen=True, slots=True)
class PreparedPanel:
    """The modelled data: stationary columns, the level data they came from, how each was
    transformed, and columns dropped because they never change."""

    data: pd.DataFrame
    levels: pd.DataFrame
    transforms: dict[str, str]
    dropped: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VarFit:
    """A fitted VAR and what an analyst checks first: lag order, criteria, stability."""

    panel: PreparedPanel
    lag_order: int
    criterion: str
    criteria: dict[int, float]
    max_lags: int
    stable: bool
    eigenvalue_moduli: tuple[float, ...]
    results: Any = field(repr=False)

    @property
    def columns(self) -> list[str]:
        return list(self.panel.data.columns)

    @property
    def nobs(self) -> int:
        return int(self.results.nobs)


@dataclass(frozen=True, slots=True)
class ImpulseResponses:
    """responses[h, i, j]: response of series i (modelled units), h months after a
    one-standard-deviation innovation in series j, with bands at the given coverage."""

    columns: tuple[str, ...]
    responses: Array
    lower: Array
    upper: Array
    coverage: float


@dataclass(frozen=True, slots=True)
class VarScenario:
    """A fitted VAR, its impulse responses, and one conditional path."""

    fit: VarFit
    irf: ImpulseResponses
    path: ConditionalPath
    left_out: dict[str, str]


@dataclass(frozen=True, slots=True)
class ConditionalPath:
    """Level paths of every series under a baseline forecast and under the scenario."""

    series: str
    size: float
    months: int
    index: pd.DatetimeIndex
    baseline: pd.DataFrame
    scenario: pd.DataFrame

    @property
    def difference(self) -> pd.DataFrame:
        return self.scenario - self.baseline


def parse_var_shock(text: str) -> tuple[str, float]:
    """``SERIES=SIZE`` (e.g. ``encounters=5000``) as a name and a number."""
    name, sep, size = text.partition("=")
    try:
        value = float(size)
    except ValueError:
        value = math.nan
    if not sep or not name.strip() or not math.isfinite(value):
        raise ScenarioError(f"shock {text!r}: write SERIES=SIZE, e.g. imports=500")
    return name.strip(), value


def run_var_scenario(
    frame: pd.DataFrame,
    *,
    series: str,
    size: float,
    months: int,
    horizon: int = 12,
    columns: Sequence[str] | None = None,
    max_lags: int | None = None,
    criterion: str = "aic",
) -> VarScenario:
    """Choose the series (``columns``, or :func:`select_series`), prepare the panel, fit
    the VAR and trace the conditional path of one shock."""
    _known(frame, [series, *(columns or [])])
    if not frame[series].notna().any():
        raise ScenarioError(f"{series} has no data in the panel; load it or shock another series")
    left_out: dict[str, str] = {}
    if columns:
        chosen = list(dict.fromkeys([series, *columns]))
    else:
        chosen, left_out = select_series(frame, shocked=series)
    fit = fit_var(prepare_panel(frame[chosen]), max_lags=max_lags, criterion=criterion)
    path = conditional_path(fit, series=series, size=size, months=months, horizon=horizon)
    irf = impulse_responses(fit, horizon=horizon)
    return VarScenario(fit=fit, irf=irf, path=path, left_out=left_out)


def _known(frame: pd.DataFrame, names: Sequence[str]) -> None:
    valid = [str(c) for c in frame.columns]
    for name in names:
        if name not in valid:
            raise ScenarioError(f"unknown series {name!r}; use one of: {', '.join(valid)}")


def select_series(
    frame: pd.DataFrame, *, shocked: str, max_series: int = MAX_SERIES
) -> tuple[list[str], dict[str, str]]:
    """The shocked series, then every other series, longest record first, as long as the
    months they all cover stay enough for a VAR of that many series (10 per equation
    parameter of a VAR(1), at least 24). Returns the chosen columns and why each other
    column was left out."""
    counts = frame.notna().sum()
    left_out = {str(c): "no data" for c in frame.columns if counts[c] == 0}
    chosen = [shocked]
    for column in sorted(frame.columns, key=lambda c: -counts[c]):
        name = str(column)
        if name in chosen or name in left_out:
            continue
        months = _common_months(frame[[*chosen, name]])
        if len(chosen) >= max_series:
            left_out[name] = f"the model already has {max_series} series"
        elif months < max(MIN_OBSERVATIONS, 10 * (len(chosen) + 2)):
            left_out[name] = f"would cut the common sample to {months} months"
        else:
            chosen.append(name)
    return chosen, left_out


def _common_months(frame: pd.DataFrame) -> int:
    complete = frame.notna().all(axis=1).to_numpy()
    start, stop = _longest_run(complete)
    return stop - start


def prepare_panel(
    frame: pd.DataFrame, *, transforms: Mapping[str, str] | None = None
) -> PreparedPanel:
    """Check a monthly panel and make each column stationary.

    Rows with a missing value are cut to the longest run where every column is present.
    A constant column is dropped. A column not named in ``transforms`` is tested with an
    augmented Dickey-Fuller test and, when a unit root is not rejected at 5%, modelled as
    a log difference when every value is positive, otherwise as a first difference.
    """
    levels = _complete_months(frame.dropna(axis=1, how="all"))
    constant = tuple(c for c in levels.columns if levels[c].nunique() <= 1)
    levels = levels.drop(columns=list(constant))
    if levels.shape[1] < 2:
        raise ScenarioError(
            f"a VAR needs at least two varying series; got {list(levels.columns)}"
            + (f" (constant, dropped: {', '.join(constant)})" if constant else "")
        )
    chosen = {c: (transforms or {}).get(c) or _auto_transform(levels[c]) for c in levels}
    bad = {c: t for c, t in chosen.items() if t not in TRANSFORMS}
    if bad:
        raise ScenarioError(f"unknown transforms {bad}; use one of: {', '.join(TRANSFORMS)}")
    data = pd.DataFrame({c: _transform(levels[c], t) for c, t in chosen.items()})
    data = data.dropna().asfreq("MS")
    return PreparedPanel(data=data, levels=levels, transforms=chosen, dropped=constant)


def _complete_months(frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise ScenarioError("the panel needs a DatetimeIndex of month starts")
    if frame.index.has_duplicates:
        raise ScenarioError("the panel has duplicate months")
    if len(frame) == 0 or not (frame.index == frame.index.to_period("M").to_timestamp()).all():
        raise ScenarioError("the panel index must hold month starts only (YYYY-MM-01)")
    numeric = frame.sort_index().astype(float)
    numeric = numeric.reindex(pd.date_range(numeric.index[0], numeric.index[-1], freq="MS"))
    complete = numeric.notna().all(axis=1).to_numpy()
    start, stop = _longest_run(complete)
    if stop - start < MIN_OBSERVATIONS:
        raise ScenarioError(
            f"too short a sample: {stop - start} months where every series has a value; "
            f"a VAR needs at least {MIN_OBSERVATIONS}. Drop the shortest series or add data."
        )
    return numeric.iloc[start:stop].asfreq("MS")


def _longest_run(flags: npt.NDArray[np.bool_]) -> tuple[int, int]:
    best, start = (0, 0), None
    for i, ok in enumerate([*flags, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            best = max(best, (start, i), key=lambda r: r[1] - r[0])
            start = None
    return best


def _auto_transform(series: pd.Series) -> str:
    from statsmodels.tsa.stattools import adfuller

    pvalue = float(adfuller(series.to_numpy(), autolag="AIC", result_object=True).pvalue)
    if pvalue <= ADF_PVALUE:
        return "level"
    return "logdiff" if bool((series > 0).all()) else "diff"


def _transform(series: pd.Series, how: str) -> pd.Series:
    if how == "diff":
        return series.diff()
    if how == "logdiff":
        if not bool((series > 0).all()):
            raise ScenarioError(f"{series.name}: logdiff needs positive values; use diff")
        return pd.Series(np.log(series.to_numpy()), index=series.index).diff()
    return series


def default_max_lags(nobs: int, nseries: int) -> int:
    """Schwert's rule 12 (T/100)^(1/4), capped at 12 and so that each equation keeps at
    least 10 residual degrees of freedom at the largest lag."""
    schwert = int(12 * (nobs / 100) ** 0.25)
    room = (nobs - 10) // (nseries + 1) - 1
    return max(0, min(MAX_LAGS, schwert, room))


def fit_var(panel: PreparedPanel, *, max_lags: int | None = None, criterion: str = "aic") -> VarFit:
    """Fit a VAR with the lag order that minimises ``criterion`` (aic, bic, hqic, fpe)
    up to ``max_lags``; the order is at least 1."""
    from statsmodels.tsa.api import VAR

    data = panel.data
    limit = default_max_lags(len(data), data.shape[1]) if max_lags is None else max_lags
    if limit < 1:
        raise ScenarioError(
            f"too short a sample: {len(data)} months for {data.shape[1]} series leaves no "
            "room for even one lag; use fewer series or a longer span"
        )
    if criterion not in ("aic", "bic", "hqic", "fpe"):
        raise ScenarioError(f"unknown criterion {criterion!r}; use aic, bic, hqic or fpe")
    model = VAR(data)
    order = model.select_order(maxlags=limit)
    values = {lag: float(order.ics[criterion][lag]) for lag in range(len(order.ics[criterion]))}
    lag = max(1, int(order.selected_orders[criterion]))
    results = model.fit(lag)
    # companion-matrix eigenvalues are the inverse roots; all inside the unit circle = stable
    moduli = tuple(float(m) for m in np.sort(1 / np.abs(results.roots))[::-1])
    return VarFit(
        panel=panel,
        lag_order=lag,
        criterion=criterion,
        criteria=values,
        max_lags=limit,
        stable=bool(results.is_stable()),
        eigenvalue_moduli=moduli,
        results=results,
    )


def impulse_responses(
    fit: VarFit, *, horizon: int = 12, coverage: float = 0.95
) -> ImpulseResponses:
    """Non-orthogonalised impulse responses to a one-standard-deviation innovation in each
    series (others held at zero), with asymptotic bands from statsmodels' stderr."""
    if horizon < 1:
        raise ScenarioError("the horizon must be at least one month")
    irf = fit.results.irf(horizon)
    z = _normal_quantile(0.5 + coverage / 2)
    scale = np.sqrt(np.diag(np.asarray(fit.results.sigma_u, dtype=float)))[None, None, :]
    stderr = np.asarray(irf.stderr(orth=False), dtype=float) * scale
    responses = np.asarray(irf.irfs, dtype=float) * scale
    return ImpulseResponses(
        columns=tuple(fit.columns),
        responses=responses,
        lower=responses - z * stderr,
        upper=responses + z * stderr,
        coverage=coverage,
    )


def _normal_quantile(p: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(p))


def conditional_path(
    fit: VarFit, *, series: str, size: float, months: int, horizon: int = 12
) -> ConditionalPath:
    """Every series' level path when ``series`` sits ``size`` (its own units) above its
    baseline forecast for the first ``months`` months, against the baseline forecast.

    Each conditioned month, the innovation that puts ``series`` on its target moves the
    other series by their covariance with it (E[u | u_series]); after that the model runs
    freely. With ``size`` 0 the scenario equals the baseline.
    """
    _check_series(fit, series)
    if months < 1 or horizon < months:
        raise ScenarioError(f"need 1 <= months ({months}) <= horizon ({horizon})")
    baseline = _simulate(fit, horizon, target=None)
    target = baseline[series].to_numpy()[:months] + size
    scenario = _simulate(fit, horizon, target=(series, target))
    return ConditionalPath(series, size, months, baseline.index, baseline, scenario)


def _check_series(fit: VarFit, series: str) -> None:
    if series in fit.panel.dropped:
        raise ScenarioError(f"{series} is constant over the sample and is not in the model")
    if series not in fit.columns:
        raise ScenarioError(f"unknown series {series!r}; use one of: {', '.join(fit.columns)}")


def _simulate(fit: VarFit, horizon: int, *, target: tuple[str, Array] | None) -> pd.DataFrame:
    """Forecast levels step by step; optionally pin one series to target levels."""
    res = fit.results
    columns = fit.columns
    history = [row for row in fit.panel.data.to_numpy()[-fit.lag_order :]]
    last = fit.panel.levels.iloc[-1].to_numpy(dtype=float)
    sigma = np.asarray(res.sigma_u, dtype=float)
    out = []
    for step in range(horizon):
        y = _one_step(res, history)
        if target is not None and step < len(target[1]):
            j = columns.index(target[0])
            wanted = _to_model(target[1][step], last[j], fit.panel.transforms[target[0]])
            y = y + sigma[:, j] / sigma[j, j] * (wanted - y[j])
        last = _to_levels(y, last, [fit.panel.transforms[c] for c in columns])
        history.append(y)
        out.append(last)
    index = pd.date_range(
        fit.panel.levels.index[-1] + pd.offsets.MonthBegin(1), periods=horizon, freq="MS"
    )
    return pd.DataFrame(np.array(out), index=index, columns=columns)


def _one_step(res: Any, history: list[Array]) -> Array:
    lags = np.array(history[-res.k_ar :])
    return np.asarray(res.forecast(lags, 1)[0], dtype=float)


def _to_model(level: float, previous: float, how: str) -> float:
    if how == "diff":
        return level - previous
    if how == "logdiff":
        if level <= 0 or previous <= 0:
            raise ScenarioError(
                "the shock takes a log-differenced series to zero or below; use a smaller size"
            )
        return math.log(level / previous)
    return level


def _to_levels(y: Array, previous: Array, transforms: list[str]) -> Array:
    out = np.empty_like(previous)
    for i, how in enumerate(transforms):
        if how == "diff":
            out[i] = previous[i] + y[i]
        elif how == "logdiff":
            out[i] = previous[i] * math.exp(y[i])
        else:
            out[i] = y[i]
    return out
