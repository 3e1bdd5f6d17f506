"""Docs under test: every command, setting and event column is documented; README examples run."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from dyadwatch.cli.app import app
from dyadwatch.records import EVENT_COLUMNS
from dyadwatch.settings import Settings

from conftest import ROOT

DOCS = ROOT / "docs"
CLI = [sys.executable, "-c", "from dyadwatch.cli.app import main; main()"]


def _command_paths(group: object, prefix: str = "dyadwatch") -> list[str]:
    paths = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            if getattr(command, "invoke_without_command", False):
                paths.append(f"{prefix} {name}")
            paths += _command_paths(command, f"{prefix} {name}")
        else:
            paths.append(f"{prefix} {name}")
    return paths


COMMANDS = _command_paths(typer.main.get_group(app))


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.S)
    return [
        line for block in blocks for line in block.splitlines() if line.startswith("dyadwatch ")
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_cli_reference(command: str) -> None:
    assert f"## `{command}" in (DOCS / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    assert f"`DYADWATCH_{field.upper()}`" in (DOCS / "settings.md").read_text(encoding="utf-8")


def test_every_event_column_is_documented() -> None:
    text = (DOCS / "events.md").read_text(encoding="utf-8")
    assert [c for c in EVENT_COLUMNS if f"`{c}`" not in text] == []


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.split("```console\n", 1)[1].startswith("make demo\nmake test\n")


def test_readme_commands_exist() -> None:
    for line in _readme_commands():
        tokens = shlex.split(line)[1:]
        if tokens[0] == "--db":
            tokens = tokens[2:]
        called = " ".join(["dyadwatch", *tokens]) + " "
        assert any(called.startswith(c + " ") for c in COMMANDS), line


def test_readme_demo_examples_run(tmp_path: Path) -> None:
    runnable = [line for line in _readme_commands() if "--db demo.duckdb" in line]
    assert len(runnable) >= 4
    for line in runnable:
        result = subprocess.run(
            [*CLI, *shlex.split(line)[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, (line, result.stderr)
    assert (tmp_path / "usa_mex.csv").read_text().count("\n") > 1
    assert (tmp_path / "icews.parquet").stat().st_size > 0
