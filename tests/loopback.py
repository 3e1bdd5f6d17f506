"""A loopback HTTP server for tests of everything that fetches: real files, served locally.

Tests never reach the internet. They serve REAL files from ``../shared/data`` (or real
bytes they took from them) on 127.0.0.1, and point the fetchers' URL settings there.

The API (a test module makes its fixture from the context manager, as ruff flags an
imported fixture that a test's argument shadows; ``loopback`` below is that fixture)::

    @pytest.fixture
    def loopback() -> Iterator[Loopback]:
        with Loopback() as server:
            yield server

    def test_x(loopback: Loopback) -> None:
        url = loopback.serve("/cbp/encounters.csv", real_bytes)    # -> the full URL
        url = loopback.serve_file("/fred/IMPMX.csv", SHARED / "...")
        loopback.fail("/cbp/encounters.csv", status=503, times=1)   # then it answers again
        loopback.cut("/cbp/encounters.csv", times=1)  # send half the body, then hang up
        ...fetch...
        loopback.hits("/cbp/encounters.csv")        # requests of that path, oldest first
        loopback.hits("/cbp/encounters.csv")[-1].status  # e.g. 304

Each served path answers GET and HEAD with:

- ``ETag`` (a quoted hash of the bytes, or one given) and ``Last-Modified`` (a fixed time,
  or one given); ``validators=False`` sends neither;
- 304 to ``If-None-Match`` naming the ETag, or (without If-None-Match) to an
  ``If-Modified-Since`` not older than Last-Modified;
- 206 to ``Range: bytes=N-`` (or ``N-M``), with ``If-Range`` honoured (a validator that no
  longer matches gets the whole file with 200); ``ranges=False`` ignores Range;
- ``Content-Length``, unless ``length=False`` (the body then ends when the connection
  closes, as HTTP/1.0 allows; a ``cut`` body then looks complete to the client);
- 404 for a path not served.

Serving new bytes on a path (``serve`` again) changes its ETag and, unless given, moves
its Last-Modified one day on, as a server does when a file is replaced.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIRST_MODIFIED = 1_748_736_000  # 2025-06-01T00:00:00Z: a fixed time, so tests repeat
DAY = 86_400
_RANGE = re.compile(r"bytes=(\d+)-(\d*)$")


@dataclass
class Resource:
    """One served path: its bytes, validators and behaviour."""

    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str = "application/octet-stream"
    ranges: bool = True
    length: bool = True
    failures: list[int] = field(default_factory=list)  # statuses to answer first, in order
    cuts: int = 0  # how many of the next full answers stop halfway


@dataclass(frozen=True, slots=True)
class Hit:
    """A request the server answered."""

    method: str
    path: str
    headers: dict[str, str]
    status: int

    def header(self, name: str) -> str | None:
        """A request header, whatever its case."""
        lowered = {k.lower(): v for k, v in self.headers.items()}
        return lowered.get(name.lower())


class Loopback:
    """A ThreadingHTTPServer on 127.0.0.1 on a free port, in a thread; see the module doc."""

    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        self._versions: dict[str, int] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.loopback = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Loopback:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this server."""
        return self.base + path

    def serve(
        self,
        path: str,
        body: bytes,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        content_type: str = "application/octet-stream",
        validators: bool = True,
        ranges: bool = True,
        length: bool = True,
    ) -> str:
        """Serve ``body`` at ``path`` (replacing what was there); returns its URL."""
        with self._lock:
            version = self._versions.get(path, -1) + 1
            self._versions[path] = version
            if validators:
                etag = etag or '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                last_modified = last_modified or email.utils.formatdate(
                    FIRST_MODIFIED + version * DAY, usegmt=True
                )
            self.resources[path] = Resource(
                body,
                etag if validators else None,
                last_modified if validators else None,
                content_type,
                ranges,
                length,
            )
        return self.url(path)

    def serve_file(self, path: str, file: Path, **options: object) -> str:
        """Serve the bytes of a file on disk at ``path``; returns its URL."""
        return self.serve(path, Path(file).read_bytes(), **options)  # type: ignore[arg-type]

    def fail(self, path: str, *, status: int = 503, times: int = 1) -> None:
        """Answer the next ``times`` requests of ``path`` with ``status``, then serve it."""
        with self._lock:
            self.resources[path].failures.extend([status] * times)

    def cut(self, path: str, *, times: int = 1) -> None:
        """Send only the first half of the next ``times`` bodies of ``path``, then close."""
        with self._lock:
            self.resources[path].cuts += times

    def hits(self, path: str | None = None) -> list[Hit]:
        """The requests answered (of ``path`` when given), oldest first."""
        with self._lock:
            return [hit for hit in self.log if path is None or hit.path == path]

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self.log.append(hit)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; a body may end at close

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        server: Loopback = self.server.loopback  # type: ignore[attr-defined]
        path = self.path if self.path in server.resources else self.path.split("?", 1)[0]
        resource = server.resources.get(path)
        status = self._status(resource)
        server._record(Hit(self.command, path, dict(self.headers.items()), status))
        if resource is None or status in (304, 404) or status >= 500:
            self._bare(status, resource)
            return
        start, end = self._span(resource) if status == 206 else (0, len(resource.body) - 1)
        body = resource.body[start : end + 1]
        self.send_response(status)
        self._validators(resource)
        self.send_header("Content-Type", resource.content_type)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(resource.body)}")
        if resource.length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not send_body:
            return
        if self._take_cut(server, resource):
            body = body[: len(body) // 2]
        self.wfile.write(body)

    def _status(self, resource: Resource | None) -> int:
        if resource is None:
            return 404
        if resource.failures:
            return resource.failures.pop(0)
        if self._not_modified(resource):
            return 304
        if resource.ranges and self._span(resource) is not None and self._if_range_holds(resource):
            return 206
        return 200

    def _not_modified(self, resource: Resource) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            return resource.etag is not None and resource.etag in [
                tag.strip() for tag in match.split(",")
            ]
        since = self.headers.get("If-Modified-Since")
        if since is None or resource.last_modified is None:
            return False
        asked, modified = _http_date(since), _http_date(resource.last_modified)
        return asked is not None and modified is not None and modified <= asked

    def _if_range_holds(self, resource: Resource) -> bool:
        validator = self.headers.get("If-Range")
        return validator is None or validator in (resource.etag, resource.last_modified)

    def _span(self, resource: Resource) -> tuple[int, int] | None:
        match = _RANGE.match(self.headers.get("Range", ""))
        if not match or int(match.group(1)) >= len(resource.body):
            return None
        last = int(match.group(2)) if match.group(2) else len(resource.body) - 1
        return int(match.group(1)), min(last, len(resource.body) - 1)

    def _validators(self, resource: Resource) -> None:
        if resource.etag:
            self.send_header("ETag", resource.etag)
        if resource.last_modified:
            self.send_header("Last-Modified", resource.last_modified)

    def _bare(self, status: int, resource: Resource | None) -> None:
        self.send_response(status)
        if status == 304 and resource is not None:
            self._validators(resource)
        self.send_header("Content-Length", "0")
        self.end_headers()

    @staticmethod
    def _take_cut(server: Loopback, resource: Resource) -> bool:
        with server._lock:
            if resource.cuts:
                resource.cuts -= 1
                return True
        return False

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _http_date(text: str) -> dt.datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
