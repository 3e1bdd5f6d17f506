"""fetch_if_changed against the loopback server, serving real files from ../shared/data.

The FRED IMPMX download (12 KB) and CBP's drug seizures file (gzipped, 109 KB) are served
as they are; "a changed file" is the other real FRED file (IMPMX 2006-2016) on the same
path with a new ETag, as when FRED republishes a series.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import Loopback

from dyadwatch.errors import FetchError, RemoteNotFoundError, SizeLimitError
from dyadwatch.sources.fetch import Fetched, Validators, fetch_if_changed, part_path

from conftest import SHARED_DATA

FRED = SHARED_DATA / "indicators" / "fred-mexico-trade" / "IMPMX_1985_2026.csv"
FRED_OLD = SHARED_DATA / "indicators" / "fred-mexico-trade" / "IMPMX_2006_2016.csv"
SEIZURES = SHARED_DATA / "indicators" / "cbp_drug_seizures_fy23_fy26.csv.gz"
PATH = "/fred/IMPMX.csv"


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with Loopback() as server:
        yield server


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fetch(
    server: Loopback,
    dest: Path,
    validators: Validators | None = None,
    *,
    path: str = PATH,
    max_bytes: int = 10_000_000,
    sleeps: list[float] | None = None,
    retries: int = 3,
) -> Fetched:
    return fetch_if_changed(
        _client(),
        server.url(path),
        dest,
        validators=validators,
        max_bytes=max_bytes,
        retries=retries,
        sleep=(sleeps if sleeps is not None else []).append,
    )


def _client():  # one client per call keeps the tests independent
    import httpx

    return httpx.Client(timeout=10)


def test_first_fetch_then_304_with_the_stored_validators(
    loopback: Loopback,
    tmp_path: Path,
) -> None:
    data = FRED.read_bytes()
    loopback.serve(PATH, data)
    first = _fetch(loopback, tmp_path / "f.csv")
    assert first.status == "fetched" and first.changed
    assert first.path == tmp_path / "f.csv" and first.path.read_bytes() == data
    assert (first.sha256, first.size) == (_sha(data), len(data))
    assert first.etag == loopback.resources[PATH].etag and first.last_modified
    assert loopback.hits(PATH)[0].header("If-None-Match") is None
    first.path.unlink()  # ingested: the caller deletes it and keeps the validators
    again = _fetch(loopback, tmp_path / "f.csv", first.validators)
    asked = loopback.hits(PATH)[-1]
    assert asked.header("If-None-Match") == first.etag
    assert asked.header("If-Modified-Since") == first.last_modified
    assert asked.status == 304
    assert again.status == "not_modified" and not again.changed and again.path is None
    assert again.validators == first.validators
    assert not (tmp_path / "f.csv").exists() and not part_path(tmp_path / "f.csv").exists()


def test_if_modified_since_alone_is_honoured(loopback: Loopback, tmp_path: Path) -> None:
    loopback.serve(PATH, FRED.read_bytes())
    first = _fetch(loopback, tmp_path / "f.csv")
    again = _fetch(loopback, tmp_path / "g.csv", Validators(None, first.last_modified, None))
    assert again.status == "not_modified"
    assert loopback.hits(PATH)[-1].header("If-Modified-Since") == first.last_modified


def test_a_changed_file_is_fetched_again(loopback: Loopback, tmp_path: Path) -> None:
    loopback.serve(PATH, FRED.read_bytes())
    first = _fetch(loopback, tmp_path / "f.csv")
    newer = FRED_OLD.read_bytes()
    loopback.serve(PATH, newer)  # republished: new bytes, new ETag and Last-Modified
    again = _fetch(loopback, tmp_path / "f.csv", first.validators)
    assert again.status == "fetched" and again.path is not None
    assert again.path.read_bytes() == newer and again.sha256 == _sha(newer)
    assert again.etag != first.etag and loopback.hits(PATH)[-1].status == 200


def test_same_bytes_from_a_server_without_validators(loopback: Loopback, tmp_path: Path) -> None:
    data = FRED.read_bytes()
    loopback.serve(PATH, data, validators=False)  # as fredgraph.csv, built on request
    first = _fetch(loopback, tmp_path / "f.csv")
    assert first.status == "fetched" and first.etag is None and first.last_modified is None
    again = _fetch(loopback, tmp_path / "g.csv", first.validators)
    assert again.status == "same_bytes" and again.path is None and again.sha256 == _sha(data)
    assert not (tmp_path / "g.csv").exists() and not part_path(tmp_path / "g.csv").exists()


def test_announced_size_over_the_limit_fails_at_once(loopback: Loopback, tmp_path: Path) -> None:
    data = SEIZURES.read_bytes()
    url = loopback.serve("/cbp/drugs.csv.gz", data)
    with pytest.raises(SizeLimitError) as caught:
        _fetch(loopback, tmp_path / "d.gz", path="/cbp/drugs.csv.gz", max_bytes=50_000)
    message = str(caught.value)
    assert message.startswith(f"{url}: the server announces {len(data):,} bytes")
    assert "over the limit of 50,000 bytes" in message and "DYADWATCH_UPDATE_MAX_BYTES" in message
    assert len(loopback.hits()) == 1  # not retried
    assert list(tmp_path.iterdir()) == []


def test_streamed_size_over_the_limit_fails(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve("/cbp/drugs.csv.gz", SEIZURES.read_bytes(), length=False)
    with pytest.raises(SizeLimitError, match="more than 50,000 bytes arrived") as caught:
        _fetch(loopback, tmp_path / "d.gz", path="/cbp/drugs.csv.gz", max_bytes=50_000)
    assert str(caught.value).startswith(url)
    assert list(tmp_path.iterdir()) == []


def test_a_503_is_retried(loopback: Loopback, tmp_path: Path) -> None:
    data = FRED.read_bytes()
    loopback.serve(PATH, data)
    loopback.fail(PATH, status=503)
    sleeps: list[float] = []
    got = _fetch(loopback, tmp_path / "f.csv", sleeps=sleeps)
    assert [hit.status for hit in loopback.hits(PATH)] == [503, 200]
    assert sleeps == [1.0] and got.path is not None and got.path.read_bytes() == data


def test_retries_run_out_with_an_error_naming_the_url(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve(PATH, FRED.read_bytes())
    loopback.fail(PATH, status=502, times=3)
    with pytest.raises(FetchError, match=f"{url}: failed after 3 attempts"):
        _fetch(loopback, tmp_path / "f.csv", retries=2)


def test_404_is_not_retried(loopback: Loopback, tmp_path: Path) -> None:
    sleeps: list[float] = []
    with pytest.raises(RemoteNotFoundError, match=r"not found \(HTTP 404\)\. Check the URL"):
        _fetch(loopback, tmp_path / "f.csv", path="/nothing.csv", sleeps=sleeps)
    assert len(loopback.hits()) == 1 and sleeps == []


def test_an_interrupted_body_resumes_with_if_range(loopback: Loopback, tmp_path: Path) -> None:
    data = SEIZURES.read_bytes()
    loopback.serve("/d.gz", data)
    loopback.cut("/d.gz")
    sleeps: list[float] = []
    got = _fetch(loopback, tmp_path / "d.gz", path="/d.gz", sleeps=sleeps)
    first, second = loopback.hits("/d.gz")
    assert first.header("Range") is None
    assert second.header("Range") == f"bytes={len(data) // 2}-"
    assert second.header("If-Range") == loopback.resources["/d.gz"].etag
    assert second.status == 206 and sleeps == [1.0]
    assert got.sha256 == _sha(data) and got.path is not None and got.path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.gz"]  # no part, no validator


def test_a_part_of_a_replaced_file_starts_again(loopback: Loopback, tmp_path: Path) -> None:
    loopback.serve(PATH, FRED.read_bytes())
    loopback.cut(PATH)
    with pytest.raises(FetchError):  # the run stops with half of the old file on disk
        _fetch(loopback, tmp_path / "f.csv", retries=0)
    assert part_path(tmp_path / "f.csv").exists()
    newer = FRED_OLD.read_bytes()
    loopback.serve(PATH, newer)  # replaced before the next run
    got = _fetch(loopback, tmp_path / "f.csv")
    resumed = loopback.hits(PATH)[-1]
    assert resumed.header("Range") and resumed.status == 200  # If-Range no longer holds
    assert got.path is not None and got.path.read_bytes() == newer


def test_a_part_without_a_validator_starts_again(loopback: Loopback, tmp_path: Path) -> None:
    data = FRED.read_bytes()
    loopback.serve(PATH, data)
    part_path(tmp_path / "f.csv").write_bytes(data[:100])  # origin unknown: cannot resume
    got = _fetch(loopback, tmp_path / "f.csv")
    assert loopback.hits(PATH)[-1].header("Range") is None
    assert got.path is not None and got.path.read_bytes() == data


def test_a_server_ignoring_range_sends_the_whole_file(loopback: Loopback, tmp_path: Path) -> None:
    data = SEIZURES.read_bytes()
    loopback.serve("/d.gz", data, ranges=False)
    loopback.cut("/d.gz")
    got = _fetch(loopback, tmp_path / "d.gz", path="/d.gz")
    assert [hit.status for hit in loopback.hits("/d.gz")] == [200, 200]
    assert got.path is not None and got.path.read_bytes() == data
