"""A SIGKILL in the middle of a file leaves none of it behind; a re-run completes it.

Uses SYNTHETIC volume (real GDELT rows repeated with fresh ids) so the ingest runs long
enough to be killed midway.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dyadwatch.sources.synthetic import synthetic_name, write_synthetic_gdelt
from dyadwatch.store import open_store

from conftest import GDELT2_EXPORT, ROOT

ROWS = 600_000
CLI = [sys.executable, "-c", "from dyadwatch.cli.app import main; main()"]


def _ingest(db: Path, path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*CLI, "--db", str(db), "ingest", "gdelt", str(path), "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_run_start(db: Path, proc: subprocess.Popen[bytes]) -> None:
    wal = db.with_name(db.name + ".wal")
    deadline = time.monotonic() + 60
    while not wal.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.mark.slow
def test_sigkill_mid_file_then_rerun_completes(tmp_path: Path) -> None:
    data = tmp_path / synthetic_name("kill")
    write_synthetic_gdelt(GDELT2_EXPORT, data, rows=ROWS)
    db = tmp_path / "dw.duckdb"
    with open_store(db):
        pass  # create and migrate first, so the WAL appears only when the run starts
    proc = _ingest(db, data)
    _wait_for_run_start(db, proc)
    time.sleep(0.5)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.communicate()

    with open_store(db) as store:
        assert store.scalar("SELECT count(*) FROM events") == 0
        assert store.scalar("SELECT count(*) FROM quarantine") == 0
        assert store.execute("SELECT status FROM ingest_runs") == [("running",)]

    rerun = _ingest(db, data)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    with open_store(db) as store:
        assert store.scalar("SELECT count(*) FROM events") == ROWS
        statuses = sorted(r[0] for r in store.execute("SELECT status FROM ingest_runs"))
        assert statuses == ["interrupted", "loaded"]
