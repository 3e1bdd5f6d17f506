"""The store's query functions for forecasts, indicators and ingest runs (store/forecasts.py,
store/indicators.py, store/runs.py), each checked against a plain pandas reading of the same
real rows. Real data: the SESNSP state homicide file and the UCDP GED Mexico file under
../shared/data. The stored forecasts and backtest scores are constructed test input."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dyadwatch.ingest import ingest_series, ingest_ucdp
from dyadwatch.settings import Settings
from dyadwatch.store import Store, forecasts, indicators, runs

from conftest import SHARED_DATA

SESNSP = (
    SHARED_DATA
    / "indicators"
    / "sesnsp-mx"
    / "victims_state_month_homicide_kidnap_extortion_2015_2025.csv"
)
UCDP = SHARED_DATA / "indicators" / "ucdp_ged_mexico_1989_2023.csv.gz"
HOMICIDES = "sesnsp-victims-homicidio-doloso"


def _forecast(store: Store, origin: dt.date, made_at: dt.datetime, model: str) -> None:
    """Constructed test input: one unit, two horizons, three levels."""
    rows = [
        ("MX-SIN", h, dt.date(origin.year + 1, h, 1), level, 10.0 * h + level)
        for h in (1, 2)
        for level in (0.9, 0.1, 0.5)
    ]
    frame = pd.DataFrame(rows, columns=["unit", "horizon", "period", "level", "value"])
    import pyarrow as pa

    table = pa.Table.from_pandas(frame)
    forecasts.replace_forecast(store, "t", model, origin, table, made_at=made_at)


def test_the_page_takes_the_last_made_and_the_briefing_the_latest_origin(store: Store) -> None:
    old, new = dt.date(2024, 1, 1), dt.date(2025, 1, 1)
    _forecast(store, new, dt.datetime(2025, 2, 1, 9, 30, 0, 123456), "a")
    _forecast(store, old, dt.datetime(2025, 3, 1), "b")  # an older origin, made later
    _forecast(store, old, dt.datetime(2025, 3, 1), "b")  # replaced, not doubled
    made = forecasts.latest_quantiles(store, "t", newest="made").to_pyarrow().to_pylist()
    by_origin = forecasts.latest_quantiles(store, "t", newest="origin").to_pyarrow().to_pylist()
    before = forecasts.latest_quantiles(store, "t", newest="origin", until=dt.date(2024, 6, 1))
    assert forecasts.stored_forecast(made) == forecasts.StoredForecast(
        "b", old, dt.datetime(2025, 3, 1)
    )
    chosen = forecasts.stored_forecast(by_origin)
    assert chosen == forecasts.StoredForecast("a", new, dt.datetime(2025, 2, 1, 9, 30, 0, 123456))
    assert forecasts.stored_forecast(before.to_pyarrow().to_pylist()) is not None
    assert {r["model"] for r in before.to_pyarrow().to_pylist()} == {"b"}
    assert len(made) == 6 and len(by_origin) == 6
    keys = [(r["unit"], r["period"], r["level"]) for r in made]
    assert keys == sorted(keys)
    assert forecasts.latest_quantiles(store, "other").to_pyarrow().num_rows == 0
    assert forecasts.stored_forecast([]) is None
    assert forecasts.has_forecasts(store)


def test_latest_scores_are_the_last_runs_best_first(store: Store) -> None:
    first, second = dt.datetime(2025, 1, 1), dt.datetime(2025, 2, 1)

    def row(run_at: dt.datetime, model: str, crps: float | None, published: str) -> tuple:
        return ("t", run_at, "w", model, 1, crps, 1.0, 1.0, 0.1, 0.5, 0.8, 0.9, 12, published)

    forecasts.save_scores(store, [row(first, "x", 0.1, "x")])
    forecasts.save_scores(
        store, [row(second, "m", None, "y"), row(second, "y", 2.0, "y"), row(second, "z", 1.0, "y")]
    )
    rows = forecasts.latest_scores(store, "t").to_pyarrow().to_pylist()
    assert [r["model"] for r in rows] == ["z", "y", "m"]  # the first run is left out
    assert forecasts.latest_published(store, "t") == "y"
    assert forecasts.latest_published(store, "none") is None


@pytest.fixture
def homicides(store: Store, settings: Settings) -> pd.DataFrame:
    """The real SESNSP homicide victims, as stored, read back with plain pandas."""
    ingest_series(store, SESNSP, settings=settings)
    frame = store.ibis.table("indicators").to_pyarrow().to_pandas()
    frame = frame[frame["series"] == HOMICIDES]
    assert len(frame) > 1000  # 32 states × ~10 years
    return frame


def test_monthly_sums_and_pattern_reads_match_pandas(store: Store, homicides: pd.DataFrame) -> None:
    sums = indicators.monthly_sums(store, HOMICIDES, "MX-%", pattern=True).to_pyarrow().to_pandas()
    expected = homicides.groupby("period")["value"].sum().sort_index()
    assert list(sums["period"]) == list(expected.index)
    assert sums["value"].tolist() == pytest.approx(expected.tolist())
    one = indicators.series_rows(store, HOMICIDES, "MX-SIN").to_pyarrow().to_pandas()
    assert len(one) == (homicides["geography"] == "MX-SIN").sum() > 100
    none = (
        indicators.series_rows(store, HOMICIDES, "MX-%").to_pyarrow().to_pandas()
    )  # exact, not LIKE
    assert none.empty


def test_geography_moves_are_the_largest_changes(store: Store, homicides: pd.DataFrame) -> None:
    period, before = dt.date(2025, 6, 1), dt.date(2025, 5, 1)
    moves = indicators.geography_moves(store, HOMICIDES, "MX-%", period, before, 5)
    got = moves.to_pyarrow().to_pylist()
    wide = homicides.pivot_table(index="geography", columns="period", values="value")
    change = (wide[period] - wide[before]).abs().sort_values(ascending=False)
    assert len(got) == 5
    assert [abs(r["now"] - r["before"]) for r in got] == pytest.approx(change.head(5).tolist())
    assert got[0]["geography"] == change.index[0]


def test_the_store_knows_which_staged_values_are_new(store: Store, homicides: pd.DataFrame) -> None:
    import pyarrow as pa

    stored = homicides.iloc[0]
    staged = pa.table(
        {
            "series": [HOMICIDES, HOMICIDES],
            "period": [stored["period"], dt.date(2099, 1, 1)],
            "geography": [stored["geography"], stored["geography"]],
        }
    )
    assert indicators.new_keys(store, staged) == {
        (HOMICIDES, dt.date(2099, 1, 1), stored["geography"])
    }


def test_files_behind_indicators_and_events(store: Store, settings: Settings) -> None:
    series_report = ingest_series(store, SESNSP, settings=settings)
    ucdp_report = ingest_ucdp(store, UCDP, settings=settings)
    until = dt.date(2020, 12, 1)
    (row,) = runs.indicator_files(store, [HOMICIDES], until).to_pyarrow().to_pylist()
    homicides = store.ibis.table("indicators").to_pyarrow().to_pandas()
    homicides = homicides[(homicides["series"] == HOMICIDES) & (homicides["period"] <= until)]
    assert row["file"] == SESNSP.name and row["n"] == len(homicides)
    assert row["first"] == homicides["period"].min()
    (events,) = runs.event_files(store, "ucdp", "MEX", until).to_pyarrow().to_pylist()
    ucdp = store.ibis.table("events").to_pyarrow().to_pandas()
    ucdp = ucdp[(ucdp["place_country"] == "MEX") & (ucdp["event_date"] <= until)]
    assert events["file"] == UCDP.name and events["n"] == len(ucdp) > 1000
    assert runs.event_files(store, "ucdp", "CAN", until).to_pyarrow().num_rows == 0
    from dyadwatch.briefs.briefing_sources import briefing_sources

    sources = briefing_sources(store, settings, until, until, targets=("mx-state-violence",))
    (violence,) = [r for r in sources if r.kind == "forecast events"]
    assert (violence.file_name, violence.rows) == (UCDP.name, events["n"])
    files = runs.run_files(store)
    assert files[series_report.run_id] == SESNSP.name and files[ucdp_report.run_id] == UCDP.name
