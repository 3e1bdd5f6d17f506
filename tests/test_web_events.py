"""The events explorer: filters, pagination, lineage, documents, exports, bad input."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import pyarrow.parquet as pq
import pytest

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from dyadwatch.settings import Settings

pytest_plugins = ["web_fixture"]
SCRIPT = "<script>alert(1)</script>"  # as stored by web_fixture


def test_filters_narrow_the_events(client: TestClient) -> None:
    everything = client.get("/events.json").json()
    assert everything["total"] > 20000 and len(everything["items"]) == 50
    ucdp = client.get("/events.json?source=ucdp&since=2020-01-01&until=2020-12-31").json()
    assert ucdp["total"] > 0
    assert all(e["source_system"] == "ucdp" for e in ucdp["items"])
    assert all("2020-01-01" <= e["event_date"] <= "2020-12-31" for e in ucdp["items"])
    coded = client.get("/events.json?front=migration&type=ASSAULT&direction=USA-MEX").json()
    assert [e["event_id"] for e in coded["items"]] == ["web-coded-0"]
    words = client.get("/events.json", params={"q": "United States", "source": "coded"}).json()
    assert {e["event_id"] for e in words["items"]} == {"web-coded-0", "web-coded-1"}


def test_pagination_walks_the_pages_without_overlap(client: TestClient) -> None:
    first = client.get("/events.json?source=icews&per_page=20").json()
    second = client.get(first["next"]).json()
    assert first["pages"] > 2 and first["previous"] is None
    assert {e["event_id"] for e in first["items"]}.isdisjoint(
        e["event_id"] for e in second["items"]
    )
    assert second["previous"] and "page=2" in first["next"]
    dates = [e["event_date"] for e in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True)
    html = client.get("/events?source=icews&per_page=20").text
    assert 'rel="next"' in html and 'href="/events/' in html


def test_event_page_shows_evidence_lineage_and_document(client: TestClient) -> None:
    data = client.get("/events/web-coded-0.json").json()
    assert data["evidence"] and data["document"]["doc_id"]
    assert data["lineage"]["source_system"] == "coded"
    html = client.get("/events/web-coded-0").text
    assert f"/documents/{data['document']['doc_id']}?event=web-coded-0" in html
    doc = client.get(f"/documents/{data['document']['doc_id']}.json?event=web-coded-0").json()
    marked = [s for s in doc["segments"] if s["mark"]]
    assert [s["text"] for s in marked] == [data["evidence"]]
    page = client.get(f"/documents/{data['document']['doc_id']}?event=web-coded-0").text
    assert '<mark id="ev-web-coded-0">' in page


def test_structured_event_lineage_names_its_ingest_run(client: TestClient) -> None:
    first = client.get("/events.json?source=ucdp&per_page=1").json()["items"][0]
    lineage = client.get(f"/events/{first['event_id']}.json").json()["lineage"]
    assert lineage["source_system"] == "ucdp" and lineage["source_record_id"]
    assert lineage["ingest_run_id"] and lineage["ingest_file"].startswith("ucdp_ged")


def test_unknown_ids_are_404_json(client: TestClient) -> None:
    for path in ("/events/nope", "/events/nope.json", "/documents/nope", "/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"] == "not found"


def test_exports_follow_the_filter(client: TestClient) -> None:
    text = client.get("/events/export.csv?source=coded").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["event_id"] for r in rows} == {"web-coded-0", "web-coded-1", "web-coded-2"}
    assert rows[0]["fronts"] in ("migration", "trade")
    data = client.get("/events/export.parquet?source=icews&since=2018-06-02").content
    table = pq.read_table(io.BytesIO(data))
    assert table.num_rows > 0 and set(table.column("source_system").to_pylist()) == {"icews"}


@pytest.mark.parametrize(
    "query",
    [
        "since=2020-13-45",
        "since=yesterday",
        "until=2020-1-1",
        "front=nope",
        "type=NOT_A_TYPE",
        "direction=USAMEX",
        "page=-1",
        "page=0",
        "per_page=201",
        "per_page=abc",
        "since=2021-01-01&until=2020-01-01",
        "q=" + "x" * 10_000,
    ],
)
def test_bad_parameters_get_a_clear_4xx(client: TestClient, query: str) -> None:
    for base in ("/events", "/events.json", "/api/v1/events", "/events/export.csv"):
        response = client.get(f"{base}?{query}")
        assert 400 <= response.status_code < 500, (base, query)
        body = response.json()
        assert body["error"] and body["detail"]


def test_script_in_the_query_is_escaped(client: TestClient) -> None:
    html = client.get("/events", params={"q": SCRIPT}).text
    assert SCRIPT not in html and "&lt;script&gt;" in html
    coded = client.get("/events", params={"source": "coded"}).text
    assert SCRIPT not in coded  # a stored actor name with markup is escaped too
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in coded


def test_highlight_ignores_how_the_document_breaks_its_lines() -> None:
    from dyadwatch.views.events import highlight

    text = "Intro.\nThe  President\xa0met\nthe minister. End."  # constructed
    segments = highlight(text, {"The President met the minister.": "e1"})
    assert [s.mark for s in segments] == [None, "e1", None]
    assert segments[1].text == "The  President\xa0met\nthe minister."


def test_own_and_pair_filters_count_what_the_index_counts(
    client: TestClient, web_settings: Settings
) -> None:
    """The links of a briefing: direction=USA-USA with the dyad, and dyad with own=1."""
    from dyadwatch.analysis.index import IndexSpec, compute_index
    from dyadwatch.store import open_store

    with open_store(web_settings.db, read_only=True) as store:
        rows = compute_index(store.ibis.table("events"), IndexSpec(dyad=("USA", "MEX"), own=True))
    by_direction: dict[str, int] = {}
    for row in rows:
        by_direction[row["direction"]] = by_direction.get(row["direction"], 0) + row["events"]
    own = client.get("/events.json?direction=USA-USA&dyad=USA-MEX").json()
    assert own["total"] == by_direction["USA->USA"] > 0
    everything = client.get("/events.json?dyad=USA-MEX&own=1").json()
    assert everything["total"] == sum(by_direction.values())
    plain = client.get("/events.json?dyad=USA-MEX").json()
    assert plain["total"] == by_direction.get("USA->MEX", 0) + by_direction.get("MEX->USA", 0)
