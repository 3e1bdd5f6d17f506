"""The events table on Spark, for analyses that outgrow one machine.

The analysis layer builds Ibis expressions; this module gives it an ``events`` table on
a PySpark session instead of DuckDB. The table is either a Parquet dataset the cluster
can read (``DYADWATCH_SPARK_EVENTS``), or a Parquet snapshot of the DuckDB store written
to the cache folder and reused until the store changes.
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

if TYPE_CHECKING:
    import ibis.backends.pyspark
    import ibis.expr.types as ir
    from pyspark.sql import SparkSession

# Where an analysis runs: the DuckDB store itself, or its events on Spark (this module).
Backend = Literal["duckdb", "pyspark"]
BACKENDS: tuple[Backend, ...] = get_args(Backend)

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


def spark_events(store: Store, settings: Settings) -> ir.Table:
    """The events table on Spark: the configured dataset, or a snapshot of ``store``."""
    backend = spark_backend(settings)
    path = settings.spark_events or snapshot_events(store, settings.cache_dir / "spark")
    try:
        return backend.read_parquet(str(path), table_name="events")
    except Exception as exc:
        raise StoreError(f"Spark cannot read the events at {path}: {exc}") from exc


def snapshot_events(store: Store, folder: Path) -> Path:
    """Write the events table to ``folder`` as Parquet, once per store content."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"events-{_fingerprint(store)}.parquet"
    if not path.exists():
        partial = path.with_suffix(".partial")
        quoted = str(partial).replace("'", "''")
        store.execute(f"COPY events TO '{quoted}' (FORMAT parquet)")
        partial.replace(path)
    return path


def _fingerprint(store: Store) -> str:
    """Changes whenever events are added, recoded or re-clustered."""
    rows = store.execute(
        "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM ingest_runs), "
        "(SELECT max(finished) FROM ingest_runs), (SELECT max(coded_at) FROM coded_documents), "
        "(SELECT count(event_cluster_id) FROM events), "
        "(SELECT count(DISTINCT event_cluster_id) FROM events)"
    )
    text = f"{store.path.resolve()}|{rows[0]}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]
