"""Downloads that verify, retry and resume, over an injected ``httpx.Client``.

:func:`download` streams a URL into ``DEST.part``. An interrupted download leaves the
part behind, and the next attempt (or the next run) asks only for the missing bytes
with ``Range: bytes=N-``; a server that ignores the range and answers 200 makes it
start again from zero. When the bytes are all there, their size and MD5 are checked
against the file list and the part is renamed to ``DEST`` atomically.

Connection errors, incomplete reads, timeouts and 5xx/429 answers are retried with
exponential backoff (the ``sleep`` callable is injected, so tests do not wait). A 404,
another 4xx, or a checksum mismatch of a fresh download are not retried. A mismatch
after a resume is, from zero: the old part may have come from an older copy of the file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import httpx

from dyadwatch.errors import ChecksumError, FetchError

Sleep = Callable[[float], None]
OnBytes = Callable[[int, int | None], None]  # (bytes so far, expected total or None)

BACKOFF = 1.0  # seconds before the first retry; doubled for each further one
MAX_DELAY = 60.0
_RETRY_STATUS = frozenset({408, 425, 429})
_CONTENT_RANGE = re.compile(r"bytes (\d+)-\d+/(?:\d+|\*)")


class _Transient(Exception):
    """A failure worth another attempt; never escapes this module."""


def part_path(dest: Path) -> Path:
    """Where the bytes of ``dest`` gather until they are verified."""
    return dest.with_suffix(dest.suffix + ".part")


def download(
    client: httpx.Client,
    url: str,
    dest: Path,
    *,
    size: int | None,
    md5: str | None,
    retries: int,
    sleep: Sleep,
    on_bytes: OnBytes | None = None,
    backoff: float = BACKOFF,
) -> Path:
    """Download ``url`` to ``dest``, resuming, retrying and verifying; see the module doc.

    A ``dest`` that already exists with the expected size and MD5 is kept as it is.
    Raises :class:`FetchError` (404, other 4xx, retries exhausted) or
    :class:`ChecksumError`.
    """
    dest = Path(dest)
    if dest.exists() and (size is not None or md5 is not None) and _matches(dest, size, md5):
        return dest
    part = part_path(dest)
    failure: _Transient | None = None
    for attempt in range(retries + 1):
        if attempt:
            sleep(min(backoff * 2 ** (attempt - 1), MAX_DELAY))
        try:
            resumed = _attempt(client, url, part, size=size, on_bytes=on_bytes)
            _verify(part, url, dest, size=size, md5=md5, resumed=resumed)
        except _Transient as exc:
            failure = exc
            continue
        part.replace(dest)
        return dest
    raise FetchError(
        f"{url}: failed after {retries + 1} attempts (last: {failure}). Check the network or "
        "the mirror and run again: the partial download is kept and will resume "
        "(more attempts: DYADWATCH_HTTP_RETRIES)."
    )


def _attempt(
    client: httpx.Client, url: str, part: Path, *, size: int | None, on_bytes: OnBytes | None
) -> bool:
    """Fetch the missing bytes into ``part``; True when it continued an earlier part."""
    offset = part.stat().st_size if part.exists() else 0
    if size is not None and offset > size:
        part.unlink()
        offset = 0
    if size is not None and offset == size and offset:
        return True  # complete but unverified: a run was stopped before the rename
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        with client.stream("GET", url, headers=headers) as response:
            offset = _start(response, url, part, offset)
            _write(response, part, offset=offset, size=size, on_bytes=on_bytes)
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(f"{url}: {exc}. Use an http:// or https:// URL.") from exc
    except httpx.TransportError as exc:
        raise _Transient(f"{type(exc).__name__}: {exc}") from exc
    return offset > 0


def _start(response: httpx.Response, url: str, part: Path, offset: int) -> int:
    """The offset the response body starts at, or an error for a failed answer."""
    status = response.status_code
    if status == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if match and int(match.group(1)) == offset:
            return offset
        part.unlink(missing_ok=True)
        raise _Transient(f"HTTP 206 for another range than bytes={offset}-; starting over")
    if status == 200:
        return 0  # a server that ignores Range sends the whole file: start over
    if status == 416:
        part.unlink(missing_ok=True)
        raise _Transient("HTTP 416: the partial download is longer than the file; starting over")
    if status >= 500 or status in _RETRY_STATUS:
        raise _Transient(f"HTTP {status}")
    if status in (404, 410):
        raise FetchError(
            f"{url}: not found (HTTP {status}). The file list names a file the server does "
            "not have: check --base-url, or try later if the file is new."
        )
    raise FetchError(f"{url}: HTTP {status} {response.reason_phrase}. Check the URL and access.")


def _write(
    response: httpx.Response,
    part: Path,
    *,
    offset: int,
    size: int | None,
    on_bytes: OnBytes | None,
) -> None:
    length = response.headers.get("Content-Length")
    total = size if size is not None else offset + int(length) if length else None
    done = offset
    with part.open("ab" if offset else "wb") as out:
        for chunk in response.iter_bytes():  # as received: a chunk size would buffer
            out.write(chunk)
            done += len(chunk)
            if on_bytes is not None:
                on_bytes(done, total)


def _verify(
    part: Path, url: str, dest: Path, *, size: int | None, md5: str | None, resumed: bool
) -> None:
    got_size = part.stat().st_size
    got_md5 = md5_file(part) if md5 is not None else None
    if (size is None or got_size == size) and (md5 is None or got_md5 == md5.lower()):
        return
    part.unlink()
    message = (
        f"{dest.name}: expected {size} bytes with MD5 {md5}, got {got_size} bytes with MD5 "
        f"{got_md5} from {url}. The bad download was deleted; run the sync again, and if it "
        "fails the same way the file list does not match the server's file (check --base-url)."
    )
    if resumed:
        raise _Transient(message)
    raise ChecksumError(message)


def _matches(path: Path, size: int | None, md5: str | None) -> bool:
    if size is not None and path.stat().st_size != size:
        return False
    return md5 is None or md5_file(path) == md5.lower()


def md5_file(path: Path) -> str:
    """The hex MD5 of a file's bytes (what GDELT's masterfilelist gives)."""
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
