"""ACLED ingest against the real 2022 sample (read from ../shared; never copied here)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.errors import UnrecognizedFormatError
from dyadwatch.ingest import ingest_acled
from dyadwatch.ingest.acled import COUNTRY_ALIASES, acled_plover, acled_plover_table
from dyadwatch.ontology import PLOVER_TYPES, country_by_iso3
from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store

from conftest import csv_text, stored_event

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ACLED_DIR = SHARED / "fixtures" / "acled"
FIXTURE = ACLED_DIR / "acled_2022_sample_non_mexico.csv"
ROWS = 8525
DOC = Path(__file__).resolve().parents[1] / "docs" / "acled_plover.md"


Loaded = tuple[Store, IngestReport]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    assert FIXTURE.is_file(), f"the ACLED fixture is read from {FIXTURE}"
    store = open_store(tmp_path_factory.mktemp("acled") / "t.duckdb")
    report = ingest_acled(store, FIXTURE, settings=Settings())
    yield store, report
    store.close()


def _fixture_rows(count: int) -> tuple[list[str], list[list[str]]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [next(reader) for _ in range(count)]


def test_the_real_sample_loads_every_row(loaded: Loaded) -> None:
    store, report = loaded
    assert (report.status, report.read, report.loaded) == ("loaded", ROWS, ROWS)
    assert (report.duplicates, report.quarantined, report.filtered) == (0, 0, 0)
    assert report.balanced
    assert store.scalar("SELECT count(*) FROM events WHERE source_system = 'acled'") == ROWS
    runs = store.execute(
        "SELECT n_read, n_loaded, status FROM ingest_runs WHERE run_id = ?", [report.run_id]
    )
    assert runs == [(ROWS, ROWS, "loaded")]


def test_the_same_file_again_is_skipped(loaded: Loaded) -> None:
    store, first = loaded
    again = ingest_acled(store, FIXTURE, settings=Settings())
    assert (again.status, again.run_id, again.read) == ("skipped", first.run_id, 0)
    assert store.scalar("SELECT count(*) FROM events WHERE source_system = 'acled'") == ROWS


def test_the_same_rows_under_another_name_are_duplicates(loaded: Loaded, tmp_path: Path) -> None:
    store, _ = loaded
    copy = tmp_path / "acled_copy_crlf.csv"
    copy.write_bytes(FIXTURE.read_bytes().replace(b"\n", b"\r\n"))  # other bytes, same rows
    report = ingest_acled(store, copy, settings=Settings())
    assert (report.status, report.read, report.loaded, report.duplicates) == (
        "loaded",
        ROWS,
        0,
        ROWS,
    )
    assert store.scalar("SELECT count(*) FROM events WHERE source_system = 'acled'") == ROWS


def test_uga7752_is_mapped_by_hand(loaded: Loaded) -> None:
    event = stored_event(loaded[0], "acled", "UGA7752")
    assert event["event_id"] == hashlib.md5(b"acled:UGA7752").hexdigest()
    assert event["event_date"] == dt.date(2022, 2, 23)
    assert event["date_added"] == dt.datetime(2022, 2, 28, 19, 43, 53)  # 1646077433 UTC
    assert event["fatalities"] == 1
    assert (event["plover_type"], event["plover_mode"], event["quad_class"]) == (
        "ASSAULT",
        None,
        4,
    )  # Riots / Mob violence
    assert (event["source_name"], event["source_country"], event["source_sector"]) == (
        "Rioters (Uganda)",
        "UGA",
        "CVL",
    )
    assert (event["target_name"], event["target_country"], event["target_sector"]) == (
        "Civilians (Uganda)",
        "UGA",
        "CVL",
    )
    assert (event["place_name"], event["admin1"], event["place_country"]) == (
        "Minakulu",
        "Northern",
        "UGA",
    )
    assert (event["latitude"], event["longitude"]) == (2.44, 32.3894)
    assert event["evidence"].startswith("On 23 February 2022, a group of locals intercepted")
    assert (event["n_sources"], event["goldstein"], event["url"], event["coder"]) == (
        1,
        None,
        None,
        None,
    )


def test_a_foreign_army_keeps_its_own_country(loaded: Loaded) -> None:
    # Russian forces clash with Ukrainian forces
    event = stored_event(loaded[0], "acled", "UKR60537")
    assert (event["plover_type"], event["plover_mode"]) == ("FIGHT", "firearms")
    assert (event["source_country"], event["source_sector"]) == ("RUS", "MIL")
    assert (event["target_country"], event["target_sector"]) == ("UKR", "MIL")
    assert (event["place_country"], event["admin1"]) == ("UKR", "Donetsk")


def test_police_arrests_are_coerce_arrest(loaded: Loaded) -> None:
    event = stored_event(loaded[0], "acled", "SLV3268")
    assert (event["plover_type"], event["plover_mode"], event["quad_class"]) == (
        "COERCE",
        "arrest",
        4,
    )
    assert (event["source_sector"], event["source_country"]) == ("COP", "SLV")
    assert (event["target_name"], event["target_sector"]) == ("MS-13: Mara Salvatrucha", "PRM")


def test_the_table_covers_every_acled_category_and_the_doc_lists_it() -> None:
    with (ACLED_DIR / "acled_event_categories.csv").open(encoding="utf-8") as handle:
        pairs = [(r["event_type"], r["sub_event_type"]) for r in csv.DictReader(handle)]
    unmapped = [p for p in pairs if acled_plover(*p).plover_type is None]
    assert unmapped == [("Strategic developments", "Other")]
    assert len(acled_plover_table()) == len(pairs) == 25
    assert {c.plover_type for c in acled_plover_table().values()} - {None} <= set(PLOVER_TYPES)
    doc = DOC.read_text(encoding="utf-8")
    for event_type, sub_event_type in pairs:
        assert f"| {event_type} | {sub_event_type} |" in doc


def test_every_country_alias_is_a_known_iso3() -> None:
    assert all(country_by_iso3(iso3) for iso3 in COUNTRY_ALIASES.values())


def test_bad_rows_are_quarantined_with_line_and_reason(tmp_path: Path) -> None:
    header, (good1, good2, spare1, spare2) = _fixture_rows(4)
    col = {name: i for i, name in enumerate(header)}
    bad_date, bad_deaths = list(spare1), list(spare2)
    bad_date[col["event_date"]] = "2022-02-30"
    bad_deaths[col["fatalities"]] = "many"
    multiline = list(good2)
    multiline[col["event_id_cnty"]] = "TEST1"
    multiline[col["notes"]] = 'Two lines,\nwith "quotes" and commas.'
    rows = [header, good1, bad_date, multiline, bad_deaths, good2[:20]]
    path = tmp_path / "acled_bad.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    with open_store(tmp_path / "t.duckdb") as store:
        report = ingest_acled(store, path, settings=Settings())
        quarantine = store.execute(
            "SELECT line_no, raw, reason FROM quarantine WHERE run_id = ? ORDER BY line_no",
            [report.run_id],
        )
        notes = store.scalar("SELECT evidence FROM events WHERE source_record_id = 'TEST1'")
    assert (report.read, report.loaded, report.quarantined, report.duplicates) == (5, 2, 3, 0)
    assert [(line, reason) for line, _, reason in quarantine] == [
        (3, "event_date '2022-02-30' is not a valid date (%Y-%m-%d)"),
        (6, "fatalities 'many' is not an integer"),  # the multi-line record is lines 4–5
        (7, "expected 31 fields as in the header, found 20"),
    ]
    assert quarantine[0][1] == csv_text([bad_date]).rstrip("\n")
    assert notes == 'Two lines,\nwith "quotes" and commas.'


def test_an_unknown_category_is_kept_without_a_plover_type(tmp_path: Path) -> None:
    header, (row,) = _fixture_rows(1)
    col = {name: i for i, name in enumerate(header)}
    row[col["event_type"]], row[col["sub_event_type"]] = "Remote violence", ""
    path = tmp_path / "acled_old.csv"
    path.write_text(csv_text([header, row]), encoding="utf-8")
    with open_store(tmp_path / "t.duckdb") as store:
        report = ingest_acled(store, path, settings=Settings())
        kept = store.execute("SELECT plover_type, quad_class, fatalities FROM events")
    assert (report.loaded, report.quarantined) == (1, 0)
    assert kept == [(None, None, 1)]


def test_a_file_of_another_format_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    icews = SHARED / "fixtures" / "icews" / "events.2018.sample.tab"
    with open_store(tmp_path / "t.duckdb") as store:
        with pytest.raises(UnrecognizedFormatError, match="event_id_cnty"):
            ingest_acled(store, icews, settings=Settings())
        assert store.scalar("SELECT count(*) FROM ingest_runs") == 0
        assert store.scalar("SELECT count(*) FROM events") == 0


def test_the_cli_prints_totals_as_the_last_stdout_line(tmp_path: Path) -> None:
    header, rows = _fixture_rows(3)
    path = tmp_path / "acled_small.csv"
    path.write_text(csv_text([header, *rows]), encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", "acled", str(path), "--json"])
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout.strip().splitlines()[-1])
    assert (totals["read"], totals["loaded"], totals["quarantined"]) == (3, 3, 0)
    assert totals["files"][0]["status"] == "loaded"
