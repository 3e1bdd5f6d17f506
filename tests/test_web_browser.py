"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against a real
uvicorn server on a small real store.

The store holds the demo's real events and indicator series (``dyadwatch/data/demo``) and
the 30 White House documents that name Mexico most often, coded by the rule coder. Every
page visited is screenshotted into ``test-artifacts/`` and must log no console error and
throw no page error; every chart container must hold the SVG vega-embed drew.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dyadwatch.coding import code_corpus, load_coder
from dyadwatch.forecast.publish import publish_forecast
from dyadwatch.ingest import (
    demo_files,
    ingest_corpus,
    ingest_gdelt,
    ingest_icews,
    ingest_series,
    ingest_ucdp,
)
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store

from conftest import CHROMIUM, ROOT, cover_months

ARTIFACTS = ROOT / "test-artifacts"
WH_CORPUS = "wh_briefings_mexico_related.jsonl.gz"
CODED_DOCUMENTS = 30
FORECAST_TARGETS = ("border-encounters", "mx-state-violence")
ISSUED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
INGESTERS = {
    "gdelt": ingest_gdelt,
    "icews": ingest_icews,
    "ucdp": ingest_ucdp,
    "series": ingest_series,
}  # the demo files but the corpora
CHART = ".vega[data-chart]"
ROWS = "table.events-table tbody tr"
PAGES = ["/events", "/map", "/forecasts", "/scenarios", "/methods", "/sources", "/docs"]
ANALYSIS_PAGES = ["/", "/fronts/migration", "/fronts/trade", "/alerts"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not at /usr/bin/chromium (.ci/run installs it with apt)",
    ),
]


# --- the store and the server -----------------------------------------------------------


def mexico_documents(count: int) -> list[str]:
    """The ``count`` White House documents that name Mexico most often (JSONL lines)."""
    with as_file(files("dyadwatch") / "data" / "demo" / WH_CORPUS) as path:
        lines = gzip.decompress(Path(path).read_bytes()).decode("utf-8").splitlines()
    mentions = [json.loads(line).get("text", "").count("Mexic") for line in lines]
    ranked = sorted(range(len(lines)), key=lambda i: (-mentions[i], i))
    return [lines[i] for i in sorted(ranked[:count])]


def build_store(store: Store, settings: Settings, folder: Path) -> None:
    for demo in demo_files():
        if demo.kind in INGESTERS:
            with as_file(files("dyadwatch") / "data" / "demo" / demo.name) as path:
                INGESTERS[demo.kind](store, Path(path), settings=settings)
    subset = folder / "whitehouse.jsonl"
    subset.write_text("\n".join(mexico_documents(CODED_DOCUMENTS)) + "\n", encoding="utf-8")
    ingest_corpus(store, subset, settings=settings, source="whitehouse")
    code_corpus(store, load_coder())
    first, last = store.execute("SELECT min(date), max(date) FROM documents")[0]
    cover_months(store, f"{first.year - 1}-{first.month:02d}", f"{last:%Y-%m}")  # both sides
    for target in FORECAST_TARGETS:  # a naive baseline's forecasts, for the fan charts
        publish_forecast(
            store, target, settings=settings, horizon=3, now=ISSUED, model="seasonal_naive"
        )


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("web")
    settings = Settings(db=folder / "web.duckdb", cache_dir=folder / "cache")
    with open_store(settings.db) as store:
        build_store(store, settings, folder)
    return settings


@pytest.fixture(scope="session")
def base_url(web_settings: Settings) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, in a thread of this process."""
    import uvicorn

    from dyadwatch.web.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(create_app(web_settings), log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_for_health(url, thread)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def wait_for_health(url: str, thread: threading.Thread, *, timeout: float = 60.0) -> None:
    """Until /healthz answers at all (503 means the app is still warming its caches)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and thread.is_alive():
        try:
            httpx.get(f"{url}/healthz", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"the server at {url} did not answer /healthz within {timeout:.0f} s")


def wait_for_warm_caches(url: str, *, timeout: float = 180.0) -> None:
    """Until /healthz says ok and the overview names nothing still being computed (the app
    warms its slow caches in the background at startup; pages say what is pending)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = httpx.get(f"{url}/healthz", timeout=timeout)
        if health.status_code == 200 and not httpx.get(f"{url}/overview.json").json()["pending"]:
            return
        time.sleep(0.5)
    pytest.fail(f"the server at {url} was still warming its caches after {timeout:.0f} s")


# --- the browser --------------------------------------------------------------------------


@dataclass
class Tab:
    """A browser page that records console errors and page errors, and screenshots."""

    page: Page
    name: str
    problems: list[str] = field(default_factory=list)
    shots: int = 0

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None, f"GET {path}: no response"
        assert response.ok, f"GET {path}: {response.status}"
        self.settle()

    def settle(self) -> None:
        """Wait until the page is quiet, then screenshot it into test-artifacts/."""
        self.page.wait_for_load_state("networkidle")
        self.shots += 1
        slug = re.sub(r"[^a-z0-9]+", "-", urlsplit(self.page.url).path.lower()).strip("-")
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{slug or 'overview'}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"{self.page.url}: console error: {message.text}")

    def on_page_error(self, error: Exception) -> None:
        self.problems.append(f"{self.page.url}: page error: {error}")


DRAWN = """sel => [...document.querySelectorAll(sel)].every(
    e => e.dataset.rendered !== "1" || e.querySelector("svg, canvas"))"""


def charts_drawn(page: Page, within: str = "body") -> int:
    """Every chart container (under ``within``) holds the SVG vega-embed drew; returns how
    many there are. static/js/charts.js marks a container ``data-rendered`` "1" when it
    starts drawing (then the SVG arrives) and "error" when vega-embed failed."""
    selector = f"{within} {CHART}"
    try:
        page.wait_for_function(DRAWN, arg=selector, timeout=10_000)
    except PlaywrightTimeoutError:
        pass  # the assertion below names the charts left undrawn
    states = page.locator(selector).evaluate_all(
        "els => els.map(e => [e.dataset.chart, e.dataset.rendered || 'never started',"
        " !!e.querySelector('svg, canvas')])"
    )
    undrawn = [(key, state) for key, state, drawn in states if not drawn]
    assert undrawn == [], f"{page.url}: charts not drawn (key, state): {undrawn}"
    return len(states)


@pytest.fixture
def tab(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A fresh browser context; the test fails if any page it visited logged an error."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.removeprefix("test_")).strip("-")
    opened = Tab(page, name)
    page.on("console", opened.on_console)
    page.on("pageerror", opened.on_page_error)
    yield opened
    context.close()
    assert opened.problems == [], "\n".join(opened.problems)


def texts(page: Page, selector: str) -> list[str]:
    return [" ".join(t.split()) for t in page.locator(selector).all_inner_texts()]


# --- the tests ----------------------------------------------------------------------------
# In file order: the pages that need no analysis first, while the server warms its slow
# caches (verdicts, index, alerts) in the background; the overview and the pages built
# on those caches last, behind the ``warm`` fixture.


def test_explorer_filters_the_events(tab: Tab) -> None:
    tab.visit("/events")
    page = tab.page
    form = page.locator("form.filters")
    form.get_by_label("From").fill("2018-06-01")
    form.get_by_label("To").fill("2018-06-02")
    form.get_by_label("Source").select_option("icews")
    form.get_by_label("Direction").fill("USA-MEX")
    with page.expect_response(lambda r: urlsplit(r.url).path == "/events"):
        form.get_by_role("button", name="Filter").click()
    tab.settle()
    query = parse_qs(urlsplit(page.url).query)
    assert query["since"] == ["2018-06-01"] and query["until"] == ["2018-06-02"]
    assert query["source"] == ["icews"] and query["direction"] == ["USA-MEX"]
    # ICEWS's 1–2 June 2018 sample holds 5 USA→MEX events (tests/test_analysis_index.py).
    assert page.locator(ROWS).count() == 5
    assert texts(page, f"{ROWS} td:nth-child(2)") == ["icews"] * 5
    assert all(d.startswith("2018-06-0") for d in texts(page, f"{ROWS} td:nth-child(1)"))
    assert "5 events" in page.locator("#results p.count").inner_text()


def test_explorer_pages_through_the_events(tab: Tab) -> None:
    tab.visit("/events?source=ucdp&per_page=20")
    page = tab.page
    first = texts(page, f"{ROWS} td:nth-child(1)")
    page.get_by_role("link", name="Next →").click()
    tab.settle()
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    second = texts(page, f"{ROWS} td:nth-child(1)")
    assert len(first) == len(second) == 20
    assert min(first) >= max(second)  # newest first


def open_coded_event(tab: Tab) -> tuple[str, str]:
    """Open the newest coded USA→MEX event from the explorer: its id and evidence."""
    tab.visit("/events?source=coded&direction=USA-MEX")
    tab.page.locator(f"{ROWS} a[href^='/events/']").first.click()
    tab.settle()
    event_id = urlsplit(tab.page.url).path.rsplit("/", 1)[1]
    return event_id, " ".join(tab.page.locator("blockquote.evidence").inner_text().split())


def test_an_event_leads_to_its_evidence_in_the_document(tab: Tab) -> None:
    event_id, evidence = open_coded_event(tab)
    page = tab.page
    assert len(evidence) > 20
    assert page.locator("dl.lineage").is_visible()
    page.get_by_role("link", name=re.compile("Open the document")).click()
    tab.settle()
    assert urlsplit(page.url).path.startswith("/documents/")
    assert page.locator(f"ul.events a[href='/events/{event_id}']").count() == 1
    marked = page.locator(f"mark[id='ev-{event_id}']")
    assert marked.count() == 1, f"no <mark id=ev-{event_id}> in {page.url}"
    assert " ".join(marked.inner_text().split()) == evidence


def test_a_var_shock_returns_its_paths(tab: Tab) -> None:
    tab.visit("/scenarios")
    page = tab.page
    form = page.locator("form[action='/scenarios/var']")
    form.get_by_label("Months to trace").fill("6")
    with page.expect_response(lambda r: urlsplit(r.url).path == "/scenarios/var"):
        form.get_by_role("button", name="Run").click()
    result = page.locator("#var-result")
    result.locator("h3").wait_for()
    tab.settle()
    assert result.locator("p.error").count() == 0
    assert result.locator("h3").inner_text() == "imports=500 for 3 months"
    assert "stable" in result.locator("p.meta").inner_text()
    assert result.locator("details.fallback tbody tr").count() > 0
    assert charts_drawn(page, "#var-result") == 1


def test_a_bargaining_scenario_returns_its_outcome(tab: Tab) -> None:
    tab.visit("/scenarios")
    page = tab.page
    form = page.locator("form[action='/scenarios/bargain']").first
    first_name = form.locator("tbody th[scope='row']").first.inner_text().strip()
    form.locator("textarea[name='shocks']").fill(f"{first_name}:salience=95")
    with page.expect_response(lambda r: urlsplit(r.url).path == "/scenarios/bargain"):
        form.get_by_role("button", name=re.compile("^Run")).click()
    result = page.locator("#bargain-result")
    result.locator("h3").wait_for()
    tab.settle()
    assert result.locator("p.error").count() == 0
    assert re.search(r"Baseline outcome .*: -?\d+\.\d\d; after the shocks", result.inner_text())
    assert result.locator("details.fallback tbody tr").count() > 0
    assert charts_drawn(page, "#bargain-result") == 1


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_without_console_errors(tab: Tab, path: str) -> None:
    tab.visit(path)
    assert tab.page.locator("main h1, #swagger-ui").first.is_visible()
    charts_drawn(tab.page)


def test_forecasts_show_fan_charts_and_scores(tab: Tab) -> None:
    tab.visit("/forecasts")
    for target in FORECAST_TARGETS:
        assert tab.page.locator(f"#h-{target}").is_visible()
    assert charts_drawn(tab.page) >= len(FORECAST_TARGETS)


@pytest.fixture
def warm(base_url: str) -> None:
    wait_for_warm_caches(base_url)


@pytest.mark.usefixtures("warm")
def test_overview_shows_verdicts_and_charts(tab: Tab) -> None:
    tab.visit("/")
    page = tab.page
    assert page.title() == "Overview · dyadwatch"
    assert page.locator("[role=status]").count() == 0  # nothing pending
    assert page.locator("#h-verdicts ~ .cards article.card").count() >= 1
    assert page.locator("[data-chart=index-all]").count() == 1
    assert charts_drawn(page) >= 2  # the index by direction and the indicator sparklines


@pytest.mark.usefixtures("warm")
@pytest.mark.parametrize("path", ANALYSIS_PAGES)
def test_every_analysis_page_renders_without_console_errors(tab: Tab, path: str) -> None:
    tab.visit(path)
    assert tab.page.locator("[role=status]").count() == 0  # nothing pending
    charts_drawn(tab.page)
