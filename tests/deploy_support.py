"""Helpers of the deploy tests (test_deploy*.py): where the deploy files are, the
environment the scripts run in, and a check that a command line is a real dyadwatch
command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.store import open_store

from conftest import ROOT, SHARED_DATA

DEPLOY = ROOT / "deploy"
SCRIPTS = ("dyadwatch-prepare", "dyadwatch-update-loop")
VENV_BIN = Path(sys.executable).parent
ICEWS_SAMPLE = SHARED_DATA / "fixtures" / "icews" / "events.2018.sample.tab"
DEADLINE = 120.0  # seconds a test waits for a subprocess to get somewhere (never asserted)


def command_path(arguments: list[str]) -> list[str]:
    """The sub-command words of a command line: ``--db X serve --host H`` → ``serve``."""
    words, skip = [], False
    for argument in arguments:
        if skip:
            skip = False
        elif argument == "--db":
            skip = True
        elif argument.startswith("-"):
            break
        else:
            words.append(argument)
    return words


def assert_real_command(arguments: list[str]) -> None:
    """``dyadwatch ARGUMENTS --help`` succeeds: the command and its options exist."""
    path = command_path(arguments)
    options = arguments[arguments.index(path[-1]) + 1 :] if path else []
    result = CliRunner().invoke(app, [*path, *options, "--help"])
    assert result.exit_code == 0, (arguments, result.output)


def script_env(tmp_path: Path, *, first: Path | None = None) -> dict[str, str]:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    path = os.pathsep.join(str(p) for p in (first, VENV_BIN) if p) + os.pathsep + os.environ["PATH"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DYADWATCH_")}
    return env | {
        "PATH": path,
        "DYADWATCH_DB": str(data / "dyadwatch.duckdb"),
        "DYADWATCH_CACHE_DIR": str(tmp_path / "cache"),
    }


def run_script(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DEPLOY / script), *args], env=env, capture_output=True, text=True, timeout=300
    )


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def table_snapshot(path: Path | str) -> dict[str, tuple[int, int]]:
    """Every table of a store file: its row count and the sum of its rows' hashes."""
    with open_store(path, read_only=True) as store:
        tables = [r[0] for r in store.execute("SELECT table_name FROM duckdb_tables()")]
        return {
            t: tuple(store.execute(f'SELECT count(*), coalesce(sum(hash(t)), 0) FROM "{t}" t')[0])
            for t in sorted(tables)
        }
