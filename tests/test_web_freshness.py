"""Freshness on the web: the ``X-Data-Through`` and ``X-Data-Stale`` headers on every
response, the data-through strip on every HTML page, the "Sources and freshness" table on
the overview and methods pages, and ``data_through`` in every API object.

The app runs on web_fixture's small real store (GDELT, ICEWS, UCDP, FRED IMPMX to 2026-07,
SESNSP to 2025-06, three White House texts of January 2021) with its clock fixed at
2026-09-10: then FRED is current, ICEWS ended, and every other source stale.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import Environment

from dyadwatch.analysis.freshness import judge, load_cadences
from dyadwatch.ingest import ingest_corpus, ingest_series
from dyadwatch.settings import Settings
from dyadwatch.store import open_store
from dyadwatch.store.freshness import LatestDate
from dyadwatch.web.freshness import build_parts

with warnings.catch_warnings():  # starlette's TestClient warns that httpx is deprecated
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from conftest import ROOT, SHARED_DATA

pytest_plugins = ["web_fixture"]
IMPMX = SHARED_DATA / "indicators" / "fred-mexico-trade" / "IMPMX_1985_2026.csv"
WH = ROOT / "dyadwatch" / "data" / "demo" / "wh_briefings_mexico_related.jsonl.gz"
TODAY = dt.date(2026, 9, 10)
STALE = {"gdelt2", "gdelt1", "ucdp", "sesnsp", "coded", "whitehouse", "mananera"}
PAGES = ["/", "/events", "/events?source=ucdp", "/map", "/methods", "/sources", "/docs"]
PAGES += ["/alerts", "/forecasts", "/scenarios", "/fronts/migration", "/briefs", "/login"]
JSON = ["/overview.json", "/events.json", "/methods.json", "/healthz", "/openapi.json"]
API = ["/api/v1/events?limit=5", "/api/v1/index", "/api/v1/alerts", "/api/v1/verdicts"]
API += ["/api/v1/forecasts", "/api/v1/verdicts?month=2019-10"]
STRIP = re.compile(r'<li class="(\w+)" data-source="([^"]+)" title="([^"]*)">(.*?)</li>')


@pytest.fixture(scope="module")
def fresh(web_settings: Settings) -> Iterator[TestClient]:
    from dyadwatch.web.app import create_app

    app = create_app(web_settings, clock=lambda: TODAY)
    with TestClient(app) as client:
        yield client


def newest_documents(folder: Path) -> Path:
    """The three newest White House texts of the bundled corpus (to 2026-08-19)."""
    lines = gzip.decompress(WH.read_bytes()).decode("utf-8").splitlines()
    newest = sorted(lines, key=lambda line: json.loads(line)["date"])[-3:]
    out = folder / "wh_newest.jsonl"
    out.write_text("\n".join(newest) + "\n", encoding="utf-8")
    return out


def header_dates(value: str) -> dict[str, str]:
    return dict(item.split("=") for item in value.split("; "))


def check_headers(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    dates = header_dates(headers["x-data-through"])
    assert dates["fred"] == "2026-07-31" and dates["ucdp"] == "2023-12-31"
    assert dates["gdelt2"] == "2019-10-24" and dates["icews"] == "2018-06-02"
    assert set(headers["x-data-stale"].split(", ")) == STALE


@pytest.mark.parametrize("path", PAGES + JSON + API)
def test_every_response_carries_the_data_through_headers(fresh: TestClient, path: str) -> None:
    response = fresh.get(path)
    assert response.status_code == 200, response.text[:300]
    check_headers(response)


def test_errors_carry_them_too_and_static_files_do_not(fresh: TestClient) -> None:
    for path in ["/api/v1/nope", "/events/no-such-event", "/api/v1/index?freq=hour"]:
        response = fresh.get(path)
        assert response.status_code in (404, 422)
        check_headers(response)
    assert "x-data-through" not in fresh.get("/static/css/site.css").headers


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_the_strip_with_stale_sources_flagged(
    fresh: TestClient, path: str
) -> None:
    response = fresh.get(path)
    body = response.text
    assert "<!--dyadwatch:" not in body  # every marker filled
    assert int(response.headers["content-length"]) == len(response.content)
    strip = body[body.index('<aside class="data-through"') : body.index("</aside>")]
    assert '<a href="/methods#freshness">Data through</a> (7 stale)' in strip
    items = {
        source: (cls, html.unescape(title), text)
        for cls, source, title, text in STRIP.findall(strip)
    }
    assert set(items) == STALE | {"fred", "icews"}
    for source, (cls, title, text) in items.items():
        assert f"{source} <time" in text
        assert (cls == "stale") == (source in STALE) == ('class="stale-flag"' in text)
        if source in STALE:
            assert re.search(
                r"expected through \d{4}-\d\d-\d\d by now: stale by [\d,]+ days", title
            )
    assert items["fred"][0] == "current" and "Data through 2026-07-31" in items["fred"][1]
    assert items["icews"][0] == "ended" and "never stale" in items["icews"][1]
    assert "stale by 912 days" in items["ucdp"][1]  # expected 2026-06-30, has 2023-12-31


@pytest.mark.parametrize("path", ["/", "/methods"])
def test_overview_and_methods_show_the_freshness_table(fresh: TestClient, path: str) -> None:
    body = fresh.get(path).text
    section = body[body.index('<section id="freshness"') :]
    section = section[: section.index("</section>")]
    assert '<h2 id="h-freshness">Sources and freshness</h2>' in section
    assert "<strong>7 of 9 sources are stale:</strong> gdelt2, gdelt1, ucdp" in section
    rows = re.findall(r'<tr class="(\w+)" data-source="([^"]+)">(.*?)</tr>', section)
    assert {source for _, source, _ in rows} == STALE | {"fred", "icews"}
    cells = {source: re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row) for _, source, row in rows}
    assert cells["fred"][1:4] == ["2026-07-31", "2026-06-30", "current"]
    assert cells["sesnsp"][1:3] == ["2025-06-30", "2026-07-31"]
    assert cells["sesnsp"][3] == '<strong class="stale-flag">stale by 396 days</strong>'
    assert cells["icews"][2:4] == ["–", "no longer published"]


@pytest.mark.parametrize("path", API)
def test_every_api_object_has_data_through(fresh: TestClient, path: str) -> None:
    response = fresh.get(path)
    body = response.json()
    assert body["data_through"] == header_dates(response.headers["x-data-through"])
    assert len(body) > 1  # the endpoint's own fields are still there


def test_the_openapi_spec_documents_data_through(fresh: TestClient) -> None:
    spec = fresh.get("/openapi.json").json()
    model = spec["components"]["schemas"]["Answer"]
    assert model["required"] == ["data_through"]
    for path in ["/api/v1/events", "/api/v1/index", "/api/v1/alerts", "/api/v1/verdicts"]:
        ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert ok["schema"] == {"$ref": "#/components/schemas/Answer"}


def test_a_store_that_cannot_be_opened_gets_no_headers(tmp_path: Path) -> None:
    from dyadwatch.web.app import create_app

    settings = Settings(db=tmp_path / "missing.duckdb", cache_dir=tmp_path / "c", web_warm=False)
    with TestClient(create_app(settings, clock=lambda: TODAY)) as client:
        response = client.get("/api/v1/events")
    assert response.status_code == 503 and response.json()["error"] == "store unavailable"
    assert "x-data-through" not in response.headers


def test_names_are_escaped_in_pages_and_encoded_in_headers() -> None:
    # Constructed input (not data): a document source named like a script.
    name = "<script>alert(1)</script>é"
    latest = [LatestDate("documents", name, dt.date(2026, 9, 1), 1)]
    items = judge(latest, today=TODAY, cadences=load_cadences())
    from dyadwatch.web.app import templates

    env: Environment = templates().env
    parts = build_parts(items, today=TODAY, env=env)
    headers = dict(parts.headers)
    assert headers[b"x-data-through"] == b"%3Cscript%3Ealert%281%29%3C%2Fscript%3E%C3%A9=2026-09-01"
    for fragment in (parts.strip, parts.panel):
        assert b"<script>" not in fragment and b"&lt;script&gt;alert(1)&lt;/script&gt;" in fragment


def test_the_dates_follow_the_store_as_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A served store gains the newest White House texts (real): the next response says so.
    The app looks at the store on every request here (no waiting in the test)."""
    from dyadwatch.web import freshness
    from dyadwatch.web.app import create_app

    monkeypatch.setattr(freshness, "RECHECK_SECONDS", 0.0)
    settings = Settings(
        db=tmp_path / "live.duckdb", cache_dir=tmp_path / "c", web_warm=False, web_cache_seconds=0
    )
    with open_store(settings.db) as store:
        ingest_series(store, IMPMX, settings=settings)
    with TestClient(create_app(settings, clock=lambda: TODAY)) as client:
        before = header_dates(client.get("/api/v1/index").headers["x-data-through"])
        assert before == {"fred": "2026-07-31"}
        with open_store(settings.db) as store:
            ingest_corpus(store, newest_documents(tmp_path), settings=settings, source="whitehouse")
        response = client.get("/methods")
    assert header_dates(response.headers["x-data-through"]) == {
        "fred": "2026-07-31",
        "whitehouse": "2026-08-19",
    }
    assert 'data-source="whitehouse"' in response.text
