"""The analyses' tables on Spark, for analyses that outgrow one machine.

The analysis layer evaluates Ibis expressions (``store/tables.py``); this module gives it
:class:`~dyadwatch.store.tables.Tables` on a PySpark session instead of DuckDB
(:func:`spark_tables`). The ``events`` table is either a Parquet dataset the cluster can
read (``DYADWATCH_SPARK_EVENTS``), or, like every other table, a Parquet snapshot of the
DuckDB store written to the cache folder and reused until the store changes.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from dyadwatch.errors import ConfigError, StoreError
from dyadwatch.settings import Settings
from dyadwatch.store.connection import Store
from dyadwatch.store.tables import TABLE_COLUMNS, Tables

if TYPE_CHECKING:
    import ibis.backends.pyspark
    import ibis.expr.types as ir
    from pyspark.sql import SparkSession

# Where an analysis runs: the DuckDB store itself, or its events on Spark (this module).
Backend = Literal["duckdb", "pyspark"]
BACKENDS: tuple[Backend, ...] = get_args(Backend)

SNAPSHOTS_KEPT = 2  # per store and table: the current snapshot and the one before it
SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "8",
    "spark.driver.memory": "2g",
    "spark.ui.showConsoleProgress": "false",
}


def spark_session(settings: Settings) -> SparkSession:
    """The Spark session for ``settings.spark_master`` (``local[2]`` by default)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - pyspark is a dependency
        raise ConfigError("the pyspark backend needs pyspark: pip install pyspark") from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(settings.spark_master).appName("dyadwatch")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    warehouse = (settings.cache_dir / "spark" / "warehouse").resolve()
    builder = builder.config("spark.sql.warehouse.dir", str(warehouse))
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing, cluster unreachable, ...
        raise StoreError(
            f"cannot start Spark at {settings.spark_master}: {exc}. Check that Java 17 is "
            "installed (java -version) and that DYADWATCH_SPARK_MASTER is reachable."
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def spark_backend(settings: Settings) -> ibis.backends.pyspark.Backend:
    """An Ibis backend over the Spark session."""
    import ibis

    return ibis.pyspark.connect(spark_session(settings))


def spark_tables(store: Store, settings: Settings) -> Tables:
    """The analyses' tables on Spark: snapshots of ``store`` (events: the configured
    dataset, if any)."""
    backend = spark_backend(settings)
    folder = settings.cache_dir / "spark"
    tables = {}
    for name, columns in TABLE_COLUMNS.items():
        configured = settings.spark_events if name == "events" else None
        path = configured or snapshot_table(store, folder, name, columns)
        tables[name] = _read(backend, str(path), name)
    return Tables(**tables)


def spark_events(store: Store, settings: Settings) -> ir.Table:
    """The events table on Spark: the configured dataset, or a snapshot of ``store``."""
    path = settings.spark_events or snapshot_events(store, settings.cache_dir / "spark")
    return _read(spark_backend(settings), str(path), "events")


def _read(backend: ibis.backends.pyspark.Backend, path: str, name: str) -> ir.Table:
    """Table ``name`` from the Parquet at ``path``, as a session view named after the file:
    views are the session's, so two stores' snapshots must not share a name."""
    view = f"{name}_{hashlib.sha256(path.encode()).hexdigest()[:16]}"
    try:
        return backend.read_parquet(path, table_name=view)
    except Exception as exc:
        raise StoreError(
            f"Spark cannot read the {name} at {path}: {exc}. Delete the snapshot folder to "
            "write it again, or check DYADWATCH_SPARK_EVENTS."
        ) from exc


def snapshot_events(store: Store, folder: Path) -> Path:
    """Write the events table to ``folder`` as Parquet, once per store content."""
    return snapshot_table(store, folder, "events")


def snapshot_table(
    store: Store, folder: Path, name: str, columns: tuple[str, ...] | None = None
) -> Path:
    """Write table ``name`` (only ``columns``, if given) to ``folder`` as Parquet, once per
    store content: the snapshot is reused until the store changes."""
    if name not in TABLE_COLUMNS:
        raise StoreError(f"no snapshot of table {name!r}: choose one of {', '.join(TABLE_COLUMNS)}")
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{name}-{_store_key(store)}"
    path = folder / f"{stem}-{_fingerprint(store)}.parquet"
    if not path.exists():
        partial = path.with_suffix(".partial")
        quoted = str(partial).replace("'", "''")
        select = ", ".join(columns) if columns else "*"
        store.execute(f"COPY (SELECT {select} FROM {name}) TO '{quoted}' (FORMAT parquet)")
        partial.replace(path)
        _prune(folder, stem, keep=path)
    return path


def _prune(folder: Path, stem: str, *, keep: Path) -> None:
    """Delete this store's older snapshots of one table but the newest other one (a Spark
    job started before this snapshot may still read it), so the folder does not grow by a
    copy of the table at each change of the store."""
    older = sorted(
        (p for p in folder.glob(f"{stem}-*.parquet") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in older[SNAPSHOTS_KEPT - 1 :]:
        stale.unlink(missing_ok=True)


def _store_key(store: Store) -> str:
    """A short name for the store's file, so stores sharing a cache folder keep theirs."""
    return hashlib.sha256(str(store.path.resolve()).encode()).hexdigest()[:8]


def _fingerprint(store: Store) -> str:
    """Changes whenever events are added, recoded or re-clustered, documents or indicators
    loaded or replaced, or documents coded."""
    rows = store.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM ingest_runs), "
        "(SELECT max(finished) FROM ingest_runs), (SELECT max(coded_at) FROM coded_documents), "
        "(SELECT count(*) FROM coded_documents), (SELECT count(*) FROM documents), "
        "(SELECT count(*) FROM indicators), "
        "(SELECT count(event_cluster_id) FROM events), "
        "(SELECT count(DISTINCT event_cluster_id) FROM events)"
    )
    text = f"{store.path.resolve()}|{rows[0]}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]
