"""The web app's state on a real store: it reads the readers' copy, notices a new one, and
serves the older copy's values while one rebuild runs; a failed rebuild is not kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.ingest import ingest_gdelt
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store
from dyadwatch.web.state import WebState

from conftest import GDELT2_EXPORT

COUNT = "SELECT count(*) FROM events"


@pytest.fixture
def web(tmp_path: Path) -> Iterator[WebState]:
    settings = Settings(db=tmp_path / "w.duckdb", web_cache_seconds=0)
    with open_store(settings.db) as store:
        ingest_gdelt(store, GDELT2_EXPORT, settings=settings, dyad_only=False)
    state = WebState(settings)
    yield state
    state.close()


def _delete_some(web: WebState) -> int:
    with open_store(web.settings.db) as writer:  # publishes a new copy when it closes
        writer.execute("DELETE FROM events WHERE source_record_id < '881991000'")
        return int(writer.scalar(COUNT))


def _eventually(check) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 30
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_the_explorer_cache_serves_the_older_copy_while_it_rebuilds(web: WebState) -> None:
    count = lambda store: store.scalar(COUNT)  # noqa: E731
    assert web.lru("n", count) == 2111
    left = _delete_some(web)
    assert web.lru("n", count) == 2111  # at once, from the older copy
    _eventually(lambda: web.lru("n", count) == left)


def test_the_slow_cache_waits_a_little_the_first_time_then_serves_stale(web: WebState) -> None:
    release = threading.Event()

    def slow(store: Store) -> int:
        release.wait(10)
        return int(store.scalar(COUNT))

    assert web.soon("slow", slow, wait=0.05) is None  # not built yet: the page says so
    release.set()
    _eventually(lambda: web.soon("slow", slow, wait=0.05) == 2111)
    left = _delete_some(web)
    assert web.soon("slow", slow, wait=0.05) == 2111
    _eventually(lambda: web.soon("slow", slow, wait=0.05) == left)


def test_a_failed_rebuild_is_not_kept_for_later_readers(web: WebState) -> None:
    calls: list[int] = []

    def flaky(store: Store) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first build fails")
        return int(store.scalar(COUNT))

    with pytest.raises(RuntimeError, match="first build fails"):
        web.soon("flaky", flaky, wait=5)  # the reader that waited for it sees it
    _eventually(lambda: web.soon("flaky", flaky, wait=5) == 2111)  # the next one retries
    assert len(calls) == 2
