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
LOCK_STRIPES = 64  # explorer builds for keys in different stripes run in parallel
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
        self._building: dict[str, threading.Event] = {}
        self._failures: dict[str, Exception] = {}
        self.ready = threading.Event()  # cleared while the startup caches are built
        self.ready.set()
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
            root, self._root = self._root, None
            self._generation += 1
        if root is not None:
            try:
                root.close()
            except Exception:  # a warm-up query still running; the process is ending
                log.warning("the store connection was busy at shutdown", exc_info=True)

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
    def cached(self, key: str, build: Callable[[Store], T]) -> T:
        """The value of ``key`` for the current store, built once (per-key lock)."""
        store = self.store()
        current = self._fingerprint
        hit = self._values.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]  # type: ignore[no-any-return]
        with self._key_lock(key):
            hit = self._values.get(key)
            if hit is not None and hit[0] == current:
                return hit[1]  # type: ignore[no-any-return]
            value = build(store)
            self._values[key] = (current, value)
            return value

    def soon(self, key: str, build: Callable[[Store], T], *, wait: float) -> T | None:
        """The value of ``key`` without blocking for long: a value built for an older store
        is returned while a background thread rebuilds it; with none at all, the build
        starts in the background and this waits up to ``wait`` seconds, then gives None."""
        self.store()
        current = self._fingerprint
        hit = self._values.get(key)
        if hit is not None:
            if hit[0] != current:
                self._build_later(key, build)
            return hit[1]  # type: ignore[no-any-return]
        self._build_later(key, build).wait(wait)
        hit = self._values.get(key)
        if hit is None and key in self._failures:
            raise self._failures[key]
        return None if hit is None else hit[1]  # type: ignore[no-any-return]

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def _build_later(self, key: str, build: Callable[[Store], Any]) -> threading.Event:
        with self._lock:
            running = self._building.get(key)
            if running is not None:
                return running
            done = self._building[key] = threading.Event()

        def work() -> None:
            try:
                fingerprint = self._fingerprint
                value = build(self.store())
                self._values[key] = (fingerprint, value)
                self._failures.pop(key, None)
            except Exception as exc:  # logged, and raised to the next reader
                log.exception("building the %s cache failed", key)
                self._failures[key] = exc
            finally:
                with self._lock:
                    self._building.pop(key, None)
                done.set()

        threading.Thread(target=work, name=f"dyadwatch-cache-{key}", daemon=True).start()
        return done

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
        """A small least-recently-used cache (explorer pages and counts) for this store;
        concurrent requests for one missing key wait for a single build."""
        store = self.store()
        current = self._fingerprint
        hit = self._lru_get(key, current)
        if hit is not None:
            return hit[1]  # type: ignore[no-any-return]
        with self._key_lock(f"lru:{hash(key) % LOCK_STRIPES}"):
            hit = self._lru_get(key, current)
            if hit is not None:
                return hit[1]  # type: ignore[no-any-return]
            value = build(store)
            with self._lock:
                self._lru[key] = (current, value)
                while len(self._lru) > LRU_SIZE:
                    self._lru.popitem(last=False)
            return value

    def peek(self, key: Any) -> Any:
        """The LRU value of ``key`` for this store if there is one, else None."""
        hit = self._lru_get(key, self._fingerprint)
        return None if hit is None else hit[1]

    def _lru_get(self, key: Any, current: Fingerprint | None) -> tuple[Any, Any] | None:
        with self._lock:
            hit = self._lru.get(key)
            if hit is not None and hit[0] == current:
                self._lru.move_to_end(key)
                return hit
        return None

    def warm(
        self, builders: dict[str, Callable[[Store], Any]], *, essential: int
    ) -> threading.Thread:
        """Build the given caches one after the other in a background thread (at startup);
        :attr:`ready` is set once the first ``essential`` of them are built."""

        def work() -> None:
            for i, (key, build) in enumerate(builders.items()):
                if i == essential:
                    self.ready.set()
                self._build_later(key, build).wait()
            self.ready.set()

        self.ready.clear()
        thread = threading.Thread(target=work, name="dyadwatch-warm", daemon=True)
        thread.start()
        return thread
