"""Downloads that verify, retry and resume, over an injected ``httpx.Client``.

Two entry points share the retry, resume and streaming machinery below:

- :func:`download` fetches a file whose size and MD5 a file list gives (GDELT);
- :func:`fetch_if_changed` fetches a file only when it changed since the copy last
  ingested (conditional requests), under a size limit, for ``dyadwatch update``.

:func:`download` streams a URL into ``DEST.part``. An interrupted download leaves the
part behind, and the next attempt (or the next run) asks only for the missing bytes
with ``Range: bytes=N-``; a server that ignores the range and answers 200 makes it
start again from zero. When the bytes are all there, their size and MD5 are checked
against the file list and the part is renamed to ``DEST`` atomically.

Connection errors, incomplete reads, timeouts and 5xx/429 answers are retried with
exponential backoff (the ``sleep`` callable is injected, so tests do not wait). A 404,
another 4xx, or a checksum mismatch of a fresh download are not retried. A mismatch
after a resume is, from zero: the old part may have come from an older copy of the file.

:func:`fetch_if_changed` sends the stored ETag and Last-Modified back as
``If-None-Match`` and ``If-Modified-Since``; a 304 means nothing to do. Otherwise the body
streams into ``DEST.part``, is counted against ``max_bytes`` (the announced length first,
then the bytes as they come), and is renamed to ``DEST`` when complete. It has no checksum
to verify a resumed part against, so it resumes only with ``If-Range`` naming the validator
of the response the part came from (kept beside the part in ``DEST.part.validator``): a
server whose file changed meanwhile answers 200 with the whole new file, and the part is
started again. A part without a usable validator is started again too. The sha256 of the
bytes is returned; when it equals the stored one (a server without validators), the file
is reported as ``same_bytes`` and deleted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

import httpx

from dyadwatch.errors import ChecksumError, FetchError, RemoteNotFoundError, SizeLimitError
from dyadwatch.sources.files import sha256_file

Sleep = Callable[[float], None]
OnBytes = Callable[[int, int | None], None]  # (bytes so far, expected total or None)

BACKOFF = 1.0  # seconds before the first retry; doubled for each further one
MAX_DELAY = 60.0
_RETRY_STATUS = frozenset({408, 425, 429})
_CONTENT_RANGE = re.compile(r"bytes (\d+)-\d+/(\d+|\*)")
_LIST_HINT = (
    "The file list names a file the server does not have: check --base-url, or try later "
    "if the file is new."
)
_URL_HINT = "Check the URL setting, or try later if the file is not published yet."
T = TypeVar("T")


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

    def once() -> None:
        resumed = _attempt(client, url, part, size=size, on_bytes=on_bytes)
        _verify(part, url, dest, size=size, md5=md5, resumed=resumed)

    _retrying(url, once, retries=retries, sleep=sleep, backoff=backoff)
    part.replace(dest)
    return dest


def _retrying(
    url: str, attempt: Callable[[], T], *, retries: int, sleep: Sleep, backoff: float
) -> T:
    """``attempt()`` until it does not raise :class:`_Transient`, with growing delays."""
    failure: _Transient | None = None
    for number in range(retries + 1):
        if number:
            sleep(min(backoff * 2 ** (number - 1), MAX_DELAY))
        try:
            return attempt()
        except _Transient as exc:
            failure = exc
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


def _start(
    response: httpx.Response, url: str, part: Path, offset: int, *, hint: str = _LIST_HINT
) -> int:
    """The offset the response body starts at, or an error for a failed answer."""
    status = response.status_code
    if status == 206:
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if match and int(match.group(1)) == offset:
            return offset
        _discard(part)
        raise _Transient(f"HTTP 206 for another range than bytes={offset}-; starting over")
    if status == 200:
        return 0  # a server that ignores Range sends the whole file: start over
    if status == 416:
        _discard(part)
        raise _Transient("HTTP 416: the partial download is longer than the file; starting over")
    if status >= 500 or status in _RETRY_STATUS:
        raise _Transient(f"HTTP {status}")
    if status in (404, 410):
        raise RemoteNotFoundError(f"{url}: not found (HTTP {status}). {hint}")
    raise FetchError(f"{url}: HTTP {status} {response.reason_phrase}. Check the URL and access.")


def _write(
    response: httpx.Response,
    part: Path,
    *,
    offset: int,
    size: int | None,
    on_bytes: OnBytes | None,
    limit: int | None = None,
    url: str = "",
) -> None:
    length = response.headers.get("Content-Length")
    total = size if size is not None else offset + int(length) if length else None
    done = offset
    with part.open("ab" if offset else "wb") as out:
        for chunk in response.iter_bytes():  # as received: a chunk size would buffer
            out.write(chunk)
            done += len(chunk)
            if limit is not None and done > limit:
                out.close()
                _discard(part)
                raise _too_large(url, f"more than {limit:,} bytes arrived", limit)
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


def _discard(part: Path) -> None:
    """Delete a part and the validator it would resume with."""
    part.unlink(missing_ok=True)
    _validator_path(part).unlink(missing_ok=True)


# -- conditional fetches ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Validators:
    """What is known of the copy last ingested: the server's ETag and Last-Modified (sent
    back as ``If-None-Match`` and ``If-Modified-Since``) and the sha256 of its bytes."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers these validators allow."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


FetchStatus = Literal["fetched", "not_modified", "same_bytes"]


@dataclass(frozen=True, slots=True)
class Fetched:
    """What :func:`fetch_if_changed` did. ``status`` is ``fetched`` (new bytes are at
    ``path``), ``not_modified`` (HTTP 304) or ``same_bytes`` (200 with the bytes already
    ingested; nothing is kept). The validators are the server's latest, to be stored once
    the file's ingest has committed; ``size`` is the file's size in bytes when fetched."""

    url: str
    status: FetchStatus
    path: Path | None
    etag: str | None
    last_modified: str | None
    sha256: str | None
    size: int | None

    @property
    def changed(self) -> bool:
        """True when new bytes were fetched."""
        return self.status == "fetched"

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified, self.sha256)


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    etag: str | None
    last_modified: str | None


def fetch_if_changed(
    client: httpx.Client,
    url: str,
    dest: Path,
    *,
    validators: Validators | None,
    max_bytes: int,
    retries: int,
    sleep: Sleep,
    on_bytes: OnBytes | None = None,
    backoff: float = BACKOFF,
) -> Fetched:
    """Fetch ``url`` to ``dest`` unless it is unchanged since ``validators``; see the module
    docstring. Raises :class:`RemoteNotFoundError` (404, 410: not retried),
    :class:`SizeLimitError` (over ``max_bytes``: not retried) or :class:`FetchError`
    (another 4xx, or retries exhausted)."""
    dest = Path(dest)
    part = part_path(dest)
    known = validators or Validators()
    answer = _retrying(
        url,
        lambda: _conditional_attempt(client, url, part, known, max_bytes, on_bytes),
        retries=retries,
        sleep=sleep,
        backoff=backoff,
    )
    etag = answer.etag or known.etag
    last_modified = answer.last_modified or known.last_modified
    if answer.status == 304:
        return Fetched(url, "not_modified", None, etag, last_modified, known.sha256, None)
    _validator_path(part).unlink(missing_ok=True)
    digest, size = sha256_file(part), part.stat().st_size
    if digest == known.sha256:
        part.unlink()
        return Fetched(url, "same_bytes", None, etag, last_modified, digest, size)
    part.replace(dest)
    return Fetched(url, "fetched", dest, etag, last_modified, digest, size)


def _conditional_attempt(
    client: httpx.Client,
    url: str,
    part: Path,
    known: Validators,
    max_bytes: int,
    on_bytes: OnBytes | None,
) -> _Answer:
    """One request: conditional when starting afresh, a ranged If-Range when resuming."""
    offset, resume_with = _resumable(part)
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers |= {"Range": f"bytes={offset}-", "If-Range": resume_with}
    else:
        headers |= known.headers()
    try:
        with client.stream("GET", url, headers=headers) as response:
            answer = _Answer(
                response.status_code,
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
            if response.status_code == 304:
                return answer
            offset = _start(response, url, part, offset, hint=_URL_HINT)
            _check_announced(response, url, part, offset=offset, max_bytes=max_bytes)
            _remember_validator(part, answer)
            _write(
                response,
                part,
                offset=offset,
                size=None,
                on_bytes=on_bytes,
                limit=max_bytes,
                url=url,
            )
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(f"{url}: {exc}. Use an http:// or https:// URL.") from exc
    except httpx.TransportError as exc:
        raise _Transient(f"{type(exc).__name__}: {exc}") from exc
    return answer


def _resumable(part: Path) -> tuple[int, str]:
    """The part's size and the validator to resume it with; (0, "") to start afresh."""
    if not part.exists():
        return 0, ""
    sidecar = _validator_path(part)
    validator = sidecar.read_text(encoding="utf-8").strip() if sidecar.exists() else ""
    size = part.stat().st_size
    if not validator or not size:
        _discard(part)
        return 0, ""
    return size, validator


def _remember_validator(part: Path, answer: _Answer) -> None:
    """Keep the validator a later resume of this body may use with If-Range: a strong
    ETag, else Last-Modified; none when the server gave neither."""
    strong = answer.etag if answer.etag and not answer.etag.startswith("W/") else None
    validator = strong or answer.last_modified
    sidecar = _validator_path(part)
    if validator:
        sidecar.write_text(validator, encoding="utf-8")
    else:
        sidecar.unlink(missing_ok=True)


def _check_announced(
    response: httpx.Response, url: str, part: Path, *, offset: int, max_bytes: int
) -> None:
    """Refuse a body whose announced size is over the limit, before reading it."""
    total: int | None = None
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
    if match and match.group(2) != "*":
        total = int(match.group(2))
    elif (length := response.headers.get("Content-Length", "")).isdigit():
        total = offset + int(length)
    if total is not None and total > max_bytes:
        _discard(part)
        raise _too_large(url, f"the server announces {total:,} bytes", max_bytes)


def _too_large(url: str, what: str, limit: int) -> SizeLimitError:
    return SizeLimitError(
        f"{url}: {what}, over the limit of {limit:,} bytes. If the file really grew, raise "
        "DYADWATCH_UPDATE_MAX_BYTES; otherwise check the URL setting."
    )


def _validator_path(part: Path) -> Path:
    return part.with_name(part.name + ".validator")
