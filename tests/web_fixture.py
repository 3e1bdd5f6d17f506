"""A small real store for the web tests, built once per session, and a TestClient on it.

The store holds the real fixtures (GDELT 1.0 and 2.0, ICEWS, UCDP GED for Mexico), two
real indicator series (FRED imports, SESNSP homicides), three real White House documents
and a few coded events whose evidence sentences are taken from those documents (the
events themselves are constructed test input; the coder is not run here).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from coded_support import coded_events, wh_documents

from dyadwatch.ingest import ingest_corpus, ingest_gdelt, ingest_icews, ingest_series, ingest_ucdp
from dyadwatch.settings import Settings
from dyadwatch.store import open_store

from conftest import GDELT1_SAMPLE, GDELT2_EXPORT, ICEWS, IMPMX, SESNSP, UCDP, cover_months

with warnings.catch_warnings():  # starlette's TestClient warns that httpx is deprecated
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


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
        ingest_corpus(store, wh_documents(tmp), settings=settings)
        coded_events(store, settings)
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
