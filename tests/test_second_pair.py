"""A second pair, United States–Canada, from bundled real data, by setting alone.

The store holds the real GDELT 1.0 sample, the GDELT 2.0 15-minute export and the ICEWS
sample (``/work/shared/data/fixtures``), as the U.S.–Mexico tests load them. Between the
United States and Canada they hold 41 events: 2 in GDELT 1.0 (July 2016), 7 in GDELT 2.0
(October 2019) and 32 in ICEWS (1–2 June 2018). Each file spans one or two days, so no
month is *covered* (an event dataset must span 20 days of a month): the verdicts of those
months are "insufficient coverage" naming the pair's sides, and no alert can be raised.
That is what the data allows; the index and the explorer return the 41 rows.

The pair is configured by ``dyad = "USA-CAN"`` only: it has no bundled file, so it takes
the shipped fronts and keywords with the names of ``ontology/countries.py``. A user pair
file (``pair_file``) and its errors are tested at the end.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.analysis import IndexSpec, compute_index, find_alerts, monthly_verdicts
from dyadwatch.analysis.verdicts import latest_month
from dyadwatch.errors import ConfigError
from dyadwatch.ingest import ingest_gdelt, ingest_icews
from dyadwatch.ontology import FRONT_KEYS
from dyadwatch.ontology.pairs import DEFAULT_DYAD, bundled_pair, load_pair
from dyadwatch.settings import Settings
from dyadwatch.store import open_store

from conftest import GDELT1_SAMPLE, GDELT2_EXPORT, SHARED_DATA

with warnings.catch_warnings():  # starlette's TestClient warns that httpx is deprecated
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ICEWS = SHARED_DATA / "fixtures" / "icews" / "events.2018.sample.tab"
PAIR_EVENTS = {"gdelt1": 2, "gdelt2": 7, "icews": 32}  # counted in the files, see above
MONTHS = (dt.date(2016, 7, 1), dt.date(2018, 6, 1), dt.date(2019, 10, 1))
BUNDLED = Path(__file__).resolve().parents[1] / "dyadwatch" / "data" / "pairs"


@pytest.fixture(scope="module")
def can_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("usa-can")
    settings = Settings(
        db=folder / "usa-can.duckdb", cache_dir=folder / "cache", dyad="USA-CAN", web_warm=False
    )
    with open_store(settings.db) as store:
        for path in (GDELT1_SAMPLE, GDELT2_EXPORT):
            ingest_gdelt(store, path, settings=settings)
        ingest_icews(store, ICEWS, settings=settings)
    return settings


def _pair_counts(settings: Settings) -> dict[str, int]:
    a, b = settings.dyad_countries
    with open_store(settings.db, read_only=True) as store:
        rows = store.execute(
            "SELECT source_system, count(*) FROM events WHERE (source_country = ? AND "
            "target_country = ?) OR (source_country = ? AND target_country = ?) GROUP BY 1",
            [a, b, b, a],
        )
    return dict(rows)


def test_the_store_holds_the_real_usa_can_events(can_settings: Settings) -> None:
    assert _pair_counts(can_settings) == PAIR_EVENTS


def test_the_index_returns_the_pair_in_both_directions(can_settings: Settings) -> None:
    spec = IndexSpec(dyad=can_settings.dyad_countries, freq="month")
    with open_store(can_settings.db, read_only=True) as store:
        rows = compute_index(store.ibis.table("events"), spec)
    assert {r["direction"] for r in rows} == {"USA->CAN", "CAN->USA"}
    by_source: dict[str, int] = {}
    for row in rows:
        by_source[row["source"]] = by_source.get(row["source"], 0) + row["events"]
    assert by_source == PAIR_EVENTS
    assert {dt.date.fromisoformat(r["period"]) for r in rows} == set(MONTHS)


def test_verdicts_judge_the_pair_and_say_its_months_are_not_covered(
    can_settings: Settings,
) -> None:
    with open_store(can_settings.db, read_only=True) as store:
        assert latest_month(store, can_settings) is None
        for month in MONTHS:
            verdicts = monthly_verdicts(store, can_settings, month)
            assert [v.front for v in verdicts] == ["all", *FRONT_KEYS]
            for verdict in verdicts:
                assert verdict.verdict == "insufficient coverage"
                reasons = " ".join(verdict.reasons)
                assert "USA and CAN" in reasons and "MEX" not in reasons


def test_the_same_store_judged_as_usa_mex_names_mexico(can_settings: Settings) -> None:
    """The control: the verdicts' sides come from the setting, not from the code."""
    mex = can_settings.model_copy(update={"dyad": DEFAULT_DYAD})
    with open_store(mex.db, read_only=True) as store:
        verdict = monthly_verdicts(store, mex, MONTHS[1])[0]
    assert "MEX" in " ".join(verdict.reasons)


def test_no_alert_without_a_covered_month(can_settings: Settings) -> None:
    with open_store(can_settings.db, read_only=True) as store:
        assert find_alerts(store, can_settings, since=dt.date(2010, 1, 1)) == []


@pytest.fixture(scope="module")
def can_client(can_settings: Settings) -> Iterator[TestClient]:
    from dyadwatch.web import contexts
    from dyadwatch.web.app import create_app

    app = create_app(can_settings)
    with TestClient(app) as client:
        contexts.snapshot(app.state.web, wait=600)
        contexts.alert_set(app.state.web, wait=600)
        yield client


@pytest.mark.parametrize("url", ["/", "/events", "/events?dyad=USA-CAN", "/map", "/briefs"])
def test_pages_name_canada_and_never_mexico(can_client: TestClient, url: str) -> None:
    page = can_client.get(url)
    assert page.status_code == 200
    assert "Canada" in page.text
    assert "Mexico" not in page.text and "México" not in page.text


def test_the_explorer_lists_the_pair_events(can_client: TestClient) -> None:
    found = can_client.get("/events.json", params={"dyad": "USA-CAN"}).json()
    assert found["total"] == sum(PAIR_EVENTS.values())
    assert len(found["items"]) == found["total"]
    for item in found["items"]:
        assert {item["source_country"], item["target_country"]} == {"USA", "CAN"}


def test_the_overview_of_the_shipped_pair_names_mexico(can_settings: Settings) -> None:
    """The control of the page check: the same store under USA-MEX prints Mexico."""
    from dyadwatch.web.app import create_app

    mex = can_settings.model_copy(update={"dyad": DEFAULT_DYAD})
    with TestClient(create_app(mex)) as client:
        text = client.get("/").text
    assert "Mexico" in text and "Canada" not in text


# -- the pair's configuration --------------------------------------------------------------


def test_a_pair_without_a_file_takes_the_shipped_fronts_and_the_ontology_names() -> None:
    pair = load_pair("USA-CAN")
    shipped = bundled_pair(DEFAULT_DYAD)
    assert pair.origin == "fallback" and pair.map is None
    assert pair.title == "United States–Canada"
    assert pair.fronts == shipped.fronts
    assert pair.mentions[0] == shipped.mentions[0]  # the United States' words are known
    assert pair.mentions[1] == ("canada",)


def test_the_shipped_pair_is_read_from_its_file() -> None:
    pair = Settings().pair
    assert pair.origin == "USA-MEX.toml"
    assert [n.name for n in pair.names] == ["United States", "Mexico"]
    assert tuple(f.key for f in pair.fronts) == FRONT_KEYS
    assert all(dict(f.keywords).keys() == {"en", "es"} for f in pair.fronts)
    assert pair.map is not None and len(pair.map.border_states) == 4


def _can_file(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A pair file for USA–CAN, written from the shipped one (configuration, not data)."""
    text = (BUNDLED / "USA-MEX.toml").read_text(encoding="utf-8")
    start, end = text.index("[names.MEX]"), text.index("# Words that name")
    text = text[:start] + '[names.CAN]\nname = "Canada"\nadjective = "Canadian"\n\n' + text[end:]
    text = text[: text.index("\n[map]")] + "\n"
    text = text.replace('countries = ["USA", "MEX"]', 'countries = ["USA", "CAN"]')
    text = text.replace("\nMEX = [", "\nCAN = [")
    text = text.replace('label = "Trade and tariffs"', 'label = "Trade across the line"')
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "usa-can.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_pair_file_gives_the_labels_the_pages_print(
    can_settings: Settings, tmp_path: Path
) -> None:
    from dyadwatch.web.app import create_app

    settings = can_settings.model_copy(update={"pair_file": _can_file(tmp_path)})
    assert settings.pair.origin == str(tmp_path / "usa-can.toml")
    assert settings.pair.names_of("CAN").adjective == "Canadian"
    with TestClient(create_app(settings)) as client:
        text = client.get("/fronts/trade").text
    assert "Trade across the line" in text and "Trade and tariffs" not in text


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('countries = ["USA", "CAN"]', 'countries = ["USA", "GBR"]'), "make them agree"),
        (("[fronts.cooperation]", "[fronts.cooperating]"), "it must define"),
        (('name = "Canada"', "name = 3"), "[names.CAN]: 'name' must be a non-empty string"),
        (("[mentions]", "[mentioned]"), "needs a [mentions] table"),
        (('label = "Migration"', "label = [1"), "is not valid TOML"),
    ],
)
def test_a_bad_pair_file_says_which_key_is_wrong(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match="usa-can.toml") as caught:
        load_pair("USA-CAN", _can_file(tmp_path, edit))
    assert message in str(caught.value)


def test_a_missing_pair_file_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DYADWATCH_PAIR_FILE"):
        load_pair("USA-CAN", tmp_path / "nowhere.toml")
