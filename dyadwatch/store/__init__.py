"""The DuckDB event store: the only package that imports duckdb or an Ibis backend."""

from dyadwatch.store import loading
from dyadwatch.store.connection import Store, migrate, open_reader, open_store, reader_path

__all__ = ["Store", "loading", "migrate", "open_reader", "open_store", "reader_path"]
