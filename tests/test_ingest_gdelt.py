"""GDELT 1.0/2.0 events and 2.0 mentions, on the real fixtures."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path

import pytest

from dyadwatch.ingest import ingest_gdelt
from dyadwatch.settings import Settings
from dyadwatch.store import Store

from conftest import GDELT1_SAMPLE, GDELT2_EXPORT, GDELT2_MENTIONS, table_count


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_gdelt2_export_loads_every_row(store: Store, settings: Settings) -> None:
    report = ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
    assert (report.source_system, report.read, report.loaded) == ("gdelt2", 2111, 2111)
    assert report.balanced and report.quarantined == 0
    assert table_count(store, "events") == 2111


def test_gdelt2_fields_match_an_independent_parse(store: Store, settings: Settings) -> None:
    ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
    stored = {
        row[0]: row[1:]
        for row in store.execute(
            "SELECT source_record_id, event_date, source_country, target_country, cameo_code, "
            "goldstein, n_mentions, url, date_added FROM events"
        )
    }
    for f in _rows(GDELT2_EXPORT):
        expected = (
            dt.datetime.strptime(f[1], "%Y%m%d").date(),
            f[7] or None,
            f[17] or None,
            f[26],
            float(f[30]),
            int(f[31]),
            f[60],
            dt.datetime.strptime(f[59], "%Y%m%d%H%M%S"),
        )
        assert stored[f[0]] == expected


def test_cameo_code_keeps_leading_zeros_and_maps_to_plover(
    store: Store, settings: Settings
) -> None:
    ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
    row = store.execute(
        "SELECT cameo_code, plover_type, quad_class, cameo_known FROM events "
        "WHERE source_record_id = '881990833'"
    )[0]
    assert row == ("040", "CONSULT", 1, True)


def test_gdelt1_mixes_57_and_58_columns(store: Store, settings: Settings) -> None:
    report = ingest_gdelt(store, GDELT1_SAMPLE, settings=settings)
    assert (report.source_system, report.read, report.loaded) == ("gdelt1", 710, 710)
    with_url, without = store.execute(
        "SELECT count(url), count(*) - count(url) FROM events WHERE source_system = 'gdelt1'"
    )[0]
    assert (with_url, without) == (509, 201)
    first = store.execute(
        "SELECT event_date, date_added, source_country, place_country, admin1 FROM events "
        "WHERE source_record_id = '564111644'"
    )[0]
    assert first == (dt.date(2006, 7, 31), dt.datetime(2016, 7, 28), "USA", "USA", "USDC")


def test_mentions_csv_export_loads(store: Store, settings: Settings) -> None:
    with GDELT2_MENTIONS.open(encoding="utf-8", newline="") as handle:
        expected = sum(1 for _ in csv.reader(handle)) - 1
    report = ingest_gdelt(store, GDELT2_MENTIONS, settings=settings)
    assert report.source_system == "gdelt2_mentions"
    assert report.read == expected and report.balanced and report.quarantined == 0
    assert table_count(store, "gdelt_mentions") == report.loaded


def test_mentions_tab_file_is_detected(store: Store, settings: Settings, tmp_path: Path) -> None:
    with GDELT2_MENTIONS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:51]
    tab = tmp_path / "20170701234500.mentions.CSV"
    tab.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    report = ingest_gdelt(store, tab, settings=settings)
    assert report.source_system == "gdelt2_mentions" and report.read == 50


def test_same_file_twice_adds_nothing(store: Store, settings: Settings, tmp_path: Path) -> None:
    first = ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
    copy = tmp_path / "renamed.CSV"
    copy.write_bytes(GDELT2_EXPORT.read_bytes())
    second = ingest_gdelt(store, copy, settings=settings)
    assert second.status == "skipped" and second.run_id == first.run_id
    assert table_count(store, "events") == 2111
    assert table_count(store, "ingest_runs") == 1


def test_zip_of_loaded_rows_counts_duplicates(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
    archive = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(GDELT2_EXPORT, GDELT2_EXPORT.name)
    report = ingest_gdelt(store, archive, settings=settings)
    assert (report.read, report.loaded, report.duplicates) == (2111, 0, 2111)


def test_dyad_only_counts_the_rest_as_filtered(store: Store, settings: Settings) -> None:
    report = ingest_gdelt(store, GDELT1_SAMPLE, settings=settings, dyad_only=True)
    assert (report.loaded, report.filtered) == (1, 709)
    assert report.balanced


@pytest.mark.parametrize("code", ["0256", "1013", "129"])
def test_codes_missing_from_common_tables_never_crash(
    store: Store, settings: Settings, tmp_path: Path, code: str
) -> None:
    row = _rows(GDELT2_EXPORT)[0]
    row[26], row[27], row[28] = code, code[:3], code[:2]
    path = tmp_path / "one.CSV"
    path.write_text("\t".join(row) + "\n", encoding="utf-8")
    report = ingest_gdelt(store, path, settings=settings)
    assert report.loaded == 1
    assert store.scalar("SELECT cameo_code FROM events") == code


def test_unknown_code_is_kept_and_flagged(store: Store, settings: Settings, tmp_path: Path) -> None:
    row = _rows(GDELT2_EXPORT)[0]
    row[26] = "0357"
    path = tmp_path / "one.CSV"
    path.write_text("\t".join(row) + "\n", encoding="utf-8")
    ingest_gdelt(store, path, settings=settings)
    assert store.execute("SELECT cameo_code, cameo_known, plover_type FROM events")[0] == (
        "0357",
        False,
        "AGREE",
    )


def test_row_progress_is_reported_while_a_big_file_loads(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    """SYNTHETIC volume: real rows repeated with fresh ids, so the parse takes a while."""
    from dyadwatch.sources.synthetic import synthetic_name, write_synthetic_gdelt

    data = tmp_path / synthetic_name("progress")
    write_synthetic_gdelt(GDELT2_EXPORT, data, rows=400_000)
    calls: list[int] = []
    report = ingest_gdelt(store, data, settings=settings, on_rows=calls.append)
    assert sum(calls) == report.read == 400_000
    assert len(calls) > 1
