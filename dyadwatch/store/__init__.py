"""The DuckDB event store: the only package that imports duckdb or an Ibis backend."""

from dyadwatch.store import loading
from dyadwatch.store.connection import Store, migrate, open_store

__all__ = ["Store", "loading", "migrate", "open_store"]
