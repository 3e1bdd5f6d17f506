"""The four baselines computed by hand on a real slice: SESNSP homicide victims of
Aguascalientes and Jalisco, January 2015 – December 2017 (the bundled demo file)."""

from __future__ import annotations

import csv
import gzip
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest

from dyadwatch.forecast.base import LEVELS
from dyadwatch.forecast.baselines import Climatology, Conflictology, NoChange, SeasonalNaive

MEDIAN = int(np.flatnonzero(np.isclose(LEVELS, 0.5))[0])
STATES = {"01": "MX-AGU", "14": "MX-JAL"}


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    path = files("dyadwatch") / "data" / "demo"
    source = path / "victims_state_month_homicide_kidnap_extortion_2015_2025.csv.gz"
    with gzip.open(str(source), "rt", encoding="utf-8") as handle:
        rows = [
            (r["date_year_month"][:7], STATES[r["cve_ent"]], float(r["n_victimas"]))
            for r in csv.DictReader(handle)
            if r["cve_ent"] in STATES and r["subtipo_de_delito"] == "Homicidio doloso"
        ]
    frame = pd.DataFrame(rows, columns=["month", "unit", "value"])
    wide = frame.pivot_table(index="month", columns="unit", values="value", aggfunc="sum")
    wide.index = pd.to_datetime(wide.index + "-01")
    return wide.loc["2015-01-01":"2017-12-01"]


def _median(model: object, history: pd.DataFrame, horizon: int) -> np.ndarray:
    forecast = model.fit(history).predict(history)  # type: ignore[attr-defined]
    return forecast.at(horizon)[:, MEDIAN]


def test_the_slice_is_what_the_file_says(panel: pd.DataFrame) -> None:
    assert panel.shape == (36, 2)
    assert panel.notna().all().all()


def test_conflictology_is_the_last_twelve_months(panel: pd.DataFrame) -> None:
    got = _median(Conflictology(horizons=(1, 3)), panel, 3)
    expected = [np.sort(panel[u].to_numpy()[-12:])[5] for u in panel]  # 6th of 12
    assert got == pytest.approx(expected)


def test_no_change_is_the_last_value_moved_by_the_median_change(panel: pd.DataFrame) -> None:
    got = _median(NoChange(horizons=(1,)), panel, 1)
    for i, unit in enumerate(panel):
        logs = np.log1p(panel[unit].to_numpy())
        change = np.sort(np.diff(logs))[17]  # 18th of 35 one-month changes
        assert got[i] == pytest.approx(np.expm1(logs[-1] + change))


def test_seasonal_naive_starts_from_the_same_month_a_year_before(panel: pd.DataFrame) -> None:
    got = _median(SeasonalNaive(horizons=(2,)), panel, 2)
    for i, unit in enumerate(panel):
        logs = np.log1p(panel[unit].to_numpy())
        change = np.sort(logs[12:] - logs[:-12])[11]  # 12th of 24 yearly changes
        # origin December 2017, target February 2018: February 2017 is row -11
        assert got[i] == pytest.approx(np.expm1(logs[-11] + change))


def test_climatology_uses_the_target_calendar_month(panel: pd.DataFrame) -> None:
    got = _median(Climatology(horizons=(1,)), panel, 1)
    januaries = panel[panel.index.month == 1]
    assert got == pytest.approx([np.sort(januaries[u].to_numpy())[1] for u in panel])


def test_quantiles_are_ordered_and_non_negative(panel: pd.DataFrame) -> None:
    for model in (NoChange(), SeasonalNaive(), Climatology(), Conflictology()):
        q = model.fit(panel).predict(panel).quantiles
        assert q.shape == (6, 2, LEVELS.size)
        assert (np.diff(q, axis=-1) >= 0).all() and (q >= 0).all()
