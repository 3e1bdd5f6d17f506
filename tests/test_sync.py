"""`sync gdelt` against a real loopback HTTP server serving real GDELT 2.0 rows.

The server answers Range requests, returns 404 for a file it does not have, and can
cut one response off halfway (so a resume is exercised). The retry rules of the
downloader are also unit-tested through ``httpx.MockTransport``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.errors import ChecksumError, FetchError
from dyadwatch.ingest.sync import SyncReport, sync_gdelt
from dyadwatch.settings import Settings
from dyadwatch.sources.fetch import download, md5_file, part_path
from dyadwatch.store import Store, open_store

from conftest import GDELT2_EXPORT, table_count

SINCE = dt.date(2019, 10, 24)
FIRST, SECOND = "20191024143000.export.CSV.zip", "20191024144500.export.CSV.zip"
BAD_MD5, MISSING = "20191025000000.export.CSV.zip", "20191025001500.export.CSV.zip"
NOT_EXPORTS = ("20191024143000.mentions.CSV.zip", "20191024143000.gkg.csv.zip")
UPSTREAM = "http://data.gdeltproject.org/gdeltv2"


def _fixture_lines() -> list[bytes]:
    return GDELT2_EXPORT.read_bytes().splitlines(keepends=True)


def _zipped(name: str, lines: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name.removesuffix(".zip"), b"".join(lines))
    return buffer.getvalue()


def _pairs(lines: list[bytes], a: str, b: str) -> int:
    """Rows whose Actor1CountryCode and Actor2CountryCode (columns 8, 18) are a and b."""
    fields = [line.rstrip(b"\n").decode().split("\t") for line in lines]
    return sum({f[7], f[17]} == {a, b} for f in fields)


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


@dataclass
class Mirror:
    """What the loopback server serves, and what it was asked for."""

    files: dict[str, bytes]
    listing: bytes = b""
    cut_once: set[str] = field(default_factory=set)
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Range)
    url: str = ""

    def asked(self, name: str) -> list[str | None]:
        return [rng for path, rng in self.requests if path.endswith("/" + name)]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        mirror: Mirror = self.server.mirror  # type: ignore[attr-defined]
        name, rng = self.path.rsplit("/", 1)[-1], self.headers.get("Range")
        mirror.requests.append((self.path, rng))
        body = mirror.listing if name == "masterfilelist.txt" else mirror.files.get(name)
        if body is None:
            self.send_error(404)
            return
        start = int(re.fullmatch(r"bytes=(\d+)-", rng).group(1)) if rng else 0  # type: ignore[union-attr]
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        if name in mirror.cut_once:  # promise the whole file, send half, hang up
            mirror.cut_once.discard(name)
            self.wfile.write(body[start : start + (len(body) - start) // 2])
            self.close_connection = True
            return
        self.wfile.write(body[start:])

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def archives() -> dict[str, bytes]:
    # Real rows of the one 2.0 export fixture, split into two files as GDELT names them.
    lines = _fixture_lines()
    return {FIRST: _zipped(FIRST, lines[:1100]), SECOND: _zipped(SECOND, lines[1100:])}


@pytest.fixture
def mirror(archives: dict[str, bytes]) -> Iterator[Mirror]:
    served = {**archives, BAD_MD5: archives[FIRST]}  # listed below with a wrong MD5
    entries = [(len(data), _md5(data), name) for name, data in archives.items()]
    entries += [(len(archives[FIRST]), "0" * 32, BAD_MD5), (1234, "1" * 32, MISSING)]
    entries += [(99, "2" * 32, name) for name in NOT_EXPORTS]
    listing = "".join(f"{size} {md5} {UPSTREAM}/{name}\n" for size, md5, name in entries)
    state = Mirror(served, listing=(listing + "a malformed line\n").encode())
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.mirror = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/mirror"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as opened:
        yield opened


@dataclass
class Rig:
    """A fresh store and cache, a client, the mirror, and the backoff delays slept."""

    store: Store
    settings: Settings
    client: httpx.Client
    mirror: Mirror
    sleeps: list[float] = field(default_factory=list)

    def sync(self, **options: Any) -> SyncReport:
        return sync_gdelt(
            self.store,
            settings=self.settings,
            client=self.client,
            since=SINCE,
            base_url=self.mirror.url,
            sleep=self.sleeps.append,
            **options,
        )


@pytest.fixture
def rig(store: Store, settings: Settings, client: httpx.Client, mirror: Mirror) -> Rig:
    return Rig(store, settings, client, mirror)


def _sum(report: SyncReport, key: str) -> int:
    return sum(getattr(r, key) for r in report.reports)


def test_first_sync_ingests_good_files_and_reports_the_bad(
    rig: Rig, archives: dict[str, bytes]
) -> None:
    mirror = rig.mirror
    mirror.cut_once.add(SECOND)
    report = rig.sync()
    assert report.listed == (FIRST, SECOND, BAD_MD5, MISSING)
    assert report.downloaded == (FIRST, SECOND) and report.skipped == ()
    failed = {f.name: f.reason for f in report.failed}
    assert set(failed) == {BAD_MD5, MISSING}
    assert "HTTP 404" in failed[MISSING] and f"{mirror.url}/{MISSING}" in failed[MISSING]
    assert "expected" in failed[BAD_MD5] and "0" * 32 in failed[BAD_MD5]
    assert "run the sync again" in failed[BAD_MD5]
    assert len(mirror.asked(MISSING)) == 1 and len(mirror.asked(BAD_MD5)) == 1  # not retried
    # The cut-off download was retried once, resuming where the bytes stopped.
    assert rig.sleeps == [1.0]
    assert mirror.asked(SECOND) == [None, f"bytes={len(archives[SECOND]) // 2}-"]
    assert [r.sha256 for r in report.reports] == [
        hashlib.sha256(archives[name]).hexdigest() for name in (FIRST, SECOND)
    ]
    # Only the mirror was asked, and only for exports; nothing is left in the cache.
    assert all(path.startswith("/mirror/") for path, _ in mirror.requests)
    assert not any(mirror.asked(name) for name in NOT_EXPORTS)
    assert list((rig.settings.cache_dir / "gdelt").iterdir()) == []


def test_dyad_filter_keeps_only_the_configured_pair(rig: Rig) -> None:
    lines = _fixture_lines()
    report = rig.sync()
    usa_mex = _pairs(lines, "USA", "MEX")  # this real 15 minutes of GDELT holds none
    assert _sum(report, "read") == len(lines) == 2111
    assert _sum(report, "loaded") == usa_mex == table_count(rig.store, "events")
    assert _sum(report, "filtered") == len(lines) - usa_mex


def test_dyad_filter_with_a_pair_present_in_the_rows(
    tmp_path: Path, client: httpx.Client, mirror: Mirror
) -> None:
    settings = Settings(db=tmp_path / "gu.duckdb", cache_dir=tmp_path / "c", dyad="GBR-USA")
    expected = _pairs(_fixture_lines(), "GBR", "USA")
    assert expected > 10
    with open_store(settings.db) as store:
        report = Rig(store, settings, client, mirror).sync()
        pairs = store.execute("SELECT DISTINCT source_country, target_country FROM events")
        assert _sum(report, "loaded") == expected == table_count(store, "events")
    assert {frozenset(pair) for pair in pairs} == {frozenset({"GBR", "USA"})}


def test_keep_all_keeps_every_row(rig: Rig) -> None:
    report = rig.sync(keep_all=True)
    assert _sum(report, "loaded") == table_count(rig.store, "events") == 2111
    assert _sum(report, "filtered") == _sum(report, "quarantined") == 0


def test_second_sync_downloads_nothing(rig: Rig) -> None:
    rig.sync()
    before = len(rig.mirror.asked(FIRST)), len(rig.mirror.asked(SECOND))
    again = rig.sync()
    assert again.downloaded == () and again.reports == ()
    assert again.skipped == (FIRST, SECOND)
    assert {f.name for f in again.failed} == {BAD_MD5, MISSING}  # still reported
    assert (len(rig.mirror.asked(FIRST)), len(rig.mirror.asked(SECOND))) == before
    assert rig.sleeps == []


def test_until_excludes_later_files(rig: Rig) -> None:
    report = rig.sync(until=SINCE)
    assert report.listed == report.downloaded == (FIRST, SECOND)
    assert report.failed == ()
    assert not rig.mirror.asked(BAD_MD5) and not rig.mirror.asked(MISSING)


def test_a_part_left_by_an_interrupted_run_is_resumed(rig: Rig, archives: dict[str, bytes]) -> None:
    third = len(archives[FIRST]) // 3
    folder = rig.settings.cache_dir / "gdelt"
    folder.mkdir(parents=True)
    part_path(folder / FIRST).write_bytes(archives[FIRST][:third])
    report = rig.sync(until=SINCE, keep_all=True)
    assert rig.mirror.asked(FIRST) == [f"bytes={third}-"]
    assert report.reports[0].sha256 == hashlib.sha256(archives[FIRST]).hexdigest()
    assert _sum(report, "loaded") == 2111


def test_cut_download_resumes_with_range_and_verifies(
    tmp_path: Path, client: httpx.Client, mirror: Mirror, archives: dict[str, bytes]
) -> None:
    mirror.cut_once.add(FIRST)
    data, dest, sleeps = archives[FIRST], tmp_path / FIRST, []
    seen: list[tuple[int, int | None]] = []
    download(
        client,
        f"{mirror.url}/{FIRST}",
        dest,
        size=len(data),
        md5=_md5(data),
        retries=2,
        sleep=sleeps.append,
        on_bytes=lambda done, total: seen.append((done, total)),
    )
    assert mirror.asked(FIRST) == [None, f"bytes={len(data) // 2}-"]
    assert md5_file(dest) == _md5(data) and not part_path(dest).exists()
    assert sleeps == [1.0] and seen[-1] == (len(data), len(data))


# --- retry rules, through httpx.MockTransport -------------------------------------------

CONTENT = b"0123456789" * 1000


def _mock(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def _get(client: httpx.Client, dest: Path, sleeps: list[float], retries: int = 4) -> Path:
    return download(
        client,
        "http://mirror.test/f.zip",
        dest,
        size=len(CONTENT),
        md5=_md5(CONTENT),
        retries=retries,
        sleep=sleeps.append,
    )


def test_server_ignoring_range_restarts_from_zero(tmp_path: Path) -> None:
    ranges: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ranges.append(request.headers.get("Range"))
        return httpx.Response(200, content=CONTENT)

    dest, sleeps = tmp_path / "f.zip", []
    part_path(dest).write_bytes(b"stale")
    with _mock(handler) as client:
        _get(client, dest, sleeps)
    assert ranges == ["bytes=5-"] and dest.read_bytes() == CONTENT and sleeps == []


def test_stale_part_failing_the_checksum_after_resume_restarts(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        match = re.fullmatch(r"bytes=(\d+)-", request.headers.get("Range", ""))
        if not match:
            return httpx.Response(200, content=CONTENT)
        start = int(match.group(1))
        headers = {"Content-Range": f"bytes {start}-{len(CONTENT) - 1}/{len(CONTENT)}"}
        return httpx.Response(206, content=CONTENT[start:], headers=headers)

    dest, sleeps = tmp_path / "f.zip", []
    part_path(dest).write_bytes(b"X" * 100)  # from an older copy of the file
    with _mock(handler) as client:
        _get(client, dest, sleeps)
    assert dest.read_bytes() == CONTENT and sleeps == [1.0]


def test_503_is_retried_with_growing_delays(tmp_path: Path) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503 if len(calls) <= 3 else 200, content=CONTENT)

    dest, sleeps = tmp_path / "f.zip", []
    with _mock(handler) as client:
        _get(client, dest, sleeps)
    assert len(calls) == 4 and sleeps == [1.0, 2.0, 4.0]
    assert dest.read_bytes() == CONTENT


def test_retries_run_out_with_a_fetch_error_naming_the_url(tmp_path: Path) -> None:
    dest, sleeps = tmp_path / "f.zip", []
    with _mock(lambda request: httpx.Response(502)) as client:
        with pytest.raises(FetchError, match=r"mirror.test/f.zip: failed after 3 attempts"):
            _get(client, dest, sleeps, retries=2)
    assert sleeps == [1.0, 2.0] and not dest.exists()


def test_404_is_not_retried(tmp_path: Path) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(404)

    sleeps: list[float] = []
    with _mock(handler) as client:
        with pytest.raises(FetchError, match=r"http://mirror.test/f.zip: not found \(HTTP 404\)"):
            _get(client, tmp_path / "f.zip", sleeps)
    assert calls == [1] and sleeps == []


def test_checksum_mismatch_deletes_the_part(tmp_path: Path) -> None:
    dest, sleeps = tmp_path / "f.zip", []
    with _mock(lambda request: httpx.Response(200, content=CONTENT[:-1] + b"!")) as client:
        with pytest.raises(ChecksumError) as caught:
            _get(client, dest, sleeps)
    message = str(caught.value)
    assert message.startswith("f.zip: expected 10000 bytes with MD5 " + _md5(CONTENT))
    assert "got 10000 bytes" in message and "run the sync again" in message
    assert not dest.exists() and not part_path(dest).exists() and sleeps == []


# --- the command ----------------------------------------------------------------------


def test_cli_sync_prints_json_totals_and_exits_1_on_failures(
    tmp_path: Path, mirror: Mirror, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYADWATCH_CACHE_DIR", str(tmp_path / "cache"))
    runner = CliRunner()
    args = ["sync", "gdelt", "--since", "2019-10-24", "--base-url", mirror.url, "--json"]
    result = runner.invoke(app, ["--db", str(tmp_path / "a.duckdb"), *args])
    assert result.exit_code == 1, result.output
    totals = json.loads(result.stdout.strip().splitlines()[-1])
    assert {k: totals[k] for k in ("files", "downloaded", "skipped", "failed")} == {
        "files": 4,
        "downloaded": 2,
        "skipped": 0,
        "failed": 2,
    }
    assert (totals["read"], totals["loaded"], totals["filtered"]) == (2111, 0, 2111)
    assert {f["file"] for f in totals["failures"]} == {BAD_MD5, MISSING}
    every = runner.invoke(
        app, ["--db", str(tmp_path / "b.duckdb"), *args, "--all", "--until", "2019-10-24"]
    )
    assert every.exit_code == 0, every.output
    assert json.loads(every.stdout.strip().splitlines()[-1])["loaded"] == 2111
