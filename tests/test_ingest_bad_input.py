"""Bad input gets a clear message, and the store loses and gains nothing it shouldn't."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from dyadwatch.errors import CorruptFileError, EmptyFileError, UnrecognizedFormatError
from dyadwatch.ingest import ingest_gdelt
from dyadwatch.settings import Settings
from dyadwatch.store import Store

from conftest import GDELT2_EXPORT, table_count

LINES = GDELT2_EXPORT.read_text(encoding="utf-8").splitlines()


def _write(tmp_path: Path, lines: list[str], name: str = "bad.CSV") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _set(line: str, index: int, value: str) -> str:
    fields = line.split("\t")
    fields[index] = value
    return "\t".join(fields)


def _assert_untouched(store: Store) -> None:
    for table in ("events", "ingest_runs", "quarantine"):
        assert table_count(store, table) == 0, table


def _quarantine(store: Store) -> list[tuple[int, str]]:
    return [
        (int(n), r)
        for n, r in store.execute("SELECT line_no, reason FROM quarantine ORDER BY line_no")
    ]


def test_truncated_zip_fails_whole_and_leaves_store_untouched(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    archive = tmp_path / "x.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(GDELT2_EXPORT, GDELT2_EXPORT.name)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptFileError, match="truncated or damaged zip"):
        ingest_gdelt(store, archive, settings=settings)
    _assert_untouched(store)


def test_random_bytes_are_refused(store: Store, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "noise.CSV"
    path.write_bytes(os.urandom(4096) + b"\x00")
    with pytest.raises((CorruptFileError, UnrecognizedFormatError)) as caught:
        ingest_gdelt(store, path, settings=settings)
    assert str(path) in str(caught.value)
    _assert_untouched(store)


def test_text_that_is_not_gdelt_is_refused(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    path = _write(tmp_path, ["name,value", "a,1", "b,2"])
    with pytest.raises(UnrecognizedFormatError, match="not a GDELT export"):
        ingest_gdelt(store, path, settings=settings)
    _assert_untouched(store)


def test_empty_file_is_refused(store: Store, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "empty.CSV"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="empty"):
        ingest_gdelt(store, path, settings=settings)
    _assert_untouched(store)


def test_wrong_column_counts_are_quarantined_with_line_and_reason(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    short = "\t".join(LINES[1].split("\t")[:40])
    long = LINES[3] + "\textra"
    path = _write(tmp_path, [LINES[0], short, LINES[2], long, LINES[4]])
    report = ingest_gdelt(store, path, settings=settings)
    assert (report.read, report.loaded, report.quarantined) == (5, 3, 2)
    assert _quarantine(store) == [
        (2, "expected 61 tab-separated columns, found 40"),
        (4, "expected 61 tab-separated columns, found 62"),
    ]
    assert store.scalar("SELECT raw FROM quarantine WHERE line_no = 2") == short


def test_bad_goldstein_and_impossible_date_are_quarantined(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    lines = [LINES[0], _set(LINES[1], 30, "abc"), _set(LINES[2], 1, "20191345"), LINES[3]]
    report = ingest_gdelt(store, _write(tmp_path, lines), settings=settings)
    assert (report.loaded, report.quarantined) == (2, 2)
    assert _quarantine(store) == [
        (2, "GoldsteinScale 'abc' is not a number"),
        (3, "SQLDATE '20191345' is not a valid YYYYMMDD date"),
    ]


def test_invalid_utf8_is_replaced_and_counted(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    bad = _set(LINES[1], 6, "CAF\xc9").encode("latin-1", errors="replace")
    path = tmp_path / "latin.CSV"
    path.write_bytes(LINES[0].encode() + b"\n" + bad + b"\n" + LINES[2].encode() + b"\n")
    report = ingest_gdelt(store, path, settings=settings)
    assert (report.loaded, report.replaced_chars) == (3, 1)
    assert store.scalar("SELECT max(source_name) FROM events WHERE source_name LIKE 'CAF%'") == (
        "CAF\ufffd"
    )


def test_bom_and_crlf_are_handled(store: Store, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "windows.CSV"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(LINES[:5]).encode() + b"\r\n")
    report = ingest_gdelt(store, path, settings=settings)
    assert (report.read, report.loaded, report.quarantined) == (5, 5, 0)
    urls = [r[0] for r in store.execute("SELECT url FROM events")]
    assert not any(u.endswith("\r") for u in urls)
    assert store.scalar("SELECT count(*) FROM events WHERE source_record_id = '881990832'") == 1


def test_megabyte_field_is_quarantined_not_crashed(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    huge = _set(LINES[1], 60, "http://example.org/" + "x" * (1 << 20))
    report = ingest_gdelt(store, _write(tmp_path, [LINES[0], huge, LINES[2]]), settings=settings)
    assert (report.loaded, report.quarantined) == (2, 1)
    line, reason = _quarantine(store)[0]
    assert line == 2 and "over the limit of 65536" in reason
