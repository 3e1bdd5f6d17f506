"""Freshness in a real browser: Debian's Chromium, driven by Playwright, against a real
uvicorn server whose clock is fixed at 2026-08-26.

The store holds real files: the GDELT 2.0 export of 2019-10-24, ICEWS 1-2 June 2018, UCDP
GED Mexico to 2023, FRED IMPMX to 2026-07, SESNSP victims to 2025-06, and the three
newest White House texts and mañanera transcripts of the bundled corpora (both to
2026-08-19). On 2026-08-26 the two governments' texts and FRED are current, ICEWS is no
longer published, and GDELT, UCDP and SESNSP are stale. The browser helpers (``Tab``,
which fails a test on any console or page error and screenshots into
``test-artifacts/``, and the ``browser`` and ``tab`` fixtures) are test_web_browser's.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import socket
import threading
from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

import pytest
import test_web_browser as browser_tests
from playwright.sync_api import expect
from test_web_browser import CHROMIUM, Tab, texts, wait_for_health

from dyadwatch.ingest import ingest_corpus, ingest_gdelt, ingest_icews, ingest_series, ingest_ucdp
from dyadwatch.settings import Settings
from dyadwatch.store import open_store

from conftest import GDELT2_EXPORT, ICEWS, IMPMX, SESNSP, UCDP

tab = browser_tests.tab
TODAY = dt.date(2026, 8, 26)
CURRENT = {"fred", "whitehouse", "mananera"}
ENDED = {"icews"}
STALE = {"gdelt2", "ucdp", "sesnsp"}
CORPORA = {
    "whitehouse": "wh_briefings_mexico_related.jsonl.gz",
    "mananera": "mananeras_2024_2026_us_related.jsonl.gz",
}
PAGES = ["/", "/events", "/map", "/methods", "/forecasts", "/briefs", "/docs"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not at /usr/bin/chromium (.ci/run installs it with apt)",
    ),
]


def newest_records(name: str, count: int, out: Path) -> Path:
    """The ``count`` newest records of a bundled corpus, as a JSONL file."""
    with as_file(files("dyadwatch") / "data" / "demo" / name) as path:
        lines = gzip.decompress(Path(path).read_bytes()).decode("utf-8").splitlines()
    newest = sorted(lines, key=lambda line: json.loads(line)["date"])[-count:]
    out.write_text("\n".join(newest) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def fresh_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("fresh-web")
    settings = Settings(db=folder / "web.duckdb", cache_dir=folder / "cache")
    with open_store(settings.db) as store:
        ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
        ingest_icews(store, ICEWS, settings=settings)
        ingest_ucdp(store, UCDP, settings=settings)
        ingest_series(store, IMPMX, settings=settings)
        ingest_series(store, SESNSP, settings=settings)
        for source, name in CORPORA.items():
            subset = newest_records(name, 3, folder / f"{source}.jsonl")
            ingest_corpus(store, subset, settings=settings, source=source)
    return settings


@pytest.fixture(scope="module")
def base_url(fresh_settings: Settings) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, its clock at :data:`TODAY`."""
    import uvicorn

    from dyadwatch.web.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = create_app(fresh_settings, clock=lambda: TODAY)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_for_health(url, thread)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def strip_items(tab: Tab) -> dict[str, tuple[str, str, str]]:
    """The strip's sources: class, tooltip and visible text."""
    items = tab.page.locator("aside.data-through li")
    found = items.evaluate_all(
        "els => els.map(e => [e.dataset.source, e.className, e.title, e.innerText])"
    )
    return {source: (cls, title, " ".join(text.split())) for source, cls, title, text in found}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_each_sources_data_through(tab: Tab, path: str) -> None:
    tab.visit(path)
    strip = tab.page.locator("aside.data-through")
    expect(strip).to_be_visible()
    expect(strip.get_by_role("link", name="Data through")).to_have_attribute(
        "href", "/methods#freshness"
    )
    items = strip_items(tab)
    assert set(items) == CURRENT | ENDED | STALE
    assert items["fred"] == (
        "current",
        "FRED U.S. trade with Mexico (IMPMX, EXPMX): monthly, about 2 months after the month "
        "(Census trade release). Data through 2026-07-31; expected through 2026-05-31 by "
        "now: current.",
        "fred 2026-07-31",
    )
    assert items["whitehouse"][2] == "whitehouse 2026-08-19"
    assert items["ucdp"][2] == "ucdp 2023-12-31 stale"
    for source in STALE:
        cls, title, text = items[source]
        assert cls == "stale" and text.endswith(" stale"), source
        assert re.search(r"by now: stale by [\d,]+ days\.$", title), title
    for source in ENDED:
        assert items[source][0] == "ended" and "never stale" in items[source][1]
    flags = strip.locator(".stale-flag")
    assert flags.count() == len(STALE)
    expect(flags.first).to_be_visible()


def test_overview_flags_the_stale_sources_and_links_to_the_explanation(tab: Tab) -> None:
    tab.visit("/")
    page = tab.page
    panel = page.locator("section#freshness")
    expect(panel.get_by_role("heading", name="Sources and freshness")).to_be_visible()
    note = " ".join(panel.locator("p.stale-note").inner_text().split())
    assert note.startswith("3 of 7 sources are stale: gdelt2, ucdp, sesnsp.")
    rows = {
        row[0]: row[1:]
        for row in panel.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => [r.dataset.source, r.className,"
            " ...[...r.cells].map(c => c.innerText.trim())])"
        )
    }
    assert set(rows) == CURRENT | ENDED | STALE
    # source, data through, expected through, status, cadence, rows
    assert rows["sesnsp"][:5] == [
        "stale",
        "sesnsp",
        "2025-06-30",
        "2026-06-30",
        "stale by 365 days",
    ]
    assert rows["fred"][:5] == ["current", "fred", "2026-07-31", "2026-05-31", "current"]
    assert rows["ucdp"][:5] == ["stale", "ucdp", "2023-12-31", "2026-06-30", "stale by 912 days"]
    assert rows["icews"][:5] == ["ended", "icews", "2018-06-02", "–", "no longer published"]
    stale_cells = panel.locator("tbody tr.stale .stale-flag")
    assert sorted(texts(page, "section#freshness tbody tr.stale th")) == sorted(STALE)
    assert stale_cells.count() == len(STALE)
    page.locator("aside.data-through").get_by_role("link", name="Data through").click()
    tab.settle()
    assert page.url.endswith("/methods#freshness")
    expect(page.locator("#h-freshness")).to_be_in_viewport()
