"""VAR scenarios on real indicator series (bundled demo files: FRED IMPMX, Border Patrol
apprehensions, SESNSP homicide victims), plus clearly labelled synthetic edge cases."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dyadwatch.errors import ScenarioError
from dyadwatch.ingest import ingest_series
from dyadwatch.scenarios.panel import PanelSeries, indicator_panel, scenario_panel
from dyadwatch.scenarios.var import (
    conditional_path,
    default_max_lags,
    fit_var,
    impulse_responses,
    parse_var_shock,
    prepare_panel,
    run_var_scenario,
)
from dyadwatch.settings import Settings
from dyadwatch.store import open_store

DEMO = Path(__file__).resolve().parents[1] / "dyadwatch" / "data" / "demo"
SERIES_FILES = (
    "IMPMX_1985_2026.csv",
    "usbp_monthly_encounters_fy2000-fy2020.csv.gz",
    "victims_state_month_homicide_kidnap_extortion_2015_2025.csv.gz",
)


def load_indicator_store(db: Path) -> None:
    """A store holding the three real series the fallback panel reads."""
    settings = Settings(db=db, cache_dir=db.parent / "cache")
    with open_store(db) as store:
        for name in SERIES_FILES:
            ingest_series(store, DEMO / name, settings=settings)


@pytest.fixture(scope="module")
def indicator_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("var") / "dw.duckdb"
    load_indicator_store(db)
    return db


@pytest.fixture(scope="module")
def panel(indicator_db: Path) -> Iterator[pd.DataFrame]:
    with open_store(indicator_db, read_only=True) as store:
        yield indicator_panel(store)


def test_indicator_panel_is_monthly_real_data(panel: pd.DataFrame) -> None:
    assert list(panel.columns) == ["imports", "apprehensions", "homicides"]
    assert panel.index.freqstr == "MS"
    complete = panel.dropna()
    assert (complete.index[0], complete.index[-1]) == (
        pd.Timestamp("2015-01-01"),
        pd.Timestamp("2020-09-01"),
    )
    # FRED IMPMX, Jan 2015 (USD millions) and Southwest-border apprehensions, Oct 2019
    assert complete.at[pd.Timestamp("2015-01-01"), "imports"] == pytest.approx(22261.08611)
    assert panel.at[pd.Timestamp("2019-10-01"), "apprehensions"] == 35402


def test_three_series_lag_order_stability_and_transforms(panel: pd.DataFrame) -> None:
    fit = fit_var(prepare_panel(panel))
    assert fit.panel.transforms == {
        "imports": "logdiff",
        "apprehensions": "level",
        "homicides": "logdiff",
    }
    assert len(fit.panel.data) == 68 and fit.max_lags == 10
    assert fit.lag_order == 2
    assert min(fit.criteria, key=fit.criteria.__getitem__) == 2
    assert fit.stable and max(fit.eigenvalue_moduli) < 1


def test_two_series_long_sample(panel: pd.DataFrame) -> None:
    fit = fit_var(prepare_panel(panel[["imports", "apprehensions"]]))
    assert len(fit.panel.data) == 251 and fit.max_lags == 12
    assert fit.lag_order == 12  # monthly seasonality: neither series is seasonally adjusted
    assert fit.stable


def test_impulse_response_shapes_and_bands(panel: pd.DataFrame) -> None:
    fit = fit_var(prepare_panel(panel))
    irf = impulse_responses(fit, horizon=12)
    assert irf.responses.shape == irf.lower.shape == irf.upper.shape == (13, 3, 3)
    sd = np.sqrt(np.diag(np.asarray(fit.results.sigma_u)))
    assert np.allclose(irf.responses[0], np.diag(sd))
    assert (irf.lower <= irf.responses + 1e-12).all() and (irf.upper >= irf.responses - 1e-12).all()
    assert (irf.upper[1:] - irf.lower[1:] > 0).all()


def test_zero_shock_path_equals_baseline(panel: pd.DataFrame) -> None:
    fit = fit_var(prepare_panel(panel))
    path = conditional_path(fit, series="homicides", size=0.0, months=4, horizon=8)
    assert np.allclose(path.scenario.to_numpy(), path.baseline.to_numpy(), rtol=0, atol=1e-9)
    assert path.index[0] == pd.Timestamp("2020-10-01") and len(path.index) == 8


def test_shocked_series_follows_its_target(panel: pd.DataFrame) -> None:
    run = run_var_scenario(panel, series="apprehensions", size=10_000, months=3, horizon=6)
    diff = run.path.difference
    assert np.allclose(diff["apprehensions"].iloc[:3], 10_000)
    assert not np.allclose(diff["imports"], 0)


def test_unknown_series_lists_valid_names(panel: pd.DataFrame) -> None:
    with pytest.raises(ScenarioError, match="unknown series 'encounters'.*imports, apprehensions"):
        run_var_scenario(panel, series="encounters", size=1, months=1)


def test_too_short_a_sample(panel: pd.DataFrame) -> None:
    with pytest.raises(ScenarioError, match="too short a sample: 12 months"):
        prepare_panel(panel.dropna().iloc[:12])


def test_constant_column_is_dropped(panel: pd.DataFrame) -> None:
    frame = panel.dropna().assign(flat=5.0)
    prepared = prepare_panel(frame)
    assert prepared.dropped == ("flat",) and "flat" not in prepared.data
    fit = fit_var(prepared)
    with pytest.raises(ScenarioError, match="flat is constant"):
        conditional_path(fit, series="flat", size=1, months=1)


def test_index_must_be_month_starts(panel: pd.DataFrame) -> None:
    frame = panel.dropna().copy()
    frame.index = frame.index + pd.Timedelta(days=14)
    with pytest.raises(ScenarioError, match="month starts"):
        prepare_panel(frame)


def test_missing_panel_series_says_how_to_load_it(indicator_db: Path) -> None:
    with open_store(indicator_db, read_only=True) as store:
        with pytest.raises(ScenarioError, match="dyadwatch ingest series"):
            indicator_panel(store, [PanelSeries("x", "no-such-series", "USA")])


def test_parse_var_shock() -> None:
    assert parse_var_shock("imports=-250.5") == ("imports", -250.5)
    for bad in ("imports", "=3", "imports=lots", "imports=inf"):
        with pytest.raises(ScenarioError, match="SERIES=SIZE"):
            parse_var_shock(bad)


def test_default_max_lags_shrinks_with_the_sample() -> None:
    assert default_max_lags(250, 2) == 12
    assert default_max_lags(68, 3) == 10
    assert default_max_lags(30, 6) == 1
    assert default_max_lags(20, 6) == 0


# Synthetic data below, labelled as such: edge cases that real series here do not show.


def _synthetic(values: dict[str, np.ndarray]) -> pd.DataFrame:
    index = pd.date_range("2000-01-01", periods=len(next(iter(values.values()))), freq="MS")
    return pd.DataFrame(values, index=index)


def test_synthetic_random_walk_is_differenced() -> None:
    rng = np.random.default_rng(7)
    frame = _synthetic({"walk": rng.normal(size=120).cumsum(), "noise": rng.normal(size=120)})
    prepared = prepare_panel(frame)
    assert prepared.transforms == {"walk": "diff", "noise": "level"}


def test_synthetic_explosive_system_is_flagged_unstable() -> None:
    rng = np.random.default_rng(3)
    a = np.empty(80)
    a[0] = 1.0
    for t in range(1, 80):
        a[t] = 1.08 * a[t - 1] + rng.normal()
    frame = _synthetic({"a": a, "b": rng.normal(size=80)})
    fit = fit_var(prepare_panel(frame, transforms={"a": "level", "b": "level"}), max_lags=1)
    assert not fit.stable and max(fit.eigenvalue_moduli) > 1


def test_scenario_panel_uses_the_analysis_layer_or_falls_back(
    indicator_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(db=indicator_db, cache_dir=indicator_db.parent / "cache")
    with open_store(indicator_db, read_only=True) as store:
        frame, source = scenario_panel(store, settings)
        assert source == "analysis.monthly_panel"
        assert {"imports", "apprehensions", "homicides"} <= set(frame.columns)
        monkeypatch.setitem(sys.modules, "dyadwatch.analysis", None)
        frame, source = scenario_panel(store, settings)
        assert source == "indicators"
        assert list(frame.columns) == ["imports", "apprehensions", "homicides"]
