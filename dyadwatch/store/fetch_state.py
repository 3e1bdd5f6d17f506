"""What ``dyadwatch update`` remembers of each URL it fetched: the ``fetch_state`` table.

One row per (source, URL): the server's ETag and Last-Modified, and the sha256 and size
of the bytes, as they were when the file's ingest last committed. The next update sends
the validators back (a conditional request) and skips a file that did not change.

Save a row only after the file's ingest has committed (see
:mod:`dyadwatch.ingest.update_files`): a crash in between leaves the old row, so the
next update fetches the file again, and the ingest's own sha256 check makes that harmless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dyadwatch.store.connection import Store

_COLUMNS = "source, url, etag, last_modified, sha256, bytes, fetched_at"


@dataclass(frozen=True, slots=True)
class FetchState:
    """The validators of one fetched URL, and when they were stored."""

    source: str
    url: str
    etag: str | None
    last_modified: str | None
    sha256: str | None
    bytes: int | None
    fetched_at: dt.datetime | None = None


def get_state(store: Store, source: str, url: str) -> FetchState | None:
    """The stored validators of ``url`` for ``source``, if it was ever fetched."""
    rows = store.execute(
        f"SELECT {_COLUMNS} FROM fetch_state WHERE source = ? AND url = ?", [source, url]
    )
    return FetchState(*rows[0]) if rows else None


def source_states(store: Store, source: str) -> list[FetchState]:
    """Every URL fetched for ``source``, the most recently stored first."""
    rows = store.execute(
        f"SELECT {_COLUMNS} FROM fetch_state WHERE source = ? ORDER BY fetched_at DESC, url",
        [source],
    )
    return [FetchState(*row) for row in rows]


def save_state(store: Store, state: FetchState) -> None:
    """Insert or replace the validators of one URL, stamped with the current time."""
    store.execute(
        f"INSERT OR REPLACE INTO fetch_state ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, now())",
        [state.source, state.url, state.etag, state.last_modified, state.sha256, state.bytes],
    )
