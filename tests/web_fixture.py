"""A small real store for the web tests, built once per session, and a TestClient on it.

The store holds the real fixtures (GDELT 1.0 and 2.0, ICEWS, UCDP GED for Mexico), two
real indicator series (FRED imports, SESNSP homicides), three real White House documents
and a few coded events whose evidence sentences are taken from those documents (the
events themselves are constructed test input; the coder is not run here).
"""

from __future__ import annotations

import gzip
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.ingest import ingest_corpus, ingest_gdelt, ingest_icews, ingest_series, ingest_ucdp
from dyadwatch.settings import Settings
from dyadwatch.store import open_store

from conftest import GDELT1_SAMPLE, GDELT2_EXPORT, ROOT, SHARED_DATA, cover_months, insert_events

with warnings.catch_warnings():  # starlette's TestClient warns that httpx is deprecated
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ICEWS = SHARED_DATA / "fixtures" / "icews" / "events.2018.sample.tab"
UCDP = SHARED_DATA / "indicators" / "ucdp_ged_mexico_1989_2023.csv.gz"
IMPMX = SHARED_DATA / "indicators" / "fred-mexico-trade" / "IMPMX_1985_2026.csv"
SESNSP = (
    SHARED_DATA
    / "indicators"
    / "sesnsp-mx"
    / "victims_state_month_homicide_kidnap_extortion_2015_2025.csv"
)
WH = ROOT / "dyadwatch" / "data" / "demo" / "wh_briefings_mexico_related.jsonl.gz"
SCRIPT = "<script>alert(1)</script>"


def _documents(tmp: Path) -> Path:
    lines = gzip.open(WH, "rt", encoding="utf-8").read().splitlines()[:3]
    out = tmp / "wh_docs.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _coded(store: object, settings: Settings) -> list[str]:
    """Coded events (constructed) citing real sentences of the stored documents."""
    docs = store.execute("SELECT doc_id, date, text FROM documents ORDER BY doc_id")  # type: ignore[attr-defined]
    rows = []
    for i, (doc_id, date, text) in enumerate(docs):
        sentence = next(s for s in re.split(r"(?<=[.!?])\s+", text) if 40 < len(s) < 400)
        rows.append(
            {
                "event_id": f"web-coded-{i}",
                "source_record_id": f"{doc_id}:0",
                "event_date": date.isoformat(),
                "doc_id": doc_id,
                "evidence": sentence,
                "fronts": ["migration"] if i == 0 else ["trade"],
                "place_country": "MEX",
                "admin1": "MX-CHH",
                "plover_type": "ASSAULT" if i == 0 else "AGREE",
                "quad_class": 4 if i == 0 else 1,
                "coder": "dyadwatch-rules",
                "source_name": SCRIPT if i == 2 else "United States",
            }
        )
    insert_events(store, rows)  # type: ignore[arg-type]
    for doc_id, *_ in docs:
        store.execute(  # type: ignore[attr-defined]
            "INSERT INTO coded_documents VALUES (?, 'dyadwatch-rules', 'test', 1, 1, now())",
            [doc_id],
        )
    return [r["event_id"] for r in rows]


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("web")
    settings = Settings(db=tmp / "web.duckdb", cache_dir=tmp / "cache", web_warm=False)
    with open_store(settings.db) as store:
        for path in (GDELT2_EXPORT, GDELT1_SAMPLE):
            ingest_gdelt(store, path, settings=settings)
        ingest_icews(store, ICEWS, settings=settings)
        ingest_ucdp(store, UCDP, settings=settings)
        ingest_series(store, IMPMX, settings=settings)
        ingest_series(store, SESNSP, settings=settings)
        ingest_corpus(store, _documents(tmp), settings=settings)
        _coded(store, settings)
        first, last = store.execute("SELECT min(date), max(date) FROM documents")[0]
        cover_months(store, f"{first.year - 1}-{first.month:02d}", f"{last:%Y-%m}")
    return settings


@pytest.fixture(scope="session")
def client(web_settings: Settings) -> Iterator[TestClient]:
    from dyadwatch.web import contexts
    from dyadwatch.web.app import create_app

    app = create_app(web_settings)
    with TestClient(app) as test_client:
        state = app.state.web
        contexts.snapshot(state, wait=600)
        contexts.alert_set(state, wait=600)
        yield test_client
