"""ICEWS ingest against the real 1–2 June 2018 sample in ../shared."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.errors import UnrecognizedFormatError
from dyadwatch.ingest import ingest_icews
from dyadwatch.ingest.icews import COUNTRY_ALIASES, primary_sector
from dyadwatch.ontology import country_by_iso3
from dyadwatch.records import EVENT_COLUMNS, IngestReport
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURE = SHARED / "fixtures" / "icews" / "events.2018.sample.tab"
ROWS = 3705
# The U.S. → Mexico rows of 1 June 2018: statements on the steel tariffs, and one 061.
USA_MEX = {"32891303", "32891449", "32891452", "32887376", "32887672"}

Loaded = tuple[Store, IngestReport]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    assert FIXTURE.is_file(), f"the ICEWS fixture is read from {FIXTURE}"
    store = open_store(tmp_path_factory.mktemp("icews") / "t.duckdb")
    report = ingest_icews(store, FIXTURE, settings=Settings())
    yield store, report
    store.close()


def _lines(count: int) -> list[str]:
    with FIXTURE.open(encoding="utf-8") as handle:
        return [next(handle).rstrip("\n") for _ in range(count)]


def _events(store: Store, where: str, params: list[object]) -> list[dict[str, object]]:
    rows = store.execute(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE source_system = 'icews' "
        f"AND {where} ORDER BY source_record_id",
        params,
    )
    return [dict(zip(EVENT_COLUMNS, row, strict=True)) for row in rows]


def test_the_real_sample_loads_every_row(loaded: Loaded) -> None:
    store, report = loaded
    assert (report.status, report.read, report.loaded) == ("loaded", ROWS, ROWS)
    assert (report.duplicates, report.quarantined) == (0, 0)
    assert report.balanced
    assert store.scalar("SELECT count(*) FROM events WHERE source_system = 'icews'") == ROWS


def test_the_same_file_again_is_skipped(loaded: Loaded) -> None:
    store, first = loaded
    again = ingest_icews(store, FIXTURE, settings=Settings())
    assert (again.status, again.run_id) == ("skipped", first.run_id)


def test_the_same_rows_under_another_name_are_duplicates(loaded: Loaded, tmp_path: Path) -> None:
    store, _ = loaded
    copy = tmp_path / "events.copy.tab"
    copy.write_bytes(FIXTURE.read_bytes().replace(b"\n", b"\r\n"))
    report = ingest_icews(store, copy, settings=Settings())
    assert (report.read, report.loaded, report.duplicates, report.quarantined) == (
        ROWS,
        0,
        ROWS,
        0,
    )


def test_the_us_to_mexico_tariff_statements_are_found(loaded: Loaded) -> None:
    found = _events(
        loaded[0],
        "source_country = 'USA' AND target_country = 'MEX' AND event_date = ?",
        [dt.date(2018, 6, 1)],
    )
    assert {e["source_record_id"] for e in found} == USA_MEX
    ross = next(e for e in found if e["source_record_id"] == "32891303")
    assert ross["event_id"] == hashlib.md5(b"icews:32891303").hexdigest()
    assert (ross["source_name"], ross["source_sector"], ross["target_name"]) == (
        "Wilbur Ross",
        "GOV",
        "Mexico",
    )
    assert ross["target_sector"] is None  # ICEWS wrote NA
    assert (ross["cameo_code"], ross["cameo_known"], ross["plover_type"]) == ("010", True, None)
    assert (ross["quad_class"], ross["goldstein"]) == (1, 0.0)
    assert (ross["place_name"], ross["admin1"], ross["place_country"]) == (
        "Paris",
        "Region Ile-de-France",
        "FRA",
    )
    assert (ross["latitude"], ross["longitude"], ross["url"], ross["evidence"]) == (
        48.8534,
        2.3488,
        None,
        None,
    )
    trade = next(e for e in found if e["source_record_id"] == "32887672")
    assert (trade["cameo_code"], trade["plover_type"], trade["quad_class"]) == (
        "061",
        "COOPERATE",
        2,
    )
    assert (trade["goldstein"], trade["place_name"]) == (6.4, "Washington D.C.")


def test_cameo_codes_keep_their_leading_zeros(loaded: Loaded) -> None:
    store, _ = loaded
    codes = {
        row[0]
        for row in store.execute(
            "SELECT DISTINCT cameo_code FROM events WHERE source_system = 'icews'"
        )
    }
    assert {"010", "040", "036"} <= codes
    assert (
        store.scalar(
            "SELECT count(*) FROM events WHERE source_system = 'icews' AND NOT cameo_known"
        )
        == 0
    )


def test_icews_names_that_need_an_alias_resolve(loaded: Loaded) -> None:
    store, _ = loaded
    countries = {
        row[0]
        for row in store.execute(
            "SELECT DISTINCT source_country FROM events WHERE source_system = 'icews'"
        )
    }
    assert {"PSE", "VAT", "MDA", "COD"} <= countries
    assert all(country_by_iso3(iso3) for iso3 in COUNTRY_ALIASES.values())


@pytest.mark.parametrize(
    ("sectors", "code"),
    [
        ("Military,Government", "MIL"),
        ("Government,Police", "COP"),
        ("Criminals / Gangs,Dissident", "CRM"),
        ("Government,Executive,Foreign Ministry", "GOV"),
        ("International Government Organization,Regional Diplomatic IGOs,Regional", "IGO"),
        ("Business,Social", "BUS"),
        ("Social,General Population / Civilian / Social", "CVL"),
        ("NA", None),
        ("Unspecified", None),
    ],
)
def test_the_primary_sector_follows_the_documented_priority(sectors: str, code: str | None) -> None:
    assert primary_sector(sectors) == code


def test_bad_rows_are_quarantined_with_line_and_reason(tmp_path: Path) -> None:
    header, good1, good2, spare = _lines(4)
    fields = spare.split("\t")
    bad_date = "\t".join([fields[0], "2018-13-01", *fields[2:]])
    bad_intensity = "\t".join([*fields[:7], "high", *fields[8:]])
    empty_code = "\t".join([*fields[:6], "", *fields[7:]])
    short = "\t".join(fields[:12])
    path = tmp_path / "bad.tab"
    path.write_text(
        "\n".join([header, good1, bad_date, good2, bad_intensity, empty_code, short]) + "\n",
        encoding="utf-8",
    )
    with open_store(tmp_path / "t.duckdb") as store:
        report = ingest_icews(store, path, settings=Settings())
        quarantine = store.execute(
            "SELECT line_no, raw, reason FROM quarantine WHERE run_id = ? ORDER BY line_no",
            [report.run_id],
        )
    assert (report.read, report.loaded, report.quarantined) == (6, 2, 4)
    assert [(line, reason) for line, _, reason in quarantine] == [
        (3, "Event Date '2018-13-01' is not a valid date (%Y-%m-%d)"),
        (5, "Intensity 'high' is not a number"),
        (6, "CAMEO Code is empty"),
        (7, "expected 20 fields as in the header, found 12"),
    ]
    assert quarantine[0][1] == bad_date


def test_a_file_of_another_format_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    acled_like = tmp_path / "not_icews.tab"
    acled_like.write_text("event_id_cnty\tevent_date\nX1\t2022-01-01\n", encoding="utf-8")
    with open_store(tmp_path / "t.duckdb") as store:
        with pytest.raises(UnrecognizedFormatError, match="Event ID"):
            ingest_icews(store, acled_like, settings=Settings())
        assert store.scalar("SELECT count(*) FROM ingest_runs") == 0
        assert store.scalar("SELECT count(*) FROM events") == 0


def test_the_cli_prints_totals_as_the_last_stdout_line(tmp_path: Path) -> None:
    path = tmp_path / "small.tab"
    path.write_text("\n".join(_lines(4)) + "\n", encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", "icews", str(path), "--json"])
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout.strip().splitlines()[-1])
    assert (totals["read"], totals["loaded"], totals["quarantined"]) == (3, 3, 0)
