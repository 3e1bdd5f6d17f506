"""What the app holds between requests (on ``app.state``): one read-only store, a cursor
per worker thread, and caches keyed by the store's fingerprint.

The fingerprint (the store file's inode, the latest finished ingest run, the count of coded
documents, the events table's size estimate) is read at most every
``settings.web_cache_seconds``. When it changes, every cache is dropped, except that the
slow analysis snapshot keeps serving the old value while a background thread rebuilds it.
When the file itself was replaced (a new inode), the store is reopened.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store
from dyadwatch.store.explore import Fingerprint, store_fingerprint

T = TypeVar("T")
LRU_SIZE = 1024
log = logging.getLogger("dyadwatch.web")


class WebState:
    """The store connection and the caches of one app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._root: Store | None = None
        self._generation = 0
        self._local = threading.local()
        self._checked = 0.0
        self._fingerprint: Fingerprint | None = None
        self._values: dict[str, tuple[Fingerprint | None, Any]] = {}
        self._key_locks: dict[str, threading.Lock] = {}
        self._rebuilding: set[str] = set()
        self._derived: dict[str, tuple[tuple[Any, ...], Any]] = {}
        self._lru: OrderedDict[Any, tuple[Fingerprint | None, Any]] = OrderedDict()

    # -- the store -----------------------------------------------------------------
    def store(self) -> Store:
        """This thread's cursor on the shared read-only connection."""
        self.refresh()
        local = self._local
        if getattr(local, "generation", None) != self._generation or local.store is None:
            with self._lock:
                if self._root is None:
                    self._root = open_store(self.settings.db, read_only=True)
                local.store, local.generation = self._root.cursor(), self._generation
        return local.store  # type: ignore[no-any-return]

    def close(self) -> None:
        """Close the shared connection (at shutdown)."""
        with self._lock:
            if self._root is not None:
                self._root.close()
                self._root = None
            self._generation += 1

    @property
    def fingerprint(self) -> Fingerprint | None:
        return self._fingerprint

    def refresh(self, *, force: bool = False) -> None:
        """Read the fingerprint if it is due; drop the caches when the store changed."""
        now = time.monotonic()
        if not force and self._fingerprint is not None:
            if now - self._checked < self.settings.web_cache_seconds:
                return
        with self._lock:
            if self._root is None:
                self._root = open_store(self.settings.db, read_only=True)
            cursor = self._root.cursor()
        try:
            current = store_fingerprint(cursor)
        finally:
            cursor.close()
        self._checked = now
        previous = self._fingerprint
        if previous is not None and current.inode != previous.inode:
            self._reopen()
            return self.refresh(force=True)
        if current != previous:
            self._fingerprint = current
            with self._lock:
                self._lru.clear()

    def _reopen(self) -> None:
        with self._lock:
            self._root = open_store(self.settings.db, read_only=True)
            self._generation += 1
            self._fingerprint = None

    # -- caches ----------------------------------------------------------------------
    def cached(self, key: str, build: Callable[[Store], T], *, stale_ok: bool = False) -> T:
        """The value of ``key`` for the current store, built once (per-key lock).

        With ``stale_ok``, a value built for an older store is returned while a background
        thread rebuilds it.
        """
        store = self.store()
        current = self._fingerprint
        hit = self._values.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]  # type: ignore[no-any-return]
        if hit is not None and stale_ok:
            self._rebuild_later(key, build)
            return hit[1]  # type: ignore[no-any-return]
        with self._key_lock(key):
            hit = self._values.get(key)
            if hit is not None and hit[0] == current:
                return hit[1]  # type: ignore[no-any-return]
            value = build(store)
            self._values[key] = (current, value)
            return value

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def _rebuild_later(self, key: str, build: Callable[[Store], Any]) -> None:
        with self._lock:
            if key in self._rebuilding:
                return
            self._rebuilding.add(key)

        def work() -> None:
            try:
                with self._key_lock(key):
                    self._values[key] = (self._fingerprint, build(self.store()))
            except Exception:  # logged; the stale value keeps being served
                log.exception("rebuilding the %s cache failed", key)
            finally:
                with self._lock:
                    self._rebuilding.discard(key)

        threading.Thread(target=work, name=f"dyadwatch-cache-{key}", daemon=True).start()

    def derived(self, key: str, token: tuple[Any, ...], build: Callable[[], T]) -> T:
        """A value computed from other cached values, rebuilt when ``token`` (their
        identities) changes."""
        with self._lock:
            hit = self._derived.get(key)
        if hit is not None and hit[0] == token:
            return hit[1]  # type: ignore[no-any-return]
        value = build()
        with self._lock:
            self._derived[key] = (token, value)
        return value

    def lru(self, key: Any, build: Callable[[Store], T]) -> T:
        """A small least-recently-used cache (explorer pages and counts) for this store."""
        store = self.store()
        current = self._fingerprint
        with self._lock:
            hit = self._lru.get(key)
            if hit is not None and hit[0] == current:
                self._lru.move_to_end(key)
                return hit[1]  # type: ignore[no-any-return]
        value = build(store)
        with self._lock:
            self._lru[key] = (current, value)
            while len(self._lru) > LRU_SIZE:
                self._lru.popitem(last=False)
        return value

    def warm(self, builders: dict[str, Callable[[Store], Any]]) -> threading.Thread:
        """Build the given caches in a background thread (at startup)."""

        def work() -> None:
            for key, build in builders.items():
                try:
                    self.cached(key, build)
                except Exception:  # logged; the page will try again and show the error
                    log.exception("warming the %s cache failed", key)

        thread = threading.Thread(target=work, name="dyadwatch-warm", daemon=True)
        thread.start()
        return thread
