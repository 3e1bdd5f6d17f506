"""UCDP GED ingest against the real Mexico 1989–2023 file (.csv.gz) in ../shared."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.errors import CorruptFileError, UnrecognizedFormatError
from dyadwatch.ingest import ingest_ucdp
from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.sources.files import prepare_input
from dyadwatch.store import Store, open_store

from conftest import csv_text, stored_event

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURE = SHARED / "indicators" / "ucdp_ged_mexico_1989_2023.csv.gz"
ROWS = 18957

Loaded = tuple[Store, IngestReport]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    assert FIXTURE.is_file(), f"the UCDP GED file is read from {FIXTURE}"
    store = open_store(tmp_path_factory.mktemp("ucdp") / "t.duckdb")
    report = ingest_ucdp(store, FIXTURE, settings=Settings())
    yield store, report
    store.close()


def _records(count: int) -> tuple[list[str], list[list[str]]]:
    """The header and the first ``count`` records of the real file."""
    with gzip.open(FIXTURE, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [next(reader) for _ in range(count)]


def test_the_gzipped_file_loads_every_row(loaded: Loaded) -> None:
    store, report = loaded
    assert (report.status, report.read, report.loaded) == ("loaded", ROWS, ROWS)
    assert (report.duplicates, report.quarantined) == (0, 0)
    assert report.balanced
    assert store.scalar("SELECT count(*) FROM events WHERE source_system = 'ucdp'") == ROWS


def test_the_same_file_again_is_skipped(loaded: Loaded) -> None:
    store, first = loaded
    again = ingest_ucdp(store, FIXTURE, settings=Settings())
    assert (again.status, again.run_id) == ("skipped", first.run_id)


def test_the_same_rows_unzipped_under_another_name_are_duplicates(
    loaded: Loaded, tmp_path: Path
) -> None:
    store, _ = loaded
    plain = tmp_path / "ged_mexico.csv"
    plain.write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    report = ingest_ucdp(store, plain, settings=Settings())
    assert (report.read, report.loaded, report.duplicates, report.quarantined) == (
        ROWS,
        0,
        ROWS,
        0,
    )


def test_event_182027_is_mapped_by_hand(loaded: Loaded) -> None:
    event = stored_event(loaded[0], "ucdp", "182027")  # the CSV writes 182027.0
    assert event["event_id"] == hashlib.md5(b"ucdp:182027").hexdigest()
    assert (event["event_date"], event["fatalities"]) == (dt.date(1992, 9, 1), 9)
    assert (event["source_name"], event["source_country"], event["source_sector"]) == (
        "Sinaloa Cartel",
        "MEX",
        "CRM",
    )
    assert (event["target_name"], event["target_country"], event["target_sector"]) == (
        "Tijuana Cartel",
        "MEX",
        "CRM",
    )
    assert (event["plover_type"], event["quad_class"], event["goldstein"]) == ("FIGHT", 4, None)
    assert (event["place_name"], event["admin1"], event["place_country"]) == (
        "Mexico City",
        "Distrito Federal",
        "MEX",
    )
    assert (event["latitude"], event["longitude"]) == (19.42847, -99.12766)
    assert (event["evidence"], event["n_sources"], event["url"]) == (None, None, None)


def test_one_sided_violence_by_the_state_is_assault(loaded: Loaded) -> None:
    event = stored_event(loaded[0], "ucdp", "182047")  # a record spanning two lines
    assert (event["plover_type"], event["fatalities"]) == ("ASSAULT", 2)
    assert (event["source_name"], event["source_country"], event["source_sector"]) == (
        "Government of Mexico",
        "MEX",
        "GOV",
    )
    assert (event["target_name"], event["target_sector"]) == ("Civilians", "CVL")
    assert event["place_name"] == "Xoxocotla town, Morelos 100 km southwest of Mexico City"
    assert (event["evidence"], event["n_sources"]) == (
        "EIGHT POLICE ARRESTED FOLLOWING ELECTION CLASH.",
        1,
    )


def test_bad_rows_are_quarantined_with_their_first_line(tmp_path: Path) -> None:
    header, (first, second, multiline) = _records(3)
    col = {name: i for i, name in enumerate(header)}
    bad_date, bad_best, bad_type = list(second), list(first), list(second)
    bad_date[col["date_start"]] = "1992-11-31"
    bad_best[col["best"]] = "nine"
    bad_type[col["type_of_violence"]] = "4.0"
    rows = [header, first, bad_date, multiline, bad_best, first[:10], bad_type]
    path = tmp_path / "ged_bad.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    with open_store(tmp_path / "t.duckdb") as store:
        report = ingest_ucdp(store, path, settings=Settings())
        quarantine = store.execute(
            "SELECT line_no, reason FROM quarantine WHERE run_id = ? ORDER BY line_no",
            [report.run_id],
        )
    assert (report.read, report.loaded, report.quarantined) == (6, 2, 4)
    assert quarantine == [
        (3, "date_start '1992-11-31' is not a valid date (%Y-%m-%d)"),
        (6, "best 'nine' is not an integer"),  # the record before spans lines 4–5
        (7, "expected 49 fields as in the header, found 10"),
        (8, "type_of_violence '4.0' is not 1, 2 or 3"),
    ]


def test_a_gzip_file_is_found_by_its_magic_bytes(tmp_path: Path) -> None:
    header, rows = _records(2)
    path = tmp_path / "ged_export.dat"  # no .gz suffix
    path.write_bytes(gzip.compress(csv_text([header, *rows]).encode()))
    with open_store(tmp_path / "t.duckdb") as store:
        report = ingest_ucdp(store, path, settings=Settings())
    assert (report.read, report.loaded) == (2, 2)


def test_a_truncated_gzip_file_is_corrupt_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "ged_cut.csv.gz"
    path.write_bytes(FIXTURE.read_bytes()[:20_000])
    with pytest.raises(CorruptFileError, match="gzip"), prepare_input(path):
        pass
    with open_store(tmp_path / "t.duckdb") as store:
        with pytest.raises(CorruptFileError):
            ingest_ucdp(store, path, settings=Settings())
        assert store.scalar("SELECT count(*) FROM ingest_runs") == 0


def test_a_file_of_another_format_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    icews = SHARED / "fixtures" / "icews" / "events.2018.sample.tab"
    with open_store(tmp_path / "t.duckdb") as store:
        with pytest.raises(UnrecognizedFormatError, match="type_of_violence"):
            ingest_ucdp(store, icews, settings=Settings())
        assert store.scalar("SELECT count(*) FROM ingest_runs") == 0
        assert store.scalar("SELECT count(*) FROM events") == 0


def test_the_cli_prints_totals_as_the_last_stdout_line(tmp_path: Path) -> None:
    header, rows = _records(3)
    path = tmp_path / "ged_small.csv.gz"
    path.write_bytes(gzip.compress(csv_text([header, *rows]).encode()))
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", "ucdp", str(path), "--json"])
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout.strip().splitlines()[-1])
    assert (totals["read"], totals["loaded"], totals["quarantined"]) == (3, 3, 0)
