"""``dyadwatch status`` shows each source's freshness, as a table and in ``--json``.

The store holds real files: FRED IMPMX (to 2026-07), SESNSP victims (to 2025-06) and the
GDELT 2.0 export of 2019-10-24. ``--today`` fixes the day freshness is judged on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.ingest import ingest_gdelt, ingest_series
from dyadwatch.settings import Settings
from dyadwatch.store import Store

from conftest import GDELT2_EXPORT, IMPMX, SESNSP


@pytest.fixture
def db(store: Store, settings: Settings) -> Path:
    ingest_series(store, IMPMX, settings=settings)
    ingest_series(store, SESNSP, settings=settings)
    ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
    store.close()
    return settings.db


def status(db: Path, *args: str) -> object:
    return CliRunner().invoke(app, ["--db", str(db), "status", *args], env={"COLUMNS": "200"})


def test_status_json_carries_freshness(db: Path) -> None:
    result = status(db, "--json", "--today", "2026-11-06")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    body = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert body["today"] == "2026-11-06"
    assert {"events", "indicators", "recent_runs"} <= set(body)  # the status is still there
    fresh = {f["source"]: f for f in body["freshness"]}
    assert list(fresh) == ["gdelt2", "fred", "sesnsp"]
    assert fresh["fred"] | {"members": None} == {
        "source": "fred",
        "label": "FRED U.S. trade with Mexico (IMPMX, EXPMX)",
        "table": "indicators",
        "data_through": "2026-07-31",
        "rows": 499,
        "cadence": "monthly, about 2 months after the month (Census trade release)",
        "period": "month",
        "lag_days": 60,
        "expected_through": "2026-08-31",
        "status": "stale",
        "days_behind": 31,
        "members": None,
    }
    assert fresh["gdelt2"]["status"] == "stale" and fresh["gdelt2"]["data_through"] == "2019-10-24"


def test_status_table_flags_stale_sources(db: Path) -> None:
    result = status(db, "--today", "2026-11-05")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert "Freshness on 2026-11-05" in out
    lines = {line.split()[1]: line for line in out.splitlines() if line.startswith("│ ")}
    assert "2026-07-31" in lines["fred"] and "current" in lines["fred"]
    assert "2025-06-30" in lines["sesnsp"] and "stale by 457 days" in lines["sesnsp"]  # vs 09-30
    assert "2019-10-24" in lines["gdelt2"] and "stale by 2,568 days" in lines["gdelt2"]


def test_status_today_must_be_a_date(db: Path) -> None:
    result = status(db, "--today", "05/11/2026")
    assert result.exit_code == 2
