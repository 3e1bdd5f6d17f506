"""The DuckDB event store: one file, opened once per command, migrated on open."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from dyadwatch.errors import StoreError
from dyadwatch.store.schema import MIGRATIONS

if TYPE_CHECKING:
    import ibis.backends.duckdb
    import pyarrow as pa


class Store:
    """A connection to one DuckDB store file. Use as a context manager."""

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self._read_only = read_only
        self._con = _connect(self.path, read_only=read_only)
        self._ibis: ibis.backends.duckdb.Backend | None = None
        if not read_only:
            migrate(self)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cursor(self) -> Store:
        """Another connection to the same open database, for another thread: one DuckDB
        connection must not be used by two threads at once. Close it when done."""
        other = Store.__new__(Store)
        other.path, other._read_only = self.path, self._read_only
        other._con = self._con.cursor()
        other._ibis = None
        return other

    def close(self) -> None:
        """Close the connection; the file stays consistent whatever happened before."""
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
        raise StoreError(
            f"cannot open store {path}: {exc}. Another dyadwatch process may hold it; "
            "wait for it to finish or pass another --db PATH."
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


def open_store(path: Path | str, *, read_only: bool = False) -> Store:
    """Open (and create or migrate) the store at ``path``."""
    return Store(path, read_only=read_only)
