"""``serve --update-every``: the schedule runs ``dyadwatch update`` as a real subprocess
against a loopback server serving the 40 real GDELT 2.0 slices of 2025-06-01, while a
reader opened beforehand keeps working; and its duration option."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import Loopback
from test_update import _serve_gdelt

from dyadwatch.cli.schedule import UpdateSchedule, parse_every
from dyadwatch.errors import ConfigError
from dyadwatch.settings import Settings
from dyadwatch.store import open_reader, open_store


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with Loopback() as server:
        yield server


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900.0), ("1h", 3600.0), ("900", 900.0), ("90s", 90.0), ("0", 0.0)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["15 minutes", "-5m", "10s", ""])
def test_bad_durations_say_what_to_give(text: str) -> None:
    with pytest.raises(ConfigError, match="update-every"):
        parse_every(text)


def test_the_schedule_updates_the_store_while_a_reader_reads(
    tmp_path: Path, loopback: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    _serve_gdelt(loopback)
    monkeypatch.setenv(
        "DYADWATCH_GDELT_MASTERFILELIST_URL", loopback.url("/gdeltv2/masterfilelist.txt")
    )
    monkeypatch.setenv("DYADWATCH_UPDATE_GDELT_SINCE", "2025-06-01")
    monkeypatch.setenv("DYADWATCH_UPDATE_SOURCES", '["gdelt"]')
    settings = Settings(db=tmp_path / "live.duckdb", cache_dir=tmp_path / "cache")
    with open_store(settings.db):
        pass  # an empty store, published
    said: list[str] = []
    with open_reader(settings.db) as before:
        schedule = UpdateSchedule(settings, 3600, said.append).start()
        deadline = time.monotonic() + 120
        while not schedule.runs and time.monotonic() < deadline:
            assert before.scalar("SELECT count(*) FROM events") == 0  # its own snapshot
            time.sleep(0.2)
        schedule.stop()
    assert schedule.runs == [0], schedule.log.read_text()
    assert len(said) == 1 and said[0].startswith("update finished in")
    assert "gdelt" in schedule.log.read_text()
    with open_reader(settings.db) as after:
        assert after.scalar("SELECT count(*) FROM events WHERE source_system = 'gdelt2'") == 25
    listing = loopback.hits("/gdeltv2/masterfilelist.txt")  # one run in the hour:
    assert [hit.method for hit in listing] == ["HEAD", "GET"]  # its size, then its tail
    assert listing[1].header("Range") == "bytes=0-" and listing[1].status == 206


def test_only_the_tail_of_the_masterfilelist_is_read(
    loopback: Loopback, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real 40-line list of 2025-06-01 (served whole), read as if a day of the list
    were one byte long: the first range reaches back a few lines, then four times further
    until a line older than ``since`` (or the list's start) is in it."""
    import datetime as dt

    import httpx

    from dyadwatch.ingest import sync

    _serve_gdelt(loopback)
    url = loopback.url("/gdeltv2/masterfilelist.txt")
    monkeypatch.setattr(sync, "TAIL_BYTES_PER_DAY", 1)
    with httpx.Client() as client:
        later = sync._listing_tail(client, url, dt.date(2025, 6, 2))
        whole = sync._listing_tail(client, url, dt.date(2025, 6, 1))
    gets = [hit for hit in loopback.hits("/gdeltv2/masterfilelist.txt") if hit.method == "GET"]
    starts = [int(hit.header("Range")[len("bytes=") : -1]) for hit in gets]
    assert later is not None and 0 < later.count("\n") < 40 and starts[0] > 0
    assert whole is not None and whole.count("\n") == 40 and starts[-1] == 0
    assert starts[1:] == sorted(starts[1:], reverse=True) and len(starts) > 2
