"""The DuckDB event store: one writer, many readers.

DuckDB lets one process write a file, and no other process even read it meanwhile. So
the store is two files:

- the **store** itself (``settings.db``), which only writers open (:func:`open_store`).
  A writer that finds another one at work waits and retries (``wait`` seconds), saying
  so once through ``on_wait``;
- the **readers' copy** beside it (:func:`reader_path`: ``dyadwatch.duckdb`` →
  ``dyadwatch.read.duckdb``). A writer publishes it (:meth:`Store.publish`) when it
  finishes, and every ``publish_seconds`` during a long run: a checkpoint, a copy to a
  temporary file, an atomic rename. Readers (:func:`open_reader`: the dashboard and the
  read-only commands) open it, never the store, so they never block a writer and a
  writer never blocks them. A reader that opened an older copy keeps reading it until it
  reopens (the renamed-over file lives on while open); the web app reopens when the
  copy's inode changes.

A reader attaches the copy to an in-memory database rather than opening it by path,
because DuckDB caches open databases by path within a process and would hand back the
old copy.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from dyadwatch.errors import DyadwatchError, StoreError
from dyadwatch.store.schema import MIGRATIONS

if TYPE_CHECKING:
    import ibis.backends.duckdb
    import pyarrow as pa

    from dyadwatch.store.tables import Tables

OnWait = Callable[[str], None]
READER_CATALOG = "dw"  # the name a reader attaches the readers' copy under
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (.*?) \(PID (\d+)\)")
_RETRY_FIRST, _RETRY_MAX = 0.1, 2.0  # seconds between attempts to open a busy store
log = logging.getLogger("dyadwatch.store")


def reader_path(path: Path | str) -> Path:
    """Where the readers' copy of the store at ``path`` is published."""
    path = Path(path)
    return path.with_name(f"{path.stem}.read{path.suffix or '.duckdb'}")


class Store:
    """A connection to one DuckDB store file. Use as a context manager."""

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        wait: float = 0.0,
        on_wait: OnWait | None = None,
    ) -> None:
        self.path = Path(path)
        self._read_only = read_only
        self._catalog: str | None = None
        self._con = _connect_waiting(self.path, read_only=read_only, wait=wait, on_wait=on_wait)
        self._ibis: ibis.backends.duckdb.Backend | None = None
        self._tables: Tables | None = None
        self._published = 0.0
        if not read_only:
            migrate(self)

    @classmethod
    def _attached(cls, copy: Path) -> Store:
        """A reader over the readers' copy, attached to an in-memory database."""
        store = cls.__new__(cls)
        store.path, store._read_only, store._catalog = copy, True, READER_CATALOG
        store._ibis, store._tables, store._published = None, None, 0.0
        store._con = duckdb.connect(":memory:")
        quoted = str(copy).replace("'", "''")
        try:
            store._con.execute(f"ATTACH '{quoted}' AS {READER_CATALOG} (READ_ONLY)")
        except duckdb.Error as exc:
            store._con.close()
            raise StoreError(
                f"cannot read {copy}: {exc}. Delete it: the next writer or "
                "reader publishes it again."
            ) from exc
        store._con.execute(f"USE {READER_CATALOG}")
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cursor(self) -> Store:
        """Another connection to the same open database, for another thread: one DuckDB
        connection must not be used by two threads at once. Close it when done."""
        other = Store.__new__(Store)
        other.path, other._read_only, other._catalog = self.path, self._read_only, self._catalog
        other._con = self._con.cursor()
        if self._catalog is not None:
            other._con.execute(f"USE {self._catalog}")
        other._ibis, other._tables, other._published = None, None, 0.0
        return other

    @property
    def writable(self) -> bool:
        return not self._read_only

    def publish(self, *, min_interval: float = 0.0) -> Path | None:
        """Refresh the readers' copy from this writer: checkpoint, copy, rename; nothing
        when the copy already holds this version of the store. With ``min_interval``, do
        nothing if the last publish was more recent (seconds). The copy's path, or None
        when nothing was copied."""
        if self._read_only:
            raise StoreError(f"{self.path} is open read-only: only a writer publishes it")
        now = time.monotonic()
        if min_interval and self._published and now - self._published < min_interval:
            return None
        self.execute("CHECKPOINT")
        target = reader_path(self.path)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
        try:
            version = os.stat(self.path)
            if _same_version(target, version):  # nothing written since the last publish:
                self._published = now  # readers keep their copy (and their caches)
                return None
            shutil.copyfile(self.path, temporary)
            with temporary.open("rb+") as handle:
                os.fsync(handle.fileno())
            # the copy carries the store's modification time: the version it holds
            os.utime(temporary, ns=(version.st_atime_ns, version.st_mtime_ns))
            os.replace(temporary, target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise StoreError(f"cannot publish the readers' copy {target}: {exc}") from exc
        self._published = now
        return target

    def close(self) -> None:
        """Close the connection; the file stays consistent whatever happened before. A
        writer publishes the readers' copy first, so readers see what it wrote."""
        if not self._read_only and self._catalog is None:
            try:
                self.publish()
            except DyadwatchError:
                log.warning("the readers' copy of %s was not refreshed", self.path, exc_info=True)
        self._con.close()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement and return all its rows."""
        try:
            return self._con.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"query failed on {self.path}: {exc}") from exc

    def execute_with_progress(
        self, sql: str, on_progress: Callable[[float], None], *, every: float = 0.25
    ) -> list[tuple[Any, ...]]:
        """Run one long statement, calling ``on_progress(percent)`` while it runs."""
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["rows"] = self.execute(sql)
            except BaseException as exc:  # re-raised below, in the caller's thread
                outcome["error"] = exc

        worker = threading.Thread(target=work, name="dyadwatch-query")
        worker.start()
        while worker.is_alive():
            worker.join(every)
            done = self._con.query_progress()
            if done >= 0:
                on_progress(done)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["rows"]  # type: ignore[no-any-return]

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run a query that returns one value."""
        rows = self.execute(sql, params)
        return rows[0][0] if rows else None

    @contextlib.contextmanager
    def registered(self, name: str, table: pa.Table) -> Iterator[str]:
        """Expose an Arrow table to SQL as ``name`` for the duration of the block."""
        self._con.register(name, table)
        try:
            yield name
        except BaseException:
            with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses it
                self._con.unregister(name)
            raise
        self._con.unregister(name)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """All or nothing: commit on success, roll back on any exception."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    @property
    def ibis(self) -> ibis.backends.duckdb.Backend:
        """An Ibis backend over this connection; reads go through it."""
        if self._ibis is None:
            import ibis

            self._ibis = ibis.duckdb.from_connection(self._con)
        return self._ibis

    @property
    def tables(self) -> Tables:
        """The Ibis tables the analyses read (``store/tables.py``), made once."""
        if self._tables is None:
            from dyadwatch.store.tables import TABLE_COLUMNS, Tables

            self._tables = Tables(**{name: self.ibis.table(name) for name in TABLE_COLUMNS})
        return self._tables


def _same_version(copy: Path, store: os.stat_result) -> bool:
    """True when ``copy`` was published from the store as it is now (same size and
    modification time, which a publish gives the copy)."""
    try:
        published = os.stat(copy)
    except OSError:
        return False
    return (published.st_size, published.st_mtime_ns) == (store.st_size, store.st_mtime_ns)


def _connect_waiting(
    path: Path, *, read_only: bool, wait: float, on_wait: OnWait | None
) -> duckdb.DuckDBPyConnection:
    """Open ``path``; while another process holds it, retry for up to ``wait`` seconds."""
    deadline, pause, told = time.monotonic() + wait, _RETRY_FIRST, False
    while True:
        try:
            return _connect(path, read_only=read_only)
        except _Busy as busy:
            if time.monotonic() + pause > deadline:
                raise StoreError(
                    f"store {path} is busy: {busy.holder} is writing it"
                    + (f" (waited {wait:.0f} s)" if wait else "")
                    + ". Wait for it to finish and run again, raise DYADWATCH_STORE_WAIT_SECONDS,"
                    " or pass another --db PATH. Read-only commands and the dashboard read "
                    f"{reader_path(path).name} and need not wait."
                ) from busy.__cause__
            if not told and on_wait is not None:
                on_wait(f"store {path.name} is busy ({busy.holder} is writing it); waiting…")
                told = True
            time.sleep(pause)
            pause = min(pause * 2, _RETRY_MAX)


class _Busy(Exception):
    """Another process holds the store's lock; never escapes this module."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


def _connect(path: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise StoreError(
            f"no store at {path}. Create it with 'dyadwatch ingest' or pass --db PATH."
        )
    if path.parent and not path.parent.exists():
        raise StoreError(
            f"folder {path.parent} does not exist. Create it or pass another --db PATH."
        )
    try:
        con = duckdb.connect(str(path), read_only=read_only)
        con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false")
        return con
    except duckdb.IOException as exc:
        holder = _LOCK_HOLDER.search(str(exc))
        if holder is not None:
            raise _Busy(f"process {holder.group(2)} ({Path(holder.group(1)).name})") from exc
        raise StoreError(
            f"cannot open store {path}: {exc}. Check that it is a DuckDB store you may "
            "read and write, or pass another --db PATH."
        ) from exc
    except duckdb.Error as exc:
        raise StoreError(f"{path} is not a DuckDB store ({exc}). Pass another --db PATH.") from exc


def migrate(store: Store) -> list[int]:
    """Apply every migration not yet recorded, each in its own transaction."""
    store.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in store.execute("SELECT version FROM schema_migrations")}
    applied = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        with store.transaction():
            store._con.execute(migration.sql)
            store.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())",
                [migration.version, migration.name],
            )
        applied.append(migration.version)
    return applied


def open_store(
    path: Path | str,
    *,
    read_only: bool = False,
    wait: float = 0.0,
    on_wait: OnWait | None = None,
) -> Store:
    """Open (and create or migrate) the store at ``path`` as its writer, waiting up to
    ``wait`` seconds for another writer. ``read_only`` opens the store file itself
    read-only (tests, tools); readers that must not block writers use :func:`open_reader`."""
    return Store(path, read_only=read_only, wait=wait, on_wait=on_wait)


def open_reader(path: Path | str, *, wait: float = 0.0, on_wait: OnWait | None = None) -> Store:
    """Open the readers' copy of the store at ``path``. When there is none yet (a store
    from before copies, or never published), the store is opened as a writer once to
    publish it, waiting up to ``wait`` seconds if a writer is at work."""
    path = Path(path)
    copy = reader_path(path)
    if not copy.exists():
        if not path.exists():
            raise StoreError(
                f"no store at {path}. Create it with 'dyadwatch demo' or 'dyadwatch ingest', "
                "or pass --db PATH."
            )
        with open_store(path, wait=wait, on_wait=on_wait):
            pass  # closing a writer publishes the copy
    return Store._attached(copy)
