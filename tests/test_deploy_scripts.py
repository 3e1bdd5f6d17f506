"""The two scripts in deploy/ that compose.yaml and the systemd web unit run:
dyadwatch-prepare (the first start, migrations, two copies at once) and
dyadwatch-update-loop (repeated runs, failures, SIGTERM). A stub ``dyadwatch`` stands in
for the 7-minute demo and for the update where a test needs to control them."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from deploy_support import (
    DEPLOY,
    ICEWS_SAMPLE,
    run_script,
    script_env,
    table_snapshot,
    wait_for,
)

from dyadwatch.ingest import ingest_icews
from dyadwatch.settings import Settings
from dyadwatch.store import open_store

STUB = """#!/bin/sh
# A stand-in for the dyadwatch program (a test double, not data): logs its arguments.
echo "$*" >> "$STUB_LOG"
case "$1" in
demo)
    while [ ! -e "$STUB_GO" ]; do sleep 0.05; done
    exec "$STUB_PYTHON" -c 'import os, sys; from dyadwatch.store import open_store; \
open_store(os.environ["DYADWATCH_DB"]).close()'
    ;;
update)
    echo $$ > "$STUB_PID"
    n=$(wc -l < "$STUB_LOG")
    if [ "$n" -eq 1 ]; then exit 1; fi
    if [ -e "$STUB_HANG" ]; then exec sleep 600; fi
    ;;
esac
"""


@pytest.fixture
def stub(tmp_path: Path) -> dict[str, str]:
    """The environment of a script run with a stub ``dyadwatch`` first on PATH."""
    bin_dir = tmp_path / "stub-bin"
    bin_dir.mkdir()
    (bin_dir / "dyadwatch").write_text(STUB, encoding="utf-8")
    (bin_dir / "dyadwatch").chmod(0o755)
    return script_env(tmp_path, first=bin_dir) | {
        "STUB_LOG": str(tmp_path / "stub.log"),
        "STUB_GO": str(tmp_path / "go"),
        "STUB_PID": str(tmp_path / "stub.pid"),
        "STUB_HANG": str(tmp_path / "hang"),
        "STUB_PYTHON": sys.executable,
    }


def test_prepare_none_on_an_empty_folder_says_how_to_build_a_store(tmp_path: Path) -> None:
    result = run_script("dyadwatch-prepare", "none", env=script_env(tmp_path))
    assert result.returncode == 78, result.stderr
    assert "no store at" in result.stderr and "dyadwatch demo" in result.stderr
    assert "Backups" in result.stderr
    bad = run_script("dyadwatch-prepare", "maybe", env=script_env(tmp_path))
    assert bad.returncode == 2 and "use demo or none" in bad.stderr


def test_prepare_on_a_store_migrates_and_publishes_the_readers_copy(tmp_path: Path) -> None:
    env = script_env(tmp_path)
    db = Path(env["DYADWATCH_DB"])
    with open_store(db) as store:
        ingest_icews(store, ICEWS_SAMPLE, settings=Settings(db=db))
    copy = db.with_name("dyadwatch.read.duckdb")
    copy.unlink()
    result = run_script("dyadwatch-prepare", "demo", env=env)
    assert result.returncode == 0, result.stderr
    assert "applying migrations" in result.stdout and copy.exists()
    assert table_snapshot(copy)["events"][0] > 0


def test_prepare_only_warns_when_another_writer_holds_the_store(tmp_path: Path) -> None:
    env = script_env(tmp_path) | {"DYADWATCH_STORE_WAIT_SECONDS": "0"}
    with open_store(env["DYADWATCH_DB"]):
        result = run_script("dyadwatch-prepare", "demo", env=env)
    assert result.returncode == 0, result.stderr
    assert "warning: store" in result.stderr and "is busy" in result.stderr
    assert "the writer at work migrates the store; going on" in result.stderr


def test_prepare_stops_on_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    env = script_env(tmp_path)
    Path(env["DYADWATCH_DB"]).write_text("not a DuckDB file\n", encoding="utf-8")
    result = run_script("dyadwatch-prepare", "demo", env=env)
    assert result.returncode == 1
    assert "dyadwatch-prepare: cannot open store" in result.stderr
    assert "not a valid DuckDB database file" in result.stderr


def _blocked_locks() -> int:
    """Lock requests waiting in the kernel (``->`` lines of /proc/locks)."""
    return sum(line.split()[1] == "->" for line in Path("/proc/locks").read_text().splitlines())


def test_two_prepares_at_once_build_the_demo_once(stub: dict[str, str]) -> None:
    if not Path("/proc/locks").exists():
        pytest.skip("no /proc/locks to see the second copy wait")
    log = Path(stub["STUB_LOG"])
    start = [str(DEPLOY / "dyadwatch-prepare"), "demo"]
    first = subprocess.Popen(start, env=stub, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(lambda: log.exists() and "demo" in log.read_text(), "the first demo")
    waiting = _blocked_locks()
    second = subprocess.Popen(start, env=stub, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(lambda: _blocked_locks() > waiting, "the second copy to wait on the lock")
    Path(stub["STUB_GO"]).touch()
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert log.read_text().splitlines() == ["demo"]
    assert b"applying migrations" in outputs[1][0]
    assert Path(stub["DYADWATCH_DB"]).with_name("dyadwatch.read.duckdb").exists()


@contextmanager
def update_loop(stub: dict[str, str], interval: str) -> Iterator[subprocess.Popen[str]]:
    loop = subprocess.Popen(
        [str(DEPLOY / "dyadwatch-update-loop"), interval],
        env=stub,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield loop
    finally:
        if loop.poll() is None:
            loop.kill()
            loop.communicate()


def test_update_loop_runs_again_after_a_failure_and_stops_on_sigterm(
    stub: dict[str, str],
) -> None:
    log = Path(stub["STUB_LOG"])
    with update_loop(stub, "1s") as loop:
        wait_for(lambda: log.exists() and len(log.read_text().splitlines()) >= 3, "3 runs")
        loop.send_signal(signal.SIGTERM)
        out, err = loop.communicate(timeout=60)
    assert loop.returncode == 0, err
    assert set(log.read_text().splitlines()) == {"update"}
    assert "'dyadwatch update' exited 1" in err and "next run in 1s" in err
    assert "dyadwatch-update-loop: stopped" in out


def test_update_loop_stops_a_running_update(stub: dict[str, str]) -> None:
    Path(stub["STUB_HANG"]).touch()
    log, pid_file = Path(stub["STUB_LOG"]), Path(stub["STUB_PID"])
    with update_loop(stub, "1s") as loop:
        wait_for(lambda: log.exists() and len(log.read_text().splitlines()) >= 2, "a 2nd run")
        wait_for(lambda: _is_sleep(pid_file), "the second run to hang")
        hanging = int(pid_file.read_text())
        loop.send_signal(signal.SIGTERM)
        loop.communicate(timeout=60)
    assert loop.returncode == 0
    assert not Path(f"/proc/{hanging}").exists() or _zombie(hanging)


def _is_sleep(pid_file: Path) -> bool:
    try:
        return Path(f"/proc/{pid_file.read_text().strip()}/comm").read_text().strip() == "sleep"
    except (OSError, ValueError):
        return False


def _zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def test_update_loop_refuses_a_bad_interval(stub: dict[str, str]) -> None:
    for interval in ("soon", "15x", "0", "m"):
        result = run_script("dyadwatch-update-loop", interval, env=stub)
        assert result.returncode == 2, (interval, result.stderr)
    assert not Path(stub["STUB_LOG"]).exists()
