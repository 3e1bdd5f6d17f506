"""Every page and its JSON twin, on a small real store: status, content, escaping, links."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dyadwatch.settings import Settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

pytest_plugins = ["web_fixture"]
SCRIPT = "<script>alert(1)</script>"  # as stored by web_fixture

PAGES = [
    "/",
    "/fronts/migration",
    "/fronts/trade",
    "/events",
    "/map",
    "/alerts",
    "/forecasts",
    "/scenarios",
    "/methods",
    "/sources",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_and_its_json_twin(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'href="#main"' in page.text and 'id="main"' in page.text
    twin = client.get("/overview.json" if path == "/" else f"{path}.json")
    assert twin.status_code == 200
    body = twin.json()
    assert TWIN_KEYS[path] <= set(body)
    assert TWIN_CHECKS[path](body), f"{path}.json holds: {sorted(body)}"


TWIN_KEYS = {
    "/": {"dyad", "month", "verdicts", "alerts", "forecasts", "sparklines", "pending"},
    "/fronts/migration": {"front", "label", "verdict", "alerts", "key_events"},
    "/fronts/trade": {"front", "label", "verdict", "alerts", "key_events"},
    "/events": {"items", "total", "next", "fronts", "types", "sources"},
    "/map": {"mexico", "border", "charts"},
    "/alerts": {"alerts"},
    "/forecasts": {"targets", "message"},
    "/scenarios": {"panel_source", "panel_columns", "files"},
    "/methods": {"datasets", "evaluation", "docs"},
    "/sources": {"datasets", "evaluation", "docs"},
}
"""What each page's JSON twin must hold, and below, one thing it must say."""
TWIN_CHECKS = {
    "/": lambda b: b["dyad"] == "USA-MEX",
    "/fronts/migration": lambda b: b["front"] == "migration",
    "/fronts/trade": lambda b: b["front"] == "trade",
    "/events": lambda b: len(b["items"]) > 0 and b["total"] >= len(b["items"]),
    "/map": lambda b: b["mexico"] and all(s["id"].startswith("MX-") for s in b["mexico"]),
    "/alerts": lambda b: isinstance(b["alerts"], list),
    "/forecasts": lambda b: isinstance(b["targets"], list) and b["targets"],
    "/scenarios": lambda b: len(b["files"]) == 2 and b["panel_columns"],
    "/methods": lambda b: b["datasets"] and b["evaluation"],
    "/sources": lambda b: b["datasets"] and b["evaluation"],
}


def test_overview_has_verdicts_index_and_sparklines(client: TestClient) -> None:
    data = client.get("/overview.json").json()
    assert data["dyad"] == "USA-MEX"
    assert data["month"] and data["pending"] == []
    assert {v["front"] for v in data["verdicts"]} >= {"all", "migration", "trade"}
    assert data["index_chart"]["spec"]["mark"]["type"] == "line"
    assert {s["key"] for s in data["sparklines"]} >= {"spark-imports", "spark-homicides"}
    assert data["forecasts"]["message"].startswith("No forecasts stored yet")
    html = client.get("/").text
    assert 'data-chart="index-all"' in html and "<table>" in html  # chart and its fallback


def test_front_page_puts_indicators_beside_the_index(client: TestClient) -> None:
    data = client.get("/fronts/trade.json").json()
    assert data["label"] and data["index_chart"] is not None
    assert [c["key"] for c in data["indicator_charts"]] == ["ind-imports"]
    assert client.get("/fronts/nope").status_code == 404
    assert client.get("/fronts/nope.json").json()["error"] == "not found"


def test_alerts_carry_explanations_and_events(client: TestClient) -> None:
    data = client.get("/alerts.json").json()
    assert data["pending"] is False
    for alert in data["alerts"]:
        assert alert["explanation"] and alert["level"] in ("watch", "alert", "red alert")


def test_map_counts_states_from_every_source(client: TestClient) -> None:
    data = client.get("/map.json").json()
    mexico = {s["id"]: s for s in data["mexico"]}
    assert mexico["MX-CHH"]["events"] > 1 and mexico["MX-CHH"]["fatalities"] > 0  # UCDP
    assert {s["id"] for s in data["border"]} == {"US-CA", "US-AZ", "US-NM", "US-TX"}
    assert data["charts"][0]["spec"]["data"]["url"] == "/static/geo/mx_states.geojson"


def test_methods_lists_datasets_licences_and_accuracy(client: TestClient) -> None:
    data = client.get("/methods.json").json()
    assert len(data["datasets"]) >= 10 and all(d["licence"] for d in data["datasets"])
    coder, verdicts = data["evaluation"]  # both from the bundled scores, with their date
    assert coder["file"] == "dyadwatch/data/eval/coder_scores.json"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", coder["date"]) and coder["tables"][0]["rows"]
    assert (
        verdicts["command"].startswith("dyadwatch ") and " evaluate verdicts" in verdicts["command"]
    )
    assert any(t["heading"] == "Targets" for t in verdicts["tables"])
    assert client.get("/methods/docs/indices.md").text.startswith("# ")
    assert client.get("/methods/docs/..%2Fsecret.md").status_code == 404


def test_no_page_loads_anything_from_another_host(client: TestClient) -> None:
    for path in [*PAGES, "/docs", "/events/web-coded-0"]:
        html = client.get(path).text
        assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//", html)
        for tag in re.findall(r"<a [^>]*href=\"https?://[^>]*>", html):
            assert 'rel="noopener' in tag  # outside links are source links only


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_vendored_assets_are_served(client: TestClient) -> None:
    for path in (
        "/static/vendor/vega/vega.min.js",
        "/static/vendor/vega-lite/vega-lite.min.js",
        "/static/vendor/vega-embed/vega-embed.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/js/charts.js",
        "/static/geo/mx_states.geojson",
        "/static/geo/us_border_states.geojson",
    ):
        assert client.get(path).status_code == 200, path
    assert len(client.get("/static/geo/mx_states.geojson").json()["features"]) == 32


def test_docs_page_is_local(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert client.get("/openapi.json").json()["paths"]["/api/v1/events"]
    assert client.get("/healthz").json()["status"] == "ok"


def test_scenario_forms_return_paths_and_outcomes(client: TestClient) -> None:
    var = client.post("/scenarios/var", data={"shock": "imports=500", "months": 3})
    assert var.status_code == 200 and 'data-chart="var-path"' in var.text
    fragment = client.post(
        "/scenarios/var", data={"shock": "imports=500", "months": 3}, headers={"HX-Request": "true"}
    )
    assert fragment.text.lstrip().startswith('<div id="var-result"')
    bad = client.post("/scenarios/var", data={"shock": "nonsense", "months": 3})
    assert bad.status_code == 400 and "SERIES=SIZE" in bad.text
    files = client.get("/scenarios.json").json()["files"]
    first = files[0]
    who = first["stakeholders"][0]["name"]
    form = {"scenario": first["name"], f"{who}|salience": "95", "shocks": f"{who}:position=0"}
    run = client.post("/scenarios/bargain", data=form, headers={"Accept": "application/json"})
    assert run.status_code == 200
    report = run.json()["bargain"]["report"]
    assert "outcome_change" in report and report["baseline"]["rounds"]
    unknown = client.post("/scenarios/bargain", data={"scenario": "../../etc/passwd"})
    assert unknown.status_code == 400


def test_a_stored_forecast_appears_as_fan_charts(tmp_path: Path, web_settings: Settings) -> None:
    """A forecast stored while the app runs (a writer beside the running app, which
    reads the readers' copy the writer publishes) shows as fans."""
    import shutil

    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from dyadwatch.cli.app import app as cli
    from dyadwatch.web.app import create_app

    db = tmp_path / "fc.duckdb"
    shutil.copy(web_settings.db, db)
    settings = web_settings.model_copy(update={"db": db, "web_cache_seconds": 0})
    with TestClient(create_app(settings)) as fresh:
        before = fresh.get("/forecasts.json").json()
        assert before["message"].startswith("No forecasts stored yet")
        args = ["--db", str(db), "forecast", "--target", "mx-state-homicides"]
        result = CliRunner().invoke(cli, [*args, "--model", "seasonal_naive", "--horizon", "3"])
        assert result.exit_code == 0, result.output
        after = fresh.get("/forecasts.json").json()
    target = next(t for t in after["targets"] if t["target"] == "mx-state-homicides")
    assert after["message"] is None and target["model"] == "seasonal_naive"
    fan = target["charts"][0]
    assert len(fan["rows"]) == 3 and fan["spec"]["layer"][2]["data"]["values"]  # history
