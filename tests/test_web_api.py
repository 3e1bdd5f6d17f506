"""``/api/v1``: the contract's events query, index, alerts, verdicts, forecasts, errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

pytest_plugins = ["web_fixture"]
SCRIPT = "<script>alert(1)</script>"  # as stored by web_fixture


def test_events_contract(client: TestClient) -> None:
    body = client.get("/api/v1/events?dyad=USA-MEX&since=2018-01-01&limit=50").json()
    assert set(body) >= {"items", "total", "next"}
    assert isinstance(body["total"], int) and len(body["items"]) <= 50
    for event in body["items"]:
        assert {event["source_country"], event["target_country"]} == {"USA", "MEX"}
        assert event["event_date"] >= "2018-01-01"
    assert body["items"] and body["total"] > 1
    one = client.get("/api/v1/events?dyad=USA-MEX&since=2018-01-01&limit=1").json()
    assert len(one["items"]) == 1 and one["total"] == body["total"]
    assert one["next"].startswith("/api/v1/events?") and "page=2" in one["next"]
    after = client.get(one["next"]).json()["items"]
    assert len(after) == 1 and after[0]["event_id"] != one["items"][0]["event_id"]
    last = client.get("/api/v1/events?source=coded&limit=50").json()
    assert last["next"] is None and last["total"] == 3


def test_index_takes_the_index_spec(client: TestClient) -> None:
    rows = client.get("/api/v1/index?freq=month&source=icews&own=true").json()["items"]
    assert rows and {r["source"] for r in rows} == {"icews"}
    assert all(r["period"].startswith("2018-06") for r in rows)
    assert client.get("/api/v1/index?freq=hour").status_code == 422
    assert client.get("/api/v1/index?front=nope").status_code == 400
    assert client.get("/api/v1/index?since=2020-01-01&until=2019-01-01").status_code == 400


def test_alerts_verdicts_and_forecasts(client: TestClient) -> None:
    alerts = client.get("/api/v1/alerts?limit=2").json()
    assert len(alerts["items"]) <= 2 and alerts["total"] >= len(alerts["items"])
    latest = client.get("/api/v1/verdicts").json()
    assert latest["items"][0]["front"] == "all"
    month = client.get(f"/api/v1/verdicts?month={latest['month']}").json()
    assert [v["verdict"] for v in month["items"]] == [v["verdict"] for v in latest["items"]]
    forecasts = client.get("/api/v1/forecasts?target=border-encounters").json()
    assert forecasts["targets"][0]["charts"] == []
    assert client.get("/api/v1/forecasts?target=nope").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/verdicts?month=2025-13",
        "/api/v1/verdicts?month=march",
        "/api/v1/alerts?since=notadate",
        "/api/v1/alerts?limit=0",
        "/api/v1/events?limit=1000",
        "/api/v1/events?dyad=US-MX",
        "/api/v1/events?until=0001-01-05&page=3",
        "/api/v1/verdicts?month=0001-01",
        "/api/v1/verdicts?month=9999-12",
        "/api/v1/index?since=0001-01-01",
    ],
)
def test_api_errors_are_json_4xx(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"error", "detail"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events?q=%00",
        "/api/v1/events?q=%27%22;--%25_",
        "/api/v1/events?source=%00&page=1000000&per_page=200",
        "/api/v1/index?source=&source=%00",
        "/events?q=%C0%80",
        "/api/v1/verdicts?month=1700-01",
    ],
)
def test_odd_but_valid_parameters_answer(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200


def test_serve_needs_a_store(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dyadwatch.cli.app import app

    result = CliRunner().invoke(app, ["--db", str(tmp_path / "none.duckdb"), "serve"])
    assert result.exit_code != 0 and "no store at" in result.output
