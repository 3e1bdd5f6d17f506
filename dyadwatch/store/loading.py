"""Writes of the ingest: run bookkeeping, deduplicating inserts, quarantine.

The data-writing functions expect to run inside :meth:`Store.transaction`, so that a
file's rows, its quarantine and its finished run record land together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from dyadwatch.store.connection import Store


def completed_run(store: Store, *, sha256: str, source_system: str) -> str | None:
    """The id of an earlier finished run of the same file bytes, if any."""
    return store.scalar(
        "SELECT run_id FROM ingest_runs WHERE file_sha256 = ? AND source_system = ? "
        "AND status = 'loaded' ORDER BY started LIMIT 1",
        [sha256, source_system],
    )


def loaded_file_names(store: Store, source_systems: Sequence[str]) -> set[str]:
    """Names of the files with a finished ('loaded') run from any of ``source_systems``."""
    if not source_systems:
        return set()
    marks = ", ".join("?" for _ in source_systems)
    rows = store.execute(
        f"SELECT DISTINCT file_name FROM ingest_runs WHERE status = 'loaded' "
        f"AND source_system IN ({marks})",
        list(source_systems),
    )
    return {row[0] for row in rows}


def start_run(
    store: Store, *, run_id: str, source_system: str, file_name: str, sha256: str
) -> None:
    """Record a run as 'running' (committed on its own, so a killed run stays visible)."""
    store.execute(
        "INSERT INTO ingest_runs (run_id, source_system, file_name, file_sha256, started, status) "
        "VALUES (?, ?, ?, ?, now(), 'running')",
        [run_id, source_system, file_name, sha256],
    )


def finish_run(store: Store, *, run_id: str, counts: dict[str, int]) -> None:
    """Store a run's final counts and mark it loaded."""
    store.execute(
        "UPDATE ingest_runs SET finished = now(), status = 'loaded', n_read = ?, n_loaded = ?, "
        "n_duplicates = ?, n_quarantined = ?, n_filtered = ?, n_replaced_chars = ? "
        "WHERE run_id = ?",
        [
            counts["read"],
            counts["loaded"],
            counts["duplicates"],
            counts["quarantined"],
            counts["filtered"],
            counts["replaced_chars"],
            run_id,
        ],
    )


def mark_interrupted_runs(store: Store) -> int:
    """Runs left 'running' by a killed process become 'interrupted'; returns how many.

    Only one process can write to a DuckDB file, so no other run can still be going.
    """
    rows = store.execute("UPDATE ingest_runs SET status = 'interrupted' WHERE status = 'running'")
    return int(rows[0][0]) if rows else 0


def drop_run(store: Store, run_id: str) -> None:
    """Forget a run that failed as a whole file, leaving the store as it was."""
    store.execute("DELETE FROM ingest_runs WHERE run_id = ?", [run_id])


def insert_new(
    store: Store,
    *,
    table: str,
    staged: str,
    columns: Sequence[str],
    keys: Sequence[str],
    run_id: str,
) -> int:
    """Insert the staged rows whose keys are new to ``table`` and first in the file.

    ``staged`` names a relation with ``columns`` plus ``line_no``; ``ingest_run_id``
    is set to ``run_id`` (a staged ``ingest_run_id`` column is ignored).
    Returns how many rows were inserted.
    """
    on = " AND ".join(f"t.{k} IS NOT DISTINCT FROM s.{k}" for k in keys)
    unique = store.scalar(f"SELECT count(*) = count(DISTINCT ({', '.join(keys)})) FROM {staged}")
    first_only = (
        ""
        if unique
        else (
            f"QUALIFY row_number() OVER (PARTITION BY {', '.join('s.' + k for k in keys)} "
            "ORDER BY s.line_no) = 1"
        )
    )
    data = [c for c in columns if c != "ingest_run_id"]
    select = ", ".join(f"s.{c}" for c in data)
    rows = store.execute(
        f"INSERT INTO {table} ({', '.join(data)}, ingest_run_id) "
        f"SELECT {select}, ? FROM {staged} s ANTI JOIN {table} t ON {on} {first_only}",
        [run_id],
    )
    return int(rows[0][0]) if rows else 0


def insert_quarantine(store: Store, staged: str, *, run_id: str) -> int:
    """Copy rejected rows (``line_no``, ``raw``, ``reason``) from ``staged`` into quarantine."""
    rows = store.execute(
        f"INSERT INTO quarantine SELECT ?, line_no, raw, reason FROM {staged}", [run_id]
    )
    return int(rows[0][0]) if rows else 0
