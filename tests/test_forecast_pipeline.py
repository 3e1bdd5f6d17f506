"""Targets read from a real store, the no-leakage proof, the backtest JSON contract, the
report with its SVG figure, and stored forecasts, through the CLI.

The store holds the bundled UCDP GED, SESNSP and CBP files (about 8 seconds to load).
The CLI runs the light ``--quick`` plan on the one-unit border series to stay fast.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import math
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.cli.context import CliState
from dyadwatch.cli.forecast_cmd import print_scorecard
from dyadwatch.errors import ForecastError
from dyadwatch.forecast import BacktestPlan, forecasts_at, load_target, run_backtest
from dyadwatch.forecast.backtest import escalation
from dyadwatch.forecast.baselines import NoChange
from dyadwatch.ingest import ingest_series, ingest_ucdp
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store

DEMO = files("dyadwatch") / "data" / "demo"
UCDP = "ucdp_ged_mexico_1989_2023.csv.gz"
SERIES = (
    "usbp_monthly_encounters_fy2000-fy2020.csv.gz",
    "cbp-nationwide-encounters-fy20-fy23-state.csv.gz",
    "victims_state_month_homicide_kidnap_extortion_2015_2025.csv.gz",
)
SMALL = BacktestPlan(horizons=(1, 2, 3), train_months=60, gbm_max_iter=20)
FORECASTERS = (
    "no_change",
    "seasonal_naive",
    "climatology",
    "conflictology",
    "count_glm",
    "gbm_quantile",
    "ensemble",
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("forecast") / "fc.duckdb"
    with open_store(path) as store:
        ingest_ucdp(store, Path(str(DEMO / UCDP)), settings=Settings())
        for name in SERIES:
            ingest_series(store, Path(str(DEMO / name)), settings=Settings())
    return path


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with open_store(db, read_only=True) as opened:
        yield opened


def _raw_violence(state: str, month: str) -> float:
    """Fatalities of GED events of ≤ 31 days starting in ``month`` in ``state``, by hand."""
    total = 0.0
    with gzip.open(str(DEMO / UCDP), "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            start = dt.date.fromisoformat(row["date_start"][:10])
            end = dt.date.fromisoformat(row["date_end"][:10])
            if row["adm_1"] == state and row["date_start"].startswith(month):
                total += float(row["best"]) if (end - start).days < 31 else 0.0
    return total


def test_state_violence_leaves_out_the_year_long_aggregates(store: Store) -> None:
    panel = load_target(store, "mx-state-violence", settings=Settings()).panel
    assert panel.loc["2020-05-01", "MX-CHH"] == _raw_violence("Chihuahua state", "2020-05")
    assert panel.loc["2022-01-01", "MX-GUA"] == _raw_violence("Guanajuato state", "2022-01")
    recent = panel.loc["2022-01-01":"2023-12-01"].sum(axis=1)
    january = recent[recent.index.month == 1].sum() / recent.sum()
    assert january < 0.15  # with date_start alone, about 75% of 2022–23 deaths fall in January


def test_state_homicides_are_the_sesnsp_series(store: Store) -> None:
    panel = load_target(store, "mx-state-homicides", settings=Settings()).panel
    value = store.scalar(
        "SELECT value FROM indicators WHERE series = 'sesnsp-victims-homicidio-doloso' "
        "AND geography = 'MX-JAL' AND period = DATE '2024-01-01'"
    )
    assert panel.shape == (126, 32)
    assert panel.loc["2024-01-01", "MX-JAL"] == value


def test_border_series_is_spliced_at_october_2019(store: Store) -> None:
    panel = load_target(store, "border-encounters", settings=Settings()).panel["SW-BORDER"]
    ratio = np.mean([45139 / 35402, 42643 / 33524, 40565 / 32853, 36585 / 29205, 36687 / 30077])
    usbp_sep_2019 = store.scalar(
        "SELECT value FROM indicators WHERE series = 'usbp-apprehensions' "
        "AND geography = 'southwest_border' AND period = DATE '2019-09-01'"
    )
    assert panel["2019-09-01"] == pytest.approx(usbp_sep_2019 * ratio)
    assert panel["2022-10-01"] == 231529  # CBP's Southwest Land Border count
    assert (panel.index[0], panel.index[-1]) == (
        pd.Timestamp("1999-10-01"),
        pd.Timestamp("2023-09-01"),
    )


def test_dyad_index_needs_dyad_events(store: Store) -> None:
    with pytest.raises(ForecastError, match="dyad-index has 0 months"):
        load_target(store, "dyad-index", settings=Settings())


def test_unknown_target_names_the_known_ones(store: Store) -> None:
    with pytest.raises(ForecastError, match="mx-state-homicides"):
        load_target(store, "mx-homicides", settings=Settings())


def test_no_value_after_the_origin_changes_any_forecast(store: Store) -> None:
    panel = load_target(store, "mx-state-homicides", settings=Settings()).panel.iloc[:, :8]
    origin = panel.index[-13]
    after = panel.index > origin
    perturbed = panel.copy()
    perturbed.loc[after] = perturbed.loc[after] * 3 + 7  # every value after the origin
    clean = forecasts_at(panel, origin, kind="count", plan=SMALL)
    moved = forecasts_at(perturbed, origin, kind="count", plan=SMALL)
    assert set(clean) == set(FORECASTERS)
    for name in FORECASTERS:
        np.testing.assert_array_equal(clean[name].quantiles, moved[name].quantiles, err_msg=name)
    # and the check can fail: changing the origin month itself moves the forecasts
    at_origin = panel.copy()
    at_origin.loc[origin] = at_origin.loc[origin] * 3 + 7
    history = at_origin.loc[:origin]
    changed = NoChange(horizons=SMALL.horizons, window=SMALL.train_months).fit(history)
    assert not np.array_equal(changed.predict(history).quantiles, clean["no_change"].quantiles)


@pytest.fixture(scope="module")
def backtest_json(db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    reports = tmp_path_factory.mktemp("reports")
    args = ["--db", str(db), "backtest", "--target", "border-encounters", "--json"]
    result = CliRunner().invoke(app, [*args, "--quick", "--reports", str(reports)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), reports


def test_backtest_json_follows_the_contract(backtest_json: tuple[dict, Path]) -> None:
    payload, _ = backtest_json
    assert set(payload) == {"target", "test_months", "horizons", "published"}
    assert (payload["target"], payload["test_months"]) == ("border-encounters", 24)
    assert set(payload["horizons"]) == {"1", "2", "3"}
    for scores in payload["horizons"].values():
        assert set(scores) == set(FORECASTERS)
        for values in scores.values():
            assert set(values) == {"crps", "mae", "coverage80", "coverage95"}
            assert all(isinstance(v, float) and math.isfinite(v) for v in values.values())
            assert values["crps"] > 0 and values["mae"] > 0  # real counts: never exact
            assert 0 <= values["coverage80"] <= values["coverage95"] <= 1
    assert payload["published"] in FORECASTERS


def test_backtest_writes_the_report_with_an_svg(backtest_json: tuple[dict, Path]) -> None:
    payload, reports = backtest_json
    text = (reports / "backtest_border-encounters.md").read_text(encoding="utf-8")
    svg = (reports / "backtest_border-encounters_calibration.svg").read_text(encoding="utf-8")
    assert "## Last 24 months" in text and "## The 24 months before" in text
    assert "Published: " in text and payload["published"] in text
    assert "backtest_border-encounters_calibration.svg" in text
    assert svg.startswith("<svg") and "http" not in svg.split(">", 1)[1].replace(
        "http://www.w3.org", ""
    )


def test_forecast_stores_and_prints_the_published_quantiles(
    db: Path, backtest_json: tuple[dict, Path]
) -> None:
    payload, _ = backtest_json
    args = ["--db", str(db), "forecast", "--target", "border-encounters", "--horizon", "2"]
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["model"] == payload["published"]
    assert [r["period"] for r in printed["rows"]] == ["2023-10-01", "2023-11-01"]
    with open_store(db, read_only=True) as store:
        rows = store.execute(
            "SELECT horizon, count(*), min(value) <= max(value) FROM forecasts "
            "WHERE target = 'border-encounters' GROUP BY horizon ORDER BY horizon"
        )
    assert rows == [(1, 9, True), (2, 9, True)]
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0 and "SW-BORDER" in table.stdout


def test_forecast_without_a_backtest_says_what_to_run(db: Path) -> None:
    args = ["--db", str(db), "forecast", "--target", "mx-state-homicides"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "dyadwatch backtest --target mx-state-homicides" in result.stderr


def test_escalation_rules_use_only_the_known_history(store: Store) -> None:
    border = load_target(store, "border-encounters", settings=Settings()).panel
    known = border.loc[:"2022-09-01"].to_numpy()  # September 2022: 227,547 encounters
    q = np.tile(np.linspace(200_000, 300_000, 199), (1, 1))
    y = border.loc[["2022-10-01"]].to_numpy()[0]
    probability, happened = escalation(y, q, known, "rise_20pct")
    threshold = 1.2 * known[-1, 0]
    assert known[-1, 0] == 227547
    assert not happened[0]  # October 2022 (231,529) is not 20% above September
    assert probability[0] == pytest.approx(np.mean(q[0] > threshold))
    probability, happened = escalation(y, q, known, "above_p80")
    assert happened[0] == (y[0] > np.quantile(known[:, 0], 0.8))


def test_the_scorecard_says_when_no_model_wins(store: Store) -> None:
    data = load_target(store, "border-encounters", settings=Settings())
    plan = BacktestPlan(horizons=(1,), test_months=6, windows=1, train_months=60, gbm_max_iter=10)
    result = run_backtest(data, plan)
    console = Console(record=True, width=120)
    print_scorecard(CliState(settings=Settings(), out=console, err=console), result)
    text = console.export_text()
    assert "backtest border-encounters" in text and result.published in text
    if result.published_is_model:
        assert f"Published: {result.published}." in text
    else:
        assert "No model beats the baselines here" in text
