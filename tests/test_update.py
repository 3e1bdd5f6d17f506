"""``dyadwatch update``'s dataset updaters against the loopback server, serving real files.

What is served, all from ``../shared/data``:

- GDELT: the 40 real GDELT 2.0 export zips of 2025-06-01 and their masterfilelist
  (``fixtures/gdelt2_2025/``), the list's URLs rewritten to the loopback server;
- CBP: the real encounters-by-state CSVs (FY2020-23 and FY2023-26 Nov) and drug seizures
  CSV (FY2023-26 Apr), unzipped as CBP serves them, under the file names CBP gave them.
  The page that links to them is built by the test: CBP's real page is not in the data,
  so only its link structure (``/sites/default/files/<YYYY-MM>/<name>.csv``) is copied;
- SESNSP: the real national monthly JSON; FRED: the real IMPMX and EXPMX CSVs;
- UCDP: the real GED rows of Mexico (1989-2023) split by date: the rows of 2022 zipped as
  the yearly release 23.1 (``ged231-csv.zip``; the real release holds 1989-2022, cut here
  to keep the tests fast), and the real rows of January and February 2023 as the
  candidate files of those months (UCDP's candidate files have the GED columns;
  these rows are the final GED version of those events, standing in for the candidates).

Negative cases change real bytes on purpose (a renamed column, a JSON key renamed): they
are named as such, and never presented as real data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from loopback import Loopback

from dyadwatch.errors import ConfigError, DyadwatchError
from dyadwatch.ingest import ingest_gdelt
from dyadwatch.ingest.update import UpdateReport, choose, default_updaters, run_update
from dyadwatch.ingest.update_base import SourceOutcome, UpdateJob
from dyadwatch.ingest.updaters import gdelt_since
from dyadwatch.settings import Settings
from dyadwatch.sources.delimited import read_records
from dyadwatch.sources.ucdp import UCDP
from dyadwatch.store import open_store

from conftest import SHARED_DATA, table_count

GDELT_DIR = SHARED_DATA / "fixtures" / "gdelt2_2025"
INDICATORS = SHARED_DATA / "indicators"
ENCOUNTERS_NEW = INDICATORS / "cbp_encounters_fy23_fy26nov_state.csv.gz"
ENCOUNTERS_OLD = INDICATORS / "cbp-uwchr" / "cbp-nationwide-encounters-fy20-fy23-state.csv.gz"
SEIZURES = INDICATORS / "cbp_drug_seizures_fy23_fy26.csv.gz"
SESNSP = INDICATORS / "sesnsp_nacional_mensual_2015_2026.json"
FRED_DIR = INDICATORS / "fred-mexico-trade"
UCDP_GED = INDICATORS / "ucdp_ged_mexico_1989_2023.csv.gz"

ENC_PAGE, DRUG_PAGE = "/document/stats/nationwide-encounters", "/document/stats/nationwide-drugs"
ENC_NEW = "/sites/default/files/2025-12/nationwide-encounters-fy23-fy26-nov-state.csv"
ENC_OLD = "/sites/default/files/assets/documents/2023-Nov/nationwide-encounters-fy20-fy23-state.csv"
DRUGS = "/sites/default/files/2026-05/nationwide-drugs-fy23-fy26-apr.csv"
SESNSP_PATH = "/datos/nacional_mensual_homologado.json"
UPSTREAM = "http://data.gdeltproject.org/gdeltv2"


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with Loopback() as server:
        yield server


def _page(*links: str) -> bytes:
    """A page built by the test with CBP's link structure (not CBP's real page)."""
    items = "".join(f'<li><a href="{link}">{link.rsplit("/", 1)[-1]}</a></li>' for link in links)
    return f"<html><body><ul>{items}</ul></body></html>".encode()


@dataclass
class Rig:
    """Settings pointing every source at the loopback server, and a way to run updates."""

    server: Loopback
    tmp: Path
    overrides: dict[str, Any] = field(default_factory=dict)
    sleeps: list[float] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        url = self.server.url
        return Settings(
            db=self.tmp / "dw.duckdb",
            cache_dir=self.tmp / "cache",
            gdelt_masterfilelist_url=url("/gdeltv2/masterfilelist.txt"),
            ucdp_ged_url=url("/ucdp/ged/ged{yy}1-csv.zip"),
            ucdp_candidate_url=url("/ucdp/candidateged/GEDEvent_v{yy}_0_{month}.csv"),
            cbp_encounters_url=url(ENC_PAGE),
            cbp_seizures_url=url(DRUG_PAGE),
            sesnsp_url=url(SESNSP_PATH),
            fred_url=url("/graph/fredgraph.csv?id={series}"),
            **self.overrides,
        )

    def update(self, *only: str, today: dt.date = dt.date(2026, 9, 1)) -> UpdateReport:
        settings = self.settings
        with open_store(settings.db) as store, httpx.Client(timeout=10) as client:
            job = UpdateJob(
                store, settings, client, settings.cache_dir, self.sleeps.append, today=today
            )
            return run_update(job, default_updaters(settings), only=list(only))

    def count(self, sql: str) -> Any:
        with open_store(self.settings.db) as store:
            return store.scalar(sql)


@pytest.fixture
def rig(loopback: Loopback, tmp_path: Path) -> Rig:
    return Rig(loopback, tmp_path)


def _one(report: UpdateReport) -> SourceOutcome:
    (outcome,) = report.outcomes
    for ingested in outcome.reports:  # every row of every file is accounted for
        assert ingested.read == (
            ingested.loaded + ingested.duplicates + ingested.quarantined + ingested.filtered
        )
    return outcome


# -- GDELT: the 40 real slices of 2025-06-01 --------------------------------------------


def _serve_gdelt(server: Loopback) -> list[str]:
    names = sorted(path.name for path in GDELT_DIR.glob("20250601*.export.CSV.zip"))
    for name in names:
        server.serve_file(f"/gdeltv2/{name}", GDELT_DIR / name)
    listing = (
        (GDELT_DIR / "masterfilelist.txt").read_text().replace(UPSTREAM, server.url("/gdeltv2"))
    )
    server.serve("/gdeltv2/masterfilelist.txt", listing.encode())
    return names


def _usa_mex_rows() -> int:
    """Rows of the 40 slices whose two actors are the USA and Mexico, counted here."""
    found = 0
    for path in GDELT_DIR.glob("20250601*.export.CSV.zip"):
        with zipfile.ZipFile(path) as archive:
            text = archive.read(archive.namelist()[0]).decode()
        for line in text.splitlines():
            fields = line.split("\t")
            found += {fields[7], fields[17]} == {"USA", "MEX"}
    return found


def test_gdelt_first_update_loads_the_dyad_and_the_second_adds_nothing(rig: Rig) -> None:
    names = _serve_gdelt(rig.server)
    assert len(names) == 40
    first = _one(rig.update("gdelt", today=dt.date(2025, 6, 1)))
    expected = _usa_mex_rows()
    assert expected == 25
    assert (first.source, first.files, first.failed, first.skipped) == ("gdelt", 40, (), 0)
    assert first.new_rows == expected == rig.count("SELECT count(*) FROM events")
    assert first.filtered == 30_436 - expected - first.quarantined
    assert first.data_through == rig.count("SELECT max(event_date) FROM events")
    assert list((rig.settings.cache_dir / "gdelt").iterdir()) == []
    second = _one(rig.update("gdelt", today=dt.date(2025, 6, 1)))
    assert (second.new_rows, second.files, second.skipped, second.failed) == (0, 0, 40, ())
    zips = [hit for hit in rig.server.hits() if hit.path.endswith(".zip")]
    assert len(zips) == 40  # the second update downloaded nothing but the list


def test_gdelt_starts_from_the_setting_when_the_store_has_no_file(rig: Rig) -> None:
    _serve_gdelt(rig.server)
    rig.overrides["update_gdelt_since"] = dt.date(2025, 6, 2)  # after the 40 slices
    outcome = _one(rig.update("gdelt", today=dt.date(2025, 6, 3)))
    assert (outcome.files, outcome.new_rows, outcome.failed) == (0, 0, ())


def test_gdelt_catches_up_at_most_max_days(rig: Rig) -> None:
    settings = rig.settings
    fixture = SHARED_DATA / "fixtures" / "gdelt" / "20191024143000.export.CSV"
    with open_store(settings.db) as store:
        ingest_gdelt(store, fixture, settings=settings)  # as in the demo: a file of 2019
        today = dt.date(2025, 6, 2)
        job = UpdateJob(store, settings, httpx.Client(), settings.cache_dir, rig.sleeps.append)
        assert gdelt_since(dataclasses.replace(job, today=today)) == dt.date(2025, 5, 26)
        patient = settings.model_copy(update={"update_gdelt_max_days": 10_000})
        job = dataclasses.replace(job, settings=patient, today=today)
        assert gdelt_since(job) == dt.date(2019, 10, 24)
        job.client.close()


# -- CBP ------------------------------------------------------------------------------------


def _serve_cbp(server: Loopback, *, encounters: Path = ENCOUNTERS_NEW, link: str = ENC_NEW) -> None:
    server.serve(ENC_PAGE, _page(link), content_type="text/html")
    server.serve(link, gzip.decompress(encounters.read_bytes()), content_type="text/csv")
    server.serve(DRUG_PAGE, _page(DRUGS), content_type="text/html")
    server.serve(DRUGS, gzip.decompress(SEIZURES.read_bytes()), content_type="text/csv")


def test_cbp_loads_then_304s_then_takes_the_new_file_of_the_page(rig: Rig) -> None:
    _serve_cbp(rig.server, encounters=ENCOUNTERS_OLD, link=ENC_OLD)
    first = _one(rig.update("cbp"))
    assert (first.files, first.failed, first.quarantined) == (2, (), 0)
    assert first.new_rows > 0 and first.new_rows == sum(r.loaded for r in first.reports)
    assert first.data_through == dt.date(2026, 4, 1)  # the seizures run to FY2026 April
    assert rig.count("SELECT max(period) FROM indicators WHERE series = 'cbp-encounters'") == (
        dt.date(2023, 9, 1)
    )
    second = _one(rig.update("cbp"))
    assert (second.new_rows, second.files, second.not_modified, second.failed) == (0, 0, 2, ())
    assert [hit.status for hit in rig.server.hits()[-4:]] == [304, 304, 304, 304]
    drugs_size = len(gzip.decompress(SEIZURES.read_bytes()))
    kept = rig.count("SELECT bytes FROM fetch_state WHERE url LIKE '%nationwide-drugs%'")
    assert kept == drugs_size  # a 304 keeps the size stored with the file
    # CBP publishes the next file under a new name; the page links to both.
    rig.server.serve(ENC_PAGE, _page(ENC_OLD, ENC_NEW), content_type="text/html")
    rig.server.serve(ENC_NEW, gzip.decompress(ENCOUNTERS_NEW.read_bytes()))
    third = _one(rig.update("cbp"))
    assert (third.files, third.not_modified, third.failed) == (1, 1, ())
    assert third.new_rows > 0 and third.reports[0].duplicates > 0  # FY2023 was there
    assert rig.count("SELECT max(period) FROM indicators WHERE series = 'cbp-encounters'") == (
        dt.date(2025, 11, 1)
    )
    assert list((rig.settings.cache_dir / "cbp-encounters").iterdir()) == []


def test_cbp_a_renamed_column_fails_naming_the_source_and_the_field(rig: Rig) -> None:
    _serve_cbp(rig.server)
    real = gzip.decompress(ENCOUNTERS_NEW.read_bytes())
    renamed = real.replace(b"Encounter Count", b"Encounters", 1)  # changed on purpose
    rig.server.serve(ENC_NEW, renamed)
    outcome = _one(rig.update("cbp"))
    (failure,) = outcome.failed
    assert failure.startswith(
        "cbp-encounters: column 'Encounter Count' missing (found: Fiscal Year, Month Grouping,"
    )
    assert "Encounters)" in failure and "changed its format" in failure
    assert outcome.files == 1 and outcome.new_rows > 0  # the seizures file still loaded
    assert rig.count("SELECT count(*) FROM indicators WHERE series = 'cbp-encounters'") == 0
    # Nothing was remembered for the bad file: the next update fetches it again.
    rig.server.serve(ENC_NEW, real)
    again = _one(rig.update("cbp"))
    assert again.failed == () and again.files == 1 and again.not_modified == 1


def test_cbp_a_page_without_the_link_fails_clearly(rig: Rig) -> None:
    _serve_cbp(rig.server)
    rig.server.serve(ENC_PAGE, _page("/sites/default/files/2025-12/other.pdf"))
    outcome = _one(rig.update("cbp"))
    assert outcome.failed[0].startswith("cbp-encounters: no link matching")
    assert "DYADWATCH_CBP_ENCOUNTERS_URL" in outcome.failed[0]


def test_a_file_over_the_size_limit_fails_clearly(rig: Rig) -> None:
    _serve_cbp(rig.server)
    rig.overrides["update_max_bytes"] = 1_000_000  # the encounters CSV has 2,484,651 bytes
    outcome = _one(rig.update("cbp"))
    (failure,) = outcome.failed
    assert failure.startswith(f"cbp-encounters: {rig.server.url(ENC_NEW)}: the server announces")
    assert "over the limit of 1,000,000 bytes" in failure
    assert outcome.files == 1  # the seizures file (1,032,566 bytes) fits


# -- SESNSP -------------------------------------------------------------------------------


def test_sesnsp_loads_retries_a_503_and_then_gets_304(rig: Rig) -> None:
    rig.server.serve_file(SESNSP_PATH, SESNSP, content_type="application/json")
    rig.server.fail(SESNSP_PATH, status=503)
    first = _one(rig.update("sesnsp"))
    assert [hit.status for hit in rig.server.hits(SESNSP_PATH)] == [503, 200]
    assert rig.sleeps == [1.0]
    assert first.failed == () and first.files == 1 and first.new_rows > 0
    assert first.data_through == dt.date(2026, 8, 1)
    second = _one(rig.update("sesnsp"))
    assert (second.new_rows, second.not_modified, second.skipped) == (0, 1, 1)
    assert rig.server.hits(SESNSP_PATH)[-1].header("If-None-Match")


def test_sesnsp_a_renamed_key_fails_naming_it(rig: Rig) -> None:
    real = SESNSP.read_bytes()
    rig.server.serve(SESNSP_PATH, real.replace(b'"meses"', b'"months"', 1))  # on purpose
    (failure,) = _one(rig.update("sesnsp")).failed
    assert failure.startswith("sesnsp: key 'meses' missing (found: meta, metodologia, months")


# -- FRED -------------------------------------------------------------------------------------


def _serve_fred(server: Loopback, impmx: str = "IMPMX_1985_2026.csv") -> None:
    server.serve_file("/graph/fredgraph.csv?id=IMPMX", FRED_DIR / impmx, validators=False)
    server.serve_file(
        "/graph/fredgraph.csv?id=EXPMX", FRED_DIR / "EXPMX_2006_2016.csv", validators=False
    )


def test_fred_resumes_a_cut_body_and_knows_unchanged_bytes_without_validators(rig: Rig) -> None:
    _serve_fred(rig.server, "IMPMX_2006_2016.csv")
    rig.server.cut("/graph/fredgraph.csv?id=IMPMX")
    first = _one(rig.update("fred"))
    assert first.failed == () and first.files == 2 and first.new_rows > 0
    first_hits = rig.server.hits("/graph/fredgraph.csv?id=IMPMX")
    # FRED sends no validators: the part cannot be resumed safely, so it starts again.
    assert [hit.header("Range") for hit in first_hits] == [None, None]
    assert first.data_through == dt.date(2016, 12, 1)
    second = _one(rig.update("fred"))  # same bytes: recognised by sha256, not ingested
    assert (second.files, second.not_modified, second.new_rows) == (0, 2, 0)
    _serve_fred(rig.server)  # FRED's series now runs to 2026-07
    third = _one(rig.update("fred"))
    assert third.files == 1 and third.new_rows > 0 and third.data_through == dt.date(2026, 7, 1)


def test_fred_an_unknown_series_fails_with_what_to_do(rig: Rig) -> None:
    _serve_fred(rig.server)
    rig.overrides["fred_series"] = ["IMPMX", "DEXMXUS"]
    outcome = _one(rig.update("fred"))
    (failure,) = outcome.failed
    assert failure.startswith("fred-DEXMXUS: series 'DEXMXUS' has no known layout")
    assert outcome.files == 1


# -- UCDP ---------------------------------------------------------------------------------


def _ged_records() -> tuple[str, list[tuple[str, str]]]:
    """The real GED file's header and (date_start, raw record text) of every record."""
    text = gzip.decompress(UCDP_GED.read_bytes()).decode()
    path = Path(pytest.importorskip("tempfile").mkdtemp()) / "ged.csv"
    path.write_text(text, encoding="utf-8")
    header = text.split("\n", 1)[0]
    start = header.split(",").index("date_start")
    records = [(r.values[start], r.raw) for r in read_records(path, UCDP)]
    return header, records


@pytest.fixture(scope="module")
def ged() -> tuple[str, list[tuple[str, str]]]:
    return _ged_records()


def _csv(header: str, records: list[str]) -> bytes:
    return ("\n".join([header, *records]) + "\n").encode()


def _serve_ucdp(server: Loopback, ged: tuple[str, list[tuple[str, str]]]) -> dict[str, int]:
    header, records = ged
    release = [raw for day, raw in records if "2022-01-01" <= day < "2023-01-01"]
    january = [raw for day, raw in records if day.startswith("2023-01")]
    february = [raw for day, raw in records if day.startswith("2023-02")]
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("GEDEvent_v23_1.csv", _csv(header, release))
    server.serve("/ucdp/ged/ged231-csv.zip", packed.getvalue())
    server.serve("/ucdp/candidateged/GEDEvent_v23_0_1.csv", _csv(header, january))
    server.serve("/ucdp/candidateged/GEDEvent_v23_0_2.csv", _csv(header, february))
    return {"release": len(release), "january": len(january), "february": len(february)}


def test_ucdp_probes_the_release_and_takes_the_candidate_months(rig: Rig, ged: Any) -> None:
    sizes = _serve_ucdp(rig.server, ged)
    today = dt.date(2023, 3, 20)
    first = _one(rig.update("ucdp", today=today))
    assert first.failed == () and first.files == 3
    assert sum(r.read for r in first.reports) == sum(sizes.values())
    assert first.new_rows == rig.count("SELECT count(*) FROM events WHERE source_system='ucdp'")
    assert first.new_rows > sizes["release"]  # the candidate months added events
    header, records = ged
    latest = max(day for day, _ in records if day.startswith("2023-02"))
    assert first.data_through == dt.date.fromisoformat(latest)
    asked = [(hit.path.rsplit("/", 1)[-1], hit.status) for hit in rig.server.hits()]
    assert asked == [
        ("ged231-csv.zip", 200),
        ("GEDEvent_v23_0_1.csv", 200),
        ("GEDEvent_v23_0_2.csv", 200),
        ("GEDEvent_v23_0_3.csv", 404),  # not published yet: the probe stops, no failure
    ]
    second = _one(rig.update("ucdp", today=today))
    assert (second.new_rows, second.files, second.not_modified, second.failed) == (0, 0, 3, ())


def test_ucdp_probes_back_to_last_years_release(rig: Rig, ged: Any) -> None:
    _serve_ucdp(rig.server, ged)
    outcome = _one(rig.update("ucdp", today=dt.date(2024, 1, 10)))  # 24.1 is not out yet
    asked = [hit.path.rsplit("/", 1)[-1] for hit in rig.server.hits()][:2]
    assert asked == ["ged241-csv.zip", "ged231-csv.zip"]
    assert outcome.failed == () and outcome.files == 3  # then 2023's months, to February


def test_ucdp_keeps_only_the_dyads_countries(rig: Rig, ged: Any) -> None:
    sizes = _serve_ucdp(rig.server, ged)
    rig.overrides["dyad"] = "GBR-USA"  # no GED event of these real rows is in either
    outcome = _one(rig.update("ucdp", today=dt.date(2023, 3, 20)))
    assert outcome.new_rows == 0 and outcome.filtered == sum(sizes.values())
    assert rig.count("SELECT count(*) FROM events") == 0


def test_ucdp_a_renamed_column_fails_naming_it(rig: Rig, ged: Any) -> None:
    header, records = ged
    _serve_ucdp(rig.server, (header.replace(",best,", ",best_estimate,"), records))
    outcome = _one(rig.update("ucdp", today=dt.date(2023, 3, 20)))
    assert outcome.failed[0].startswith("ucdp-ged: column 'best' missing (found: id, relid,")


# -- the runner ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """An updater whose source fails as a whole (test double for the runner)."""

    name: str = "broken"

    def run(self, job: UpdateJob) -> SourceOutcome:
        raise DyadwatchError("the format changed")


def test_a_failing_source_is_recorded_and_the_next_one_runs(rig: Rig) -> None:
    rig.server.serve_file(SESNSP_PATH, SESNSP)
    settings = rig.settings
    steps: list[tuple[str, str]] = []
    with open_store(settings.db) as store, httpx.Client(timeout=10) as client:
        job = UpdateJob(
            store,
            settings,
            client,
            settings.cache_dir,
            rig.sleeps.append,
            on_step=lambda source, what, done, total: steps.append((source, what)),
        )
        updaters = [Broken(), *default_updaters(settings)]
        report = run_update(job, updaters, only=["sesnsp", "broken"])
        assert table_count(store, "indicators") > 0
    assert [o.source for o in report.outcomes] == ["broken", "sesnsp"]
    assert report.outcomes[0].failed == ("broken: the format changed",)
    assert report.outcomes[1].failed == () and report.failed
    assert ("broken", "starting") in steps and ("sesnsp", "done") in steps


def test_only_names_an_unknown_source(rig: Rig) -> None:
    with pytest.raises(
        ConfigError, match=r"no source called 'acled': use --only with one of gdelt, ucdp"
    ):
        choose(default_updaters(rig.settings), ["acled"])


def test_json_of_the_sesnsp_file_is_as_served(rig: Rig) -> None:
    # The served JSON is the real file, byte for byte (a guard on the fixture itself).
    rig.server.serve_file(SESNSP_PATH, SESNSP)
    assert json.loads(rig.server.resources[SESNSP_PATH].body)["meses"][0] == "2015-01"
