"""schemathesis against the app's own OpenAPI spec: no ``/api/v1`` answer is a 5xx, for
valid parameters and for invalid ones alike.

The app runs in process (ASGI) on a small real store: the demo's GDELT, ICEWS and UCDP
events and its indicator series. Each operation gets 25 examples per generation mode,
derandomized so a failure reproduces. (schemathesis's own pytest loader,
``schemathesis.pytest.from_fixture``, fails under pytest 9.2, whose nodes have no
``_nodeid``; the strategies are driven by Hypothesis directly instead.)
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from dyadwatch.ingest import demo_files, ingest_gdelt, ingest_icews, ingest_series, ingest_ucdp
from dyadwatch.settings import Settings
from dyadwatch.store import open_store

API = ["/api/v1/alerts", "/api/v1/events", "/api/v1/forecasts", "/api/v1/index", "/api/v1/verdicts"]
INGESTERS = {
    "gdelt": ingest_gdelt,
    "icews": ingest_icews,
    "ucdp": ingest_ucdp,
    "series": ingest_series,
}  # the demo files but the corpora

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[schemathesis.BaseSchema]:
    from dyadwatch.web.app import create_app

    folder = tmp_path_factory.mktemp("api")
    web_settings = Settings(db=folder / "api.duckdb", cache_dir=folder / "cache", web_warm=False)
    with open_store(web_settings.db) as store:
        for demo in demo_files():
            if demo.kind in INGESTERS:
                with as_file(files("dyadwatch") / "data" / "demo" / demo.name) as path:
                    INGESTERS[demo.kind](store, Path(path), settings=web_settings)
    app = create_app(web_settings)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    app.state.web.close()


def test_the_spec_lists_exactly_the_api(api_schema: schemathesis.BaseSchema) -> None:
    labels = sorted(result.ok().label for result in api_schema.get_all_operations())
    assert labels == [f"GET {path}" for path in API]


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
@pytest.mark.parametrize("path", API)
def test_no_server_error(
    api_schema: schemathesis.BaseSchema, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    answers()
