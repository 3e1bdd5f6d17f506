"""The briefing's outlook reads probabilities from stored forecast quantiles (real SESNSP
homicide series; the stored forecast is constructed test input)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dyadwatch.briefs.briefing_outlook import build_outlook, probability_above, probability_text
from dyadwatch.forecast.base import SUMMARY_LEVELS
from dyadwatch.forecast.publish import ForecastRow, PublishedForecast, save_forecast
from dyadwatch.forecast.targets import load_target
from dyadwatch.ingest import ingest_series
from dyadwatch.settings import Settings
from dyadwatch.store import Store

from conftest import SHARED_DATA

SESNSP = (
    SHARED_DATA
    / "indicators"
    / "sesnsp-mx"
    / "victims_state_month_homicide_kidnap_extortion_2015_2025.csv"
)


def test_probability_interpolates_between_quantiles_and_clips_the_tails() -> None:
    levels, values = (0.1, 0.5, 0.9), (10.0, 20.0, 40.0)
    assert probability_above(levels, values, 20.0) == pytest.approx(0.5)
    assert probability_above(levels, values, 30.0) == pytest.approx(0.3)
    assert probability_above(levels, values, 5.0) == pytest.approx(0.9)  # below the lowest
    assert probability_above(levels, values, 99.0) == pytest.approx(0.1)
    assert probability_text(0.025) == "below 2.5%" and probability_text(0.975) == "above 97.5%"
    assert probability_text(0.344) == "34%"


def test_outlook_from_a_stored_forecast(store: Store, settings: Settings) -> None:
    ingest_series(store, SESNSP, settings=settings)
    history = load_target(store, "mx-state-homicides", settings=settings).panel
    origin = history.index[-1].date()  # June 2025, the series' last month
    threshold = float(np.quantile(history["MX-SIN"].tail(120), 0.8))
    quantiles = tuple(threshold * f for f in (0.5, 0.6, 0.7, 0.9, 1.0, 1.1, 1.3, 1.4, 1.5))
    # Constructed test input: a no-change forecast whose median sits on Sinaloa's threshold.
    rows = (ForecastRow("MX-SIN", 1, dt.date(2025, 7, 1), quantiles),)
    published = PublishedForecast("mx-state-homicides", "no_change", origin, SUMMARY_LEVELS, rows)
    save_forecast(store, published, now=dt.datetime(2026, 1, 1))
    outlook = build_outlook(store, settings, dt.date(2025, 6, 1))
    (item,) = outlook.items
    missing = {"mx-state-violence", "border-encounters", "dyad-index", "mx-national-crimes"}
    assert set(outlook.missing) == missing
    assert item.baseline and item.published is None and item.covers_next
    (line,) = item.lines
    assert line.threshold == pytest.approx(threshold)
    assert line.probability == pytest.approx(0.5) and line.probability_text == "50%"
    assert line.median == pytest.approx(threshold)
    earlier = build_outlook(store, settings, dt.date(2025, 5, 1))  # before the origin
    assert earlier.items == () and "mx-state-homicides" in earlier.missing


def test_watch_items_link_to_their_series() -> None:
    from dyadwatch.analysis.alerts import Alert
    from dyadwatch.briefs.briefing import Links
    from dyadwatch.briefs.briefing_watch import _watch_item

    # Constructed test input: an alert on the conflict series USA->MEX, trade, ICEWS.
    alert = Alert(
        level="alert",
        series="conflict USA->MEX trade [icews]",
        kind="events",
        front="trade",
        direction="USA->MEX",
        source="icews",
        method="robust_z",
        start=dt.date(2018, 6, 1),
        end=dt.date(2018, 6, 30),
        value=9.0,
        baseline=1.0,
        score=5.0,
        explanation="conflict events rose to 9.0",
        events_role="drivers",
    )
    item = _watch_item(alert, dt.date(2018, 6, 30), Links("https://dw.example/"))
    assert item.href == (
        "https://dw.example/events?front=trade&since=2018-06-01&until=2018-06-30"
        "&direction=USA-MEX&source=icews"
    )
    assert Links().event("a/b c") == "/events/a%2Fb%20c"
