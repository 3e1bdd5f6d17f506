"""One writer, many readers: the readers' copy, a busy writer waiting, and the CLI's
read-only commands working while another process writes the store.

The other process is a real Python process holding a real DuckDB writer connection.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.errors import StoreError
from dyadwatch.ingest import ingest_gdelt
from dyadwatch.settings import Settings
from dyadwatch.store import open_reader, open_store, reader_path

from conftest import GDELT2_EXPORT, table_count

HOLD = textwrap.dedent(
    """
    import sys, time
    from dyadwatch.store import open_store
    with open_store(sys.argv[1]) as store:
        store.execute("CREATE TABLE IF NOT EXISTS held (n INTEGER)")
        store.execute("INSERT INTO held VALUES (1)")
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


@pytest.fixture
def loaded(settings: Settings) -> Path:
    """A store with one real GDELT 2.0 file, closed (so its copy is published)."""
    with open_store(settings.db) as store:
        ingest_gdelt(store, GDELT2_EXPORT, settings=settings, dyad_only=False)
    return settings.db


@pytest.fixture
def holder(loaded: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the store as its writer for 3 seconds."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(loaded), "3"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "holding"
    yield process
    process.kill()
    process.wait()
    process.stdout.close()


def test_a_writer_publishes_the_readers_copy_when_it_closes(loaded: Path) -> None:
    copy = reader_path(loaded)
    assert copy == loaded.with_name("dw.read.duckdb") and copy.exists()
    with open_reader(loaded) as reader:
        assert table_count(reader, "events") == 2111
        with pytest.raises(StoreError):
            reader.execute("DELETE FROM events")


def test_a_reader_publishes_a_missing_copy_once(loaded: Path) -> None:
    reader_path(loaded).unlink()
    with open_reader(loaded) as reader:
        assert table_count(reader, "events") == 2111
    assert reader_path(loaded).exists()


def test_no_store_at_all_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at .*dyadwatch demo"):
        open_reader(tmp_path / "none.duckdb")


def test_an_open_reader_keeps_its_snapshot_and_a_new_one_sees_the_publish(loaded: Path) -> None:
    with open_reader(loaded) as before:
        cursor = before.cursor()
        with open_store(loaded) as writer:
            writer.execute("DELETE FROM events WHERE source_record_id < '881991000'")
            deleted = 2111 - table_count(writer, "events")
        assert deleted > 0
        assert table_count(before, "events") == 2111
        assert table_count(cursor, "events") == 2111
        cursor.close()
        with open_reader(loaded) as after:
            assert table_count(after, "events") == 2111 - deleted


def test_readers_work_while_another_process_writes(
    loaded: Path, holder: subprocess.Popen[str]
) -> None:
    with open_reader(loaded) as reader:
        assert table_count(reader, "events") == 2111
    with pytest.raises(StoreError, match=r"busy: process \d+ .*is writing it.*read\.duckdb"):
        open_store(loaded)


def test_a_busy_writer_waits_says_so_once_and_then_writes(
    loaded: Path, holder: subprocess.Popen[str]
) -> None:
    said: list[str] = []
    started = time.monotonic()
    with open_store(loaded, wait=60, on_wait=said.append) as writer:
        assert table_count(writer, "held") == 1  # the holder's write is committed
    assert time.monotonic() - started > 0.5
    assert len(said) == 1 and "busy" in said[0] and "waiting" in said[0]
    holder.wait(timeout=10)
    assert holder.returncode == 0


def test_a_busy_writer_gives_up_after_its_wait(loaded: Path, holder: subprocess.Popen[str]) -> None:
    with pytest.raises(StoreError, match=r"waited 1 s"):
        open_store(loaded, wait=1.0)


def test_cli_reads_while_another_process_writes_and_a_cli_writer_waits(
    loaded: Path, holder: subprocess.Popen[str]
) -> None:
    runner = CliRunner()
    status = runner.invoke(app, ["--db", str(loaded), "status", "--json"])
    assert status.exit_code == 0, status.output
    assert '"gdelt2"' in status.stdout
    ingest = runner.invoke(
        app, ["--db", str(loaded), "ingest", "gdelt", str(GDELT2_EXPORT)], env={"COLUMNS": "200"}
    )
    assert ingest.exit_code == 0, ingest.output
    assert "busy" in ingest.stderr and "waiting" in ingest.stderr
    assert "skipped" in ingest.stdout  # the same file again: known by its sha256


def test_a_writer_killed_mid_run_leaves_the_copy_at_its_last_publish(loaded: Path) -> None:
    script = textwrap.dedent(
        """
        import os, sys
        from dyadwatch.store import open_store
        store = open_store(sys.argv[1])
        store.execute("DELETE FROM events")
        os._exit(9)  # killed before it closes: nothing published
        """
    )
    finished = subprocess.run([sys.executable, "-c", script, str(loaded)], check=False)
    assert finished.returncode == 9
    with open_reader(loaded) as reader:
        assert table_count(reader, "events") == 2111
    with open_store(loaded) as writer:  # the re-run: the store holds what was committed
        assert table_count(writer, "events") == 0
    with open_reader(loaded) as reader:
        assert table_count(reader, "events") == 0


def test_a_writer_that_wrote_nothing_leaves_the_copy_as_it_was(loaded: Path) -> None:
    """Readers (the web app) keep the copy they have, and so their caches."""
    before = reader_path(loaded).stat()
    with open_store(loaded) as writer:
        assert table_count(writer, "events") == 2111
        assert writer.publish() is None
    after = reader_path(loaded).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    with open_store(loaded) as writer:
        writer.execute("DELETE FROM events WHERE source_record_id < '881991000'")
    assert reader_path(loaded).stat().st_ino != before.st_ino
