"""The ``dyadwatch update`` command against the loopback server, configured through the
environment as a user would, serving the real SESNSP JSON and FRED IMPMX CSV from
``../shared/data``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import Loopback
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.cli.update_cmd import all_updaters
from dyadwatch.settings import Settings
from dyadwatch.store import open_store, reader_path

from conftest import SHARED_DATA

SESNSP = SHARED_DATA / "indicators" / "sesnsp_nacional_mensual_2015_2026.json"
IMPMX = SHARED_DATA / "indicators" / "fred-mexico-trade" / "IMPMX_1985_2026.csv"


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with Loopback() as server:
        yield server


@pytest.fixture
def db(loopback: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    loopback.serve_file("/sesnsp.json", SESNSP)
    loopback.serve_file("/fredgraph.csv?id=IMPMX", IMPMX, validators=False)
    monkeypatch.setenv("DYADWATCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DYADWATCH_SESNSP_URL", loopback.url("/sesnsp.json"))
    monkeypatch.setenv("DYADWATCH_FRED_URL", loopback.url("/fredgraph.csv?id={series}"))
    monkeypatch.setenv("DYADWATCH_FRED_SERIES", '["IMPMX"]')
    monkeypatch.setenv("DYADWATCH_CBP_ENCOUNTERS_URL", loopback.url("/no-such-page"))
    monkeypatch.setenv("DYADWATCH_CBP_SEIZURES_URL", loopback.url("/no-such-page-either"))
    return tmp_path / "dw.duckdb"


def _update(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", str(db), "update", *args])
    return result.exit_code, result.stdout, result.stderr


def test_update_json_then_again_adds_nothing(db: Path) -> None:
    code, out, err = _update(db, "--only", "sesnsp", "--only", "fred", "--json")
    assert code == 0, err
    first = json.loads(out.strip().splitlines()[-1])
    assert [s["source"] for s in first["sources"]] == ["sesnsp", "fred"]
    assert first["failed"] is False and first["new_rows"] > 0
    by_source = {s["source"]: s for s in first["sources"]}
    assert by_source["sesnsp"]["data_through"] == "2026-08-01"
    assert by_source["fred"]["data_through"] == "2026-07-01"
    with open_store(db) as store:
        stored = store.scalar("SELECT count(*) FROM indicators")
    assert stored == first["new_rows"]
    assert reader_path(db).exists()  # the readers' copy was refreshed for the dashboard
    code, out, _ = _update(db, "--only", "sesnsp", "--only", "fred", "--json")
    again = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and again["new_rows"] == 0
    assert [s["not_modified"] for s in again["sources"]] == [1, 1]


def test_update_prints_the_summary_table(db: Path) -> None:
    code, out, _ = _update(db, "--only", "fred")
    assert code == 0
    assert "Update" in out and "data through" in out
    assert "fred" in out and "2026-07-01" in out


def test_a_failed_source_exits_1_and_says_why(db: Path, loopback: Loopback) -> None:
    code, out, err = _update(db, "--only", "cbp", "--only", "fred", "--json")
    assert code == 1
    assert "failed: cbp-encounters: " in err and "not found (HTTP 404)" in err
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["failed"] is True
    assert [len(s["failed"]) for s in summary["sources"]] == [2, 0]  # both CBP files
    assert [hit.path for hit in loopback.hits()][:2] == ["/no-such-page", "/no-such-page-either"]


def test_an_unknown_source_is_an_input_error(db: Path) -> None:
    code, _, err = _update(db, "--only", "acled")
    assert code == 2 and "no source called 'acled'" in err


def test_update_runs_every_source_then_the_coding() -> None:
    names = [updater.name for updater in all_updaters(Settings())]
    assert names == [
        "gdelt",
        "ucdp",
        "cbp",
        "sesnsp",
        "fred",
        "whitehouse",
        "mananeras",
        "coding",
    ]
