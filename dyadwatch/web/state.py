"""What the app holds between requests (on ``app.state``): the readers' copy of the store,
a cursor per worker thread, and caches that belong to one version of that copy.

How it stays fresh, in four rules:

1. The app reads only the readers' copy (:func:`dyadwatch.store.open_reader`), which a
   writer (``dyadwatch update``, ``ingest``, …) replaces by an atomic rename. The app
   never locks the store, so writers never wait for it.
2. At most every ``settings.web_cache_seconds`` a request looks at the copy's file
   identity (inode, size, modification time). When it changed, the new copy is opened;
   each thread moves its cursor to it at its next request, and the old connection is
   closed a minute later, when no request can still be using it.
3. Every cached value is stored with the :class:`Fingerprint` of the copy it was built
   from, and is rebuilt for a newer one: :meth:`cached` builds it in the request;
   :meth:`soon` (the slow analysis: verdicts, alerts) and :meth:`lru` (the explorer's
   many small values) return the value of the older copy while one rebuild runs in the
   app's small thread pool, so readers do not wait for the burst of rebuilds.
4. A rebuild that fails is logged and forgotten; the next request that wants the value
   starts another. Nothing stores an exception for later readers.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from cachetools import LRUCache

from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_reader, reader_path
from dyadwatch.store.explore import Fingerprint, store_fingerprint

T = TypeVar("T")
LRU_SIZE = 1024
BUILDERS = 2  # threads that rebuild slow caches in the background
RETIRE_SECONDS = 60.0  # an old connection is closed this long after a newer copy opened
log = logging.getLogger("dyadwatch.web")

FileIdentity = tuple[int, int, int]  # inode, size, modification time (ns)
Save = Callable[[Any, Any, Any], None]  # (fingerprint, value, key): where a rebuild goes


class WebState:
    """The readers' connection and the caches of one app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._local = threading.local()
        self._root: Store | None = None
        self._identity: FileIdentity | None = None
        self._fingerprint: Fingerprint | None = None
        self._generation = 0
        self._checked = 0.0
        self._retired: list[tuple[float, Store]] = []
        self._values: dict[str, tuple[Fingerprint | None, Any]] = {}
        self._lru: LRUCache[Any, tuple[Fingerprint | None, Any]] = LRUCache(LRU_SIZE)
        self._derived: dict[str, tuple[tuple[Any, ...], Any]] = {}
        self._key_locks: dict[Any, threading.Lock] = {}
        self._pending: dict[Any, Future[Any]] = {}
        self._pool: ThreadPoolExecutor | None = None  # made at the first rebuild
        self.ready = threading.Event()  # cleared while the startup caches are built
        self.ready.set()

    # -- the store -----------------------------------------------------------------
    def store(self) -> Store:
        """This thread's cursor on the current readers' copy."""
        self.refresh()
        local = self._local
        if getattr(local, "generation", None) != self._generation:
            old = getattr(local, "store", None)
            with self._lock:
                root, generation = self._root, self._generation
            assert root is not None
            local.store, local.generation = root.cursor(), generation
            if old is not None:
                old.close()
        return local.store  # type: ignore[no-any-return]

    @property
    def fingerprint(self) -> Fingerprint | None:
        return self._fingerprint

    def refresh(self, *, force: bool = False) -> None:
        """Open the readers' copy again if it was replaced since the last look (which is
        at most every ``web_cache_seconds``, or now with ``force``)."""
        now = time.monotonic()
        due = force or self._root is None or now - self._checked >= self.settings.web_cache_seconds
        if not due:
            return
        with self._lock:
            self._checked = now
            identity = self._copy_identity()
            if self._root is not None and identity == self._identity:
                return
            root = open_reader(self.settings.db)
            cursor = root.cursor()
            try:
                fingerprint = store_fingerprint(cursor)
            finally:
                cursor.close()
            if self._root is not None:
                self._retired.append((now, self._root))
            self._root, self._identity = root, self._copy_identity()
            self._fingerprint, self._generation = fingerprint, self._generation + 1
            self._close_retired(now)
        log.info("reading %s (%s)", root.path, fingerprint)

    def _copy_identity(self) -> FileIdentity | None:
        try:
            stat = os.stat(reader_path(self.settings.db))
        except OSError:
            return None
        return stat.st_ino, stat.st_size, stat.st_mtime_ns

    def _close_retired(self, now: float) -> None:
        keep = []
        for retired_at, old in self._retired:
            if now - retired_at < RETIRE_SECONDS:
                keep.append((retired_at, old))
            else:
                old.close()
        self._retired = keep

    def close(self) -> None:
        """Stop the rebuilds and close every connection (at shutdown). The state can be
        used again afterwards: it reopens what it needs."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._pending.clear()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            roots = [old for _, old in self._retired]
            if self._root is not None:
                roots.append(self._root)
            self._root, self._retired, self._identity = None, [], None
            self._generation += 1
        for root in roots:
            try:
                root.close()
            except Exception:  # a rebuild still running; the process is ending
                log.warning("a store connection was busy at shutdown", exc_info=True)

    # -- caches ----------------------------------------------------------------------
    def cached(self, key: str, build: Callable[[Store], T]) -> T:
        """The value of ``key`` for the current copy, built in this request if needed
        (once: concurrent requests for it wait for one build)."""
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
        """The value of ``key`` without blocking for long. When it was built for an older
        copy, that value is returned while one rebuild runs in the background; when there
        is none at all, this waits up to ``wait`` seconds for the build and gives None
        if it is not done. A failed build raises here only to the caller that waited
        for it."""
        self.store()
        current = self._fingerprint
        hit = self._values.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]  # type: ignore[no-any-return]
        future = self._rebuild(key, build)
        if hit is not None:
            return hit[1]  # type: ignore[no-any-return]
        try:
            return future.result(timeout=wait)  # type: ignore[no-any-return]
        except FutureTimeout:
            return None

    def _rebuild(
        self, key: Any, build: Callable[[Store], Any], save: Save | None = None
    ) -> Future[Any]:
        """The one running rebuild of ``key``, started if there is none; its value goes
        to ``save(fingerprint, value)``, by default into the values of :meth:`cached`."""
        with self._lock:
            running = self._pending.get(key)
            if running is not None:
                return running
            work = self._executor().submit(self._build, key, build, save or self._save)
            self._pending[key] = work
        work.add_done_callback(lambda done: self._finished(key, done))
        return work

    def _build(self, key: Any, build: Callable[[Store], Any], save: Save) -> Any:
        store = self.store()
        fingerprint = self._fingerprint
        value = build(store)
        save(fingerprint, value, key)
        return value

    def _save(self, fingerprint: Fingerprint | None, value: Any, key: Any) -> None:
        self._values[key] = (fingerprint, value)

    def _finished(self, key: Any, future: Future[Any]) -> None:
        with self._lock:
            self._pending.pop(key, None)
        if not future.cancelled() and future.exception() is not None:
            closing = self._pool is None  # the app shut down under a running rebuild
            log.log(
                logging.DEBUG if closing else logging.ERROR,
                "building the %s cache failed",
                key,
                exc_info=future.exception(),
            )

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
        """The explorer's pages and counts: a least-recently-used cache. A value built
        for an older copy is returned while one rebuild runs in the pool (new events
        show a few seconds later, and readers never wait for the burst of rebuilds a new
        copy brings); a missing one is built in the request, once for concurrent ones."""
        store = self.store()
        current = self._fingerprint
        with self._lock:
            hit = self._lru.get(key)
        if hit is not None:
            if hit[0] != current:
                self._rebuild(("lru", key), build, lambda f, v, _: self._lru_put(key, f, v))
            return hit[1]  # type: ignore[no-any-return]
        with self._key_lock(("lru", key)):
            hit = self._lru.get(key)
            if hit is not None:
                return hit[1]  # type: ignore[no-any-return]
            value = build(store)
            self._lru_put(key, current, value)
            return value

    def _lru_put(self, key: Any, fingerprint: Fingerprint | None, value: Any) -> None:
        with self._lock:
            self._lru[key] = (fingerprint, value)

    def peek(self, key: Any) -> Any:
        """The LRU value of ``key`` for this copy if there is one, else None."""
        with self._lock:
            hit = self._lru.get(key)
        return hit[1] if hit is not None and hit[0] == self._fingerprint else None

    def _key_lock(self, key: Any) -> threading.Lock:
        with self._lock:
            if len(self._key_locks) > 4 * LRU_SIZE:
                self._key_locks.clear()  # locks of long-evicted keys; held ones are kept by holders
            return self._key_locks.setdefault(key, threading.Lock())

    def warm(self, builders: dict[str, Callable[[Store], Any]]) -> Future[None]:
        """Build the given caches one after the other in the pool (at startup);
        :attr:`ready` is set when they are built (or failed, which is logged)."""

        def work() -> None:
            try:
                for key, build in builders.items():
                    try:
                        self._rebuild(key, build).result()
                    except Exception:  # logged by _finished; the next request retries
                        continue
            finally:
                self.ready.set()

        self.ready.clear()
        with self._lock:
            return self._executor().submit(work)

    def _executor(self) -> ThreadPoolExecutor:
        """The pool of rebuilds (call with the lock held)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(BUILDERS, thread_name_prefix="dyadwatch-cache")
        return self._pool
