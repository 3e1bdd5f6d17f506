"""`dyadwatch scenario var|bargain|list` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_scenarios_var import load_indicator_store
from typer.testing import CliRunner

from dyadwatch.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def series_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "dw.duckdb"
    load_indicator_store(db)
    return db


def test_bargain_table_with_a_shock(tmp_path: Path) -> None:
    args = ["--db", str(tmp_path / "x.duckdb"), "scenario", "bargain", "usmx_military_action"]
    result = runner.invoke(app, [*args, "--shock", "Pentagon:salience=95"])
    assert result.exit_code == 0, result.output
    assert "analyst assumptions, not data" in result.output
    assert "shocked outcome (median voter)" in result.output


def test_bargain_json(tmp_path: Path) -> None:
    args = ["--db", str(tmp_path / "x.duckdb"), "scenario", "bargain", "usmx_tariffs"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["basis"] == "analyst assumptions, not data"
    assert len(report["stakeholders"]) == 10
    assert report["baseline"]["rounds"][0]["round"] == 0
    assert "shocked" not in report


def test_bargain_bad_file_exits_2_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x\ntitle: t\nbasis: data\n", encoding="utf-8")
    result = runner.invoke(
        app, ["--db", str(tmp_path / "x.duckdb"), "scenario", "bargain", str(bad)]
    )
    assert result.exit_code == 2
    assert "basis" in result.output and "issue: Field required" in result.output


def test_bargain_unknown_stakeholder_exits_2(tmp_path: Path) -> None:
    args = ["--db", str(tmp_path / "x.duckdb"), "scenario", "bargain", "usmx_tariffs"]
    result = runner.invoke(app, [*args, "--shock", "Mexico:salience=10"])
    assert result.exit_code == 2
    assert "White House" in result.output


def test_list(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "x.duckdb"), "scenario", "list"])
    assert result.exit_code == 0
    assert "usmx_military_action" in result.output and "usmx_tariffs" in result.output


def test_var_json(series_db: Path) -> None:
    args = ["--db", str(series_db), "scenario", "var", "--shock", "apprehensions=10000"]
    result = runner.invoke(app, [*args, "--months", "3", "--horizon", "6", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["lag_order"] == 2 and report["stable"] is True
    assert len(report["path"]) == 6
    first = report["path"][0]["series"]["apprehensions"]
    assert first["difference"] == pytest.approx(10_000)
    assert len(report["irf"]["response"]["imports"]) == 7


def test_var_table(series_db: Path) -> None:
    args = ["--db", str(series_db), "scenario", "var", "--shock", "imports=500", "--months", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "VAR(2) by AIC" in result.output and "stable" in result.output


def test_var_unknown_series_exits_2(series_db: Path) -> None:
    args = ["--db", str(series_db), "scenario", "var", "--shock", "tariffs=5", "--months", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "unknown series 'tariffs'; use one of:" in result.output
    assert "imports" in result.output and "apprehensions" in result.output


def test_var_chosen_series(series_db: Path) -> None:
    args = ["--db", str(series_db), "scenario", "var", "--shock", "imports=500", "--months", "2"]
    result = runner.invoke(app, [*args, "--series", "apprehensions", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["columns"] == ["imports", "apprehensions"]
    assert report["lag_order"] == 12 and report["left_out"] == {}
