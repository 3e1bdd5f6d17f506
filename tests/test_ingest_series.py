"""Indicator series: every known layout on its real file, values checked by hand, and
per-line accounting for lines that feed several values or are summed into one."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.errors import UnrecognizedFormatError
from dyadwatch.ingest import SeriesSpec, ingest_series
from dyadwatch.ingest.series import parse_flexible_date
from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.sources.series import (
    fiscal_month_start,
    fiscal_year,
    mx_states,
    series_breaks,
    slug,
)
from dyadwatch.store import Store, open_store

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "indicators"
USBP = DATA / "cbp-uwchr" / "usbp_monthly_encounters_fy2000-fy2020.csv.gz"
ENCOUNTERS = DATA / "cbp-uwchr" / "cbp-nationwide-encounters-fy20-fy23-state.csv.gz"
FENTANYL = DATA / "cbp-drugs" / "fentanylfy19fy23.csv"
DRUGS_19_22 = DATA / "cbp-drugs" / "nationwide-drugs-fy19-fy22.csv"
DRUGS_20_23 = DATA / "cbp-drugs" / "nationwide-drugs-fy20-fy23.csv"
IMPMX = DATA / "fred-mexico-trade" / "IMPMX_1985_2026.csv"
EXPMX = DATA / "fred-mexico-trade" / "EXPMX_2006_2016.csv"
SESNSP = DATA / "sesnsp-mx" / "victims_state_month_homicide_kidnap_extortion_2015_2025.csv"
ENCOUNTERS_22_25 = DATA / "cbp_encounters_fy22_fy25_state.csv.gz"
ENCOUNTERS_23_26 = DATA / "cbp_encounters_fy23_fy26nov_state.csv.gz"
DRUGS_23_26 = DATA / "cbp_drug_seizures_fy23_fy26.csv.gz"
NATIONAL = DATA / "sesnsp_nacional_mensual_2015_2026.json"
NATIONAL_MANIFEST = DATA / "sesnsp_nacional_mensual_2015_2026.manifiesto.json"
SLICE_COUNTS = DATA.parent / "fixtures" / "gdelt2_2025" / "slice_counts.csv"


def _value(store: Store, series: str, period: str, geography: str) -> float:
    return store.scalar(
        "SELECT value FROM indicators WHERE series = ? AND period = ? AND geography = ?",
        [series, dt.date.fromisoformat(period), geography],
    )


def _counts(report: IngestReport) -> tuple[int, int, int, int]:
    return report.read, report.loaded, report.duplicates, report.quarantined


def _quarantine(store: Store) -> list[tuple[int, str]]:
    return [
        (int(n), r)
        for n, r in store.execute("SELECT line_no, reason FROM quarantine ORDER BY line_no")
    ]


@pytest.mark.parametrize(
    ("path", "layout", "lines"),
    [
        (USBP, "cbp-usbp-monthly", 252),
        (FENTANYL, "cbp-drug-seizures", 523),
        (IMPMX, "fred-impmx", 499),
        (EXPMX, "fred-expmx", 121),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else None,
)
def test_known_layout_is_detected_and_every_line_loaded(
    store: Store, settings: Settings, path: Path, layout: str, lines: int
) -> None:
    report = ingest_series(store, path, settings=settings)
    assert report.source_system == f"series:{layout}"
    assert _counts(report) == (lines, lines, 0, 0) and report.balanced
    again = ingest_series(store, path, settings=settings)
    assert again.status == "skipped" and again.run_id == report.run_id


def test_usbp_fiscal_months_become_calendar_months(store: Store, settings: Settings) -> None:
    ingest_series(store, USBP, settings=settings)
    # month 10 of FY2019 (cy 2018) and month 1 of FY2019, checked in the raw file
    assert _value(store, "usbp-apprehensions", "2018-10-01", "southwest_border") == 51005
    assert _value(store, "usbp-apprehensions", "2019-01-01", "southwest_border") == 47979
    assert _value(store, "usbp-apprehensions", "2018-10-01", "USA") == 51801  # monthly_total
    assert _value(store, "usbp-apprehensions", "1999-10-01", "tucson") == 32384
    periods = store.execute(
        "SELECT min(period), max(period), count(DISTINCT geography), min(unit), max(unit) "
        "FROM indicators"
    )
    assert periods == [(dt.date(1999, 10, 1), dt.date(2020, 9, 1), 25, "persons", "persons")]


def test_fiscal_month_start() -> None:
    assert fiscal_month_start(2023, "OCT") == dt.date(2022, 10, 1)
    assert fiscal_month_start(2023, "dec") == dt.date(2022, 12, 1)
    assert fiscal_month_start(2023, "JAN") == dt.date(2023, 1, 1)
    assert fiscal_month_start(2023, "SEP") == dt.date(2023, 9, 1)
    with pytest.raises(ValueError, match="not a month abbreviation"):
        fiscal_month_start(2023, "Q1")


def test_encounters_are_summed_by_state_region_and_nation(store: Store, settings: Settings) -> None:
    report = ingest_series(store, ENCOUNTERS, settings=settings)
    assert report.source_system == "series:cbp-encounters-state"
    assert _counts(report) == (42532, 42532, 0, 0)
    # FY2023 OCT = October 2022; sums of the raw lines, checked with pandas
    assert _value(store, "cbp-encounters", "2022-10-01", "USA") == 278317
    assert _value(store, "cbp-encounters", "2022-10-01", "Southwest Land Border") == 231529
    assert _value(store, "cbp-encounters", "2022-10-01", "US-TX") == 142636
    assert _value(store, "cbp-encounters-mexican", "2022-10-01", "USA") == 67663
    assert _value(store, "cbp-encounters-mexican", "2022-10-01", "US-TX") == 26748


def test_seizures_sum_land_filters_and_convert_fiscal_months(
    store: Store, settings: Settings
) -> None:
    ingest_series(store, FENTANYL, settings=settings)
    # FY2023 JAN, one raw line; FY2019 FEB, a Land Only and an Other line summed
    assert _value(store, "cbp-seizures-fentanyl", "2023-01-01", "SAN DIEGO FIELD OFFICE") == (
        pytest.approx(399.19322242602)
    )
    tucson = _value(store, "cbp-seizures-fentanyl", "2019-02-01", "TUCSON FIELD OFFICE")
    assert tucson == pytest.approx(22.5974259474524 + 0.0035935348706)
    assert _value(store, "cbp-seizure-events-fentanyl", "2019-02-01", "TUCSON FIELD OFFICE") == 16
    assert _value(store, "cbp-seizures-fentanyl", "2022-10-01", "Southwest Border") > 0
    assert store.scalar("SELECT DISTINCT unit FROM indicators WHERE series LIKE 'cbp-seizures-%'")


def test_overlapping_seizure_files_count_old_lines_as_duplicates(
    store: Store, settings: Settings
) -> None:
    first = ingest_series(store, DRUGS_19_22, settings=settings)
    assert first.source_system == "series:cbp-drug-seizures"
    assert _counts(first) == (10092, 10092, 0, 0)
    report = ingest_series(store, DRUGS_20_23, settings=settings)
    # the FY2020-FY2022 lines (7,559, identical in both files) were all in the store
    assert _counts(report) == (9924, 9924 - 7559, 7559, 0) and report.balanced


def test_fred_and_sesnsp_values(store: Store, settings: Settings) -> None:
    ingest_series(store, IMPMX, settings=settings)
    report = ingest_series(store, SESNSP, settings=settings)
    assert report.source_system == "series:sesnsp-victims"
    assert _counts(report) == (16128, 16128, 0, 0)
    assert store.execute(
        "SELECT value, unit, source FROM indicators WHERE series = 'us-imports-from-mexico' "
        "AND period = DATE '1985-01-01' AND geography = 'USA'"
    ) == [(1303.3, "USD millions", "FRED IMPMX (U.S. Census Bureau)")]
    # 2015-01-15,01,Aguascalientes,Homicidio doloso,7
    assert _value(store, "sesnsp-victims-homicidio-doloso", "2015-01-01", "MX-AGU") == 7
    assert _value(store, "sesnsp-victims-extorsion", "2015-01-01", "MX-MEX") == 120
    assert (
        store.scalar(
            "SELECT count(DISTINCT geography) FROM indicators WHERE series LIKE 'sesnsp-%'"
        )
        == 32
    )


def test_bad_lines_of_a_known_layout_are_quarantined(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    head = SESNSP.read_text(encoding="utf-8").splitlines()[:3]
    bad = [
        "2015-13-15,01,Aguascalientes,Homicidio doloso,1",
        "2015-02-15,40,Aguascalientes,Homicidio doloso,1",
        "2015-02-15,05,Colima,Homicidio doloso,1",
        "2015-02-15,01,Aguascalientes,Homicidio doloso,siete",
        "2015-02-15,01,Aguascalientes,Homicidio doloso",
        head[1],  # a repeated line: the first one wins
    ]
    path = tmp_path / "sesnsp.csv"
    path.write_text("\n".join([*head, *bad]) + "\n", encoding="utf-8")
    report = ingest_series(store, path, settings=settings)
    assert _counts(report) == (8, 2, 1, 5) and report.balanced
    assert _quarantine(store) == [
        (4, "date_year_month '2015-13-15' is not a valid date (%Y-%m-%d)"),
        (5, "cve_ent 40 is not a Mexican state code (1..32)"),
        (6, "cve_ent 05 is Coahuila de Zaragoza, not 'Colima'"),
        (7, "n_victimas 'siete' is not a number"),
        (8, "expected 5 fields, found 4"),
    ]


def test_a_bad_line_in_a_summed_layout_is_left_out_of_its_sum(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    columns = (
        "Fiscal Year,Month Grouping,Month (abbv),Land Border Region,State,Demographic,"
        "Citizenship,Title of Authority,Encounter Count"
    )
    lines = [
        "2023,FYTD,OCT,Southwest Land Border,TX,Single Adults,MEXICO,Title 8,10",
        "2023,FYTD,OCT,Southwest Land Border,TX,FMUA,MEXICO,Title 8,5",
        "2023,FYTD,OCT,Southwest Land Border,TX,FMUA,CUBA,Title 8,x",
        "2023,FYTD,OCT,Other,TX,FMUA,CUBA,Title 42,2",
        "2023,FYTD,OCX,Other,TX,FMUA,CUBA,Title 42,2",
    ]
    path = tmp_path / "encounters.csv"
    path.write_text("\n".join([columns, *lines]) + "\n", encoding="utf-8")
    report = ingest_series(store, path, settings=settings)
    assert _counts(report) == (5, 3, 0, 2) and report.balanced
    assert _value(store, "cbp-encounters", "2022-10-01", "US-TX") == 17
    assert _value(store, "cbp-encounters-mexican", "2022-10-01", "Southwest Land Border") == 15
    assert [line for line, _ in _quarantine(store)] == [4, 6]


def test_usbp_line_with_inconsistent_years_is_quarantined(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    lines = gzip.decompress(USBP.read_bytes()).decode().splitlines()[:3]
    fields = lines[2].split("|")
    fields[-1] = fields[-2]  # month 11 of FY2000 claims cy 2000
    path = tmp_path / "usbp.csv"
    path.write_text("\n".join([lines[0], lines[1], "|".join(fields)]) + "\n", encoding="utf-8")
    report = ingest_series(store, path, settings=settings)
    assert _counts(report) == (2, 1, 0, 1)
    assert _quarantine(store) == [(3, "cy 2000 does not match fy 2000 month 11 (1999)")]
    assert store.scalar("SELECT count(*) FROM indicators") == 25


def test_unknown_layout_says_how_to_ingest_it(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "other.csv"
    path.write_text("when,how_many\n2024-01-01,3\n", encoding="utf-8")
    with pytest.raises(UnrecognizedFormatError, match="--name, --date-col, --value-col"):
        ingest_series(store, path, settings=settings)
    assert store.scalar("SELECT count(*) FROM ingest_runs") == 0


def test_generic_spec_needs_its_columns(store: Store, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("when,how_many\n2024-01-01,3\n", encoding="utf-8")
    spec = SeriesSpec(name="x", date_col="date", value_col="how_many", unit="n")
    with pytest.raises(UnrecognizedFormatError, match="no column 'date'"):
        ingest_series(store, path, settings=settings, spec=spec)


def test_generic_series_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "remittances.csv"
    path.write_text(
        "month;state;usd\n"
        "2024-01-01;Jalisco;1.5\n"
        "2024-02;Jalisco;2\n"
        "2024/03/01;Jalisco;3.25\n"
        "2024-02-30;Jalisco;4\n"
        "someday;Jalisco;5\n"
        "2024-04-01;Jalisco;n/a\n"
        "2024-05-01;Jalisco\n"
        "2024-01-01;Jalisco;9\n",
        encoding="utf-8",
    )
    db = tmp_path / "cli.duckdb"
    args = [
        "--db",
        str(db),
        "ingest",
        "series",
        str(path),
        "--name",
        "remittances",
        "--date-col",
        "month",
        "--value-col",
        "usd",
        "--unit",
        "USD millions",
        "--geo-col",
        "state",
        "--json",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout.strip().splitlines()[-1])
    assert {k: totals[k] for k in ("read", "loaded", "duplicates", "quarantined")} == {
        "read": 8,
        "loaded": 3,
        "duplicates": 1,
        "quarantined": 4,
    }
    assert totals["files"][0]["status"] == "loaded"
    with open_store(db) as store:
        assert store.execute(
            "SELECT period, geography, value, unit, source FROM indicators ORDER BY period"
        ) == [
            (dt.date(2024, 1, 1), "Jalisco", 1.5, "USD millions", "file remittances.csv"),
            (dt.date(2024, 2, 1), "Jalisco", 2.0, "USD millions", "file remittances.csv"),
            (dt.date(2024, 3, 1), "Jalisco", 3.25, "USD millions", "file remittances.csv"),
        ]
        reasons = dict(_quarantine(store))
        assert store.scalar("SELECT DISTINCT source_system FROM ingest_runs") == (
            "series:generic:remittances"
        )
    assert sorted(reasons) == [5, 6, 7, 8]
    assert "not a valid date" in reasons[5] and "no four-digit year" in reasons[6]
    assert reasons[7] == "usd 'n/a' is not a number"
    assert reasons[8] == "expected 3 fields, found 2"
    again = CliRunner().invoke(app, args)
    assert json.loads(again.stdout.strip().splitlines()[-1])["files"][0]["status"] == "skipped"


def test_parse_flexible_date() -> None:
    assert parse_flexible_date("2024-03-07") == dt.date(2024, 3, 7)
    assert parse_flexible_date("2024-03") == dt.date(2024, 3, 1)
    assert parse_flexible_date("2024/03/07") == dt.date(2024, 3, 7)
    assert parse_flexible_date("2024-03-07T12:30:00Z") == dt.date(2024, 3, 7)
    for bad in ("", "7", "2024-13-01", "March"):
        with pytest.raises(ValueError):
            parse_flexible_date(bad)


def test_mx_states_table() -> None:
    states = mx_states()
    assert len(states) == 32 and len({s.iso_3166_2 for s in states.values()}) == 32
    assert states[9].iso_3166_2 == "MX-CMX" and states[9].is_called("CDMX")
    assert states[15].is_called("Estado de Mexico") and states[16].is_called("michoacan")
    assert slug("Khat (Catha Edulis)") == "khat-catha-edulis" and slug("Extorsión") == "extorsion"


# -- the 2024-2026 files: CBP to FY2026, the SESNSP national JSON, GDELT slice counts ----


def _raw_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a real (gzipped) CSV, read with the csv module: the test's own reading."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _month(fiscal: str, month: str) -> dt.date:
    return fiscal_month_start(int(fiscal[:4]), month)


def _stored(store: Store, series: str, geography: str) -> dict[dt.date, float]:
    rows = store.execute(
        "SELECT period, value FROM indicators WHERE series = ? AND geography = ?",
        [series, geography],
    )
    return dict(rows)


def test_fiscal_year_reads_the_newer_files_fytd_label() -> None:
    assert fiscal_year("2023") == 2023 and fiscal_year("2026 (FYTD)") == 2026
    for bad in ("FY2026", "2026 (Remaining)", "", "20261"):
        with pytest.raises(ValueError, match="not a year"):
            fiscal_year(bad)


def test_three_overlapping_encounter_files_count_each_month_once(
    store: Store, settings: Settings
) -> None:
    first = ingest_series(store, ENCOUNTERS, settings=settings)
    second = ingest_series(store, ENCOUNTERS_22_25, settings=settings)
    third = ingest_series(store, ENCOUNTERS_23_26, settings=settings)
    # FY2022-FY2023 of the second file and FY2023-FY2025 of the third were all stored:
    # only their newer fiscal years' lines are loaded (12,407 + 9,654; then 1,671)
    assert _counts(first) == (42532, 42532, 0, 0)
    assert _counts(second) == (47100, 12407 + 9654, 47100 - 22061, 0) and second.balanced
    assert _counts(third) == (37161, 1671, 37161 - 1671, 0) and third.balanced
    expected: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for path in (ENCOUNTERS, ENCOUNTERS_22_25, ENCOUNTERS_23_26):
        per_file: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
        for row in _raw_rows(path):
            month = _month(row["Fiscal Year"], row["Month (abbv)"])
            count = int(row["Encounter Count"])
            per_file["USA"][month] += count
            if row["Land Border Region"] == "Southwest Land Border":
                per_file["Southwest Land Border"][month] += count
        for place, months in per_file.items():
            for month, total in months.items():  # the files agree where they overlap
                assert expected[place].setdefault(month, total) == total, (place, month)
    for place in ("USA", "Southwest Land Border"):
        assert _stored(store, "cbp-encounters", place) == expected[place]
    usa = _stored(store, "cbp-encounters", "USA")
    assert min(usa) == dt.date(2019, 10, 1) and max(usa) == dt.date(2025, 11, 1) and len(usa) == 74
    assert usa[dt.date(2025, 11, 1)] == expected["USA"][dt.date(2025, 11, 1)]


def test_seizures_to_fy2026_keep_fy2023_fentanyl_as_the_fentanyl_file_has_it(
    store: Store, settings: Settings
) -> None:
    ingest_series(store, FENTANYL, settings=settings)
    report = ingest_series(store, DRUGS_23_26, settings=settings)
    # the 120 FY2023 Southwest Border fentanyl lines were in the store already
    assert _counts(report) == (8673, 8673 - 120, 120, 0) and report.balanced
    old: dict[dt.date, float] = defaultdict(float)
    new: dict[dt.date, float] = defaultdict(float)
    for rows, sums in ((_raw_rows(FENTANYL), old), (_raw_rows(DRUGS_23_26), new)):
        for row in rows:
            if (
                row["Drug Type"] == "Fentanyl"
                and row["FY"].startswith("2023")
                and row["Region"] == "Southwest Border"
            ):
                sums[_month(row["FY"], row["Month (abbv)"])] += float(row["Sum Qty (lbs)"])
    stored = _stored(store, "cbp-seizures-fentanyl", "Southwest Border")
    assert len(old) == 12 and old.keys() == new.keys()
    for month, pounds in old.items():  # month by month, the two files and the store agree
        assert new[month] == pytest.approx(pounds, rel=1e-12)
        assert stored[month] == pytest.approx(pounds, rel=1e-12)
    assert max(stored) == dt.date(2026, 4, 1)  # FY2026 (FYTD) APR
    # the fentanyl file is the Southwest Border only: the other regions come from the new one
    coastal = _stored(store, "cbp-seizures-fentanyl", "Coastal/Interior")
    assert min(coastal) == dt.date(2022, 10, 1)


def _national_json() -> dict:
    return json.loads(NATIONAL.read_text(encoding="utf-8"))


def test_sesnsp_national_json_is_registered_crimes_to_2026_08(
    store: Store, settings: Settings
) -> None:
    ingest_series(store, SESNSP, settings=settings)
    victims = store.scalar("SELECT count(*) FROM indicators")
    report = ingest_series(store, NATIONAL, settings=settings)
    assert report.source_system == "series:sesnsp-national"
    # 52 series (51 subtypes and the total) x 144 months; 2026-09..12 are null: filtered
    assert (report.read, report.loaded, report.duplicates, report.quarantined) == (
        7488,
        52 * 140,
        0,
        0,
    )
    assert report.filtered == 52 * 4 and report.balanced
    rows = store.execute(
        "SELECT count(DISTINCT series), min(period), max(period), min(value), "
        "list(DISTINCT unit), list(DISTINCT geography) FROM indicators "
        "WHERE series LIKE 'sesnsp-crimes-%'"
    )
    assert rows == [
        (52, dt.date(2015, 1, 1), dt.date(2026, 8, 1), 0.0, ["registered crimes"], ["MEX"])
    ]
    # no name collides with the victims series, which keep their rows
    assert store.scalar("SELECT count(*) FROM indicators WHERE series LIKE 'sesnsp-v%'") == victims
    total = _stored(store, "sesnsp-crimes-total", "MEX")
    manifest = json.loads(NATIONAL_MANIFEST.read_text(encoding="utf-8"))
    detail = manifest["cambios"][0]["detalle"]  # "... 2015-2025 = 21 732 474; 2026 ... = 1 341 772"
    assert "21 732 474" in detail and "1 341 772" in detail
    assert sum(v for m, v in total.items() if m.year <= 2025) == 21_732_474
    assert sum(v for m, v in total.items() if m.year == 2026) == 1_341_772
    data = _national_json()
    homicides = data["series"]["homicidio-doloso"]
    assert _value(store, "sesnsp-crimes-homicidio-doloso", "2026-08-01", "MEX") == homicides[139]
    assert "RNID" in store.scalar(
        "SELECT DISTINCT source FROM indicators WHERE series = 'sesnsp-crimes-total'"
    )


def test_sesnsp_national_break_is_recorded_for_its_series_only() -> None:
    (brk,) = series_breaks("sesnsp-crimes-feminicidio")
    assert brk.period == dt.date(2026, 1, 1) and "RNID" in brk.note
    assert series_breaks("sesnsp-victims-homicidio-doloso") == ()
    assert series_breaks("cbp-encounters") == ()


def test_sesnsp_national_bad_cells_are_quarantined_and_nulls_skipped(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    data = _national_json()
    data["series"] = {"secuestro": [1, None, "tres", 4.5] + [None] * 140}
    data["total"] = [10, 20, 30, 40] + [None] * 140
    path = tmp_path / "nacional.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = ingest_series(store, path, settings=settings)
    assert (report.read, report.loaded, report.quarantined, report.filtered) == (288, 6, 1, 281)
    assert _quarantine(store) == [(3, "secuestro 2015-03: 'tres' is not a number")]
    assert _value(store, "sesnsp-crimes-secuestro", "2015-04-01", "MEX") == 4.5
    assert store.scalar("SELECT count(*) FROM indicators WHERE value = 0") == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("meses"), "no list 'meses'"),
        (lambda d: d["series"].update(secuestro=[1, 2]), "series 'secuestro' has 2 values"),
        (lambda d: d["meta"].update(unidad="víctimas"), "does not count delitos"),
    ],
    ids=["no-months", "short-series", "victims"],
)
def test_sesnsp_national_format_change_fails_naming_the_field(
    store: Store, settings: Settings, tmp_path: Path, change, message: str
) -> None:
    data = _national_json()
    change(data)
    path = tmp_path / "nacional.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UnrecognizedFormatError, match=message):
        ingest_series(store, path, settings=settings)
    assert store.scalar("SELECT count(*) FROM ingest_runs") == 0


def test_gdelt_slice_counts_become_daily_volume(store: Store, settings: Settings) -> None:
    report = ingest_series(store, SLICE_COUNTS, settings=settings)
    assert report.source_system == "series:gdelt-slice-counts"
    assert _counts(report) == (1184, 1184, 0, 0)
    events = _stored(store, "gdelt2-events-published", "ALL")
    slices = _stored(store, "gdelt2-slices-published", "ALL")
    assert min(events) == dt.date(2025, 5, 15) and max(events) == dt.date(2025, 6, 14)
    assert len(events) == 31 and sum(events.values()) == 1_461_286
    # 2025-06-01: the 40 slices whose full files are fixtures/gdelt2_2025/20250601*.zip
    assert slices[dt.date(2025, 6, 1)] == 40 and events[dt.date(2025, 6, 1)] == 30436
    assert sum(slices.values()) == 1184
