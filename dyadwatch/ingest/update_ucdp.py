"""The ``ucdp`` updater: UCDP GED's yearly release and its monthly candidate events.

Where the files are (https://ucdp.uu.se/downloads/), and how versions are found:

- the **yearly release** ``ged{yy}1-csv.zip`` (``ged251-csv.zip`` is GED 25.1, out in
  June 2025, with events to 2024-12-31) is a zip of one global CSV. Versions are
  **probed**, not listed in a setting: the releases of this year, last year and the year
  before are asked for, newest first, with conditional requests; the first one the
  server has is the release (a 404 means "not published yet" and is not a failure; a
  304 means it is already in the store);
- the **candidate events** ``GEDEvent_v{yy}_0_{month}.csv`` (``v26_0_1`` holds January
  2026) are one global CSV per month, published a few weeks after it. Every month from
  January of the release's year (the first month the release does not cover) to this
  month is asked for, in order, until the first the server does not have.

Both have the GED columns the UCDP reader needs (:data:`~dyadwatch.sources.ucdp.
UCDP_COLUMNS`), checked by name; ``date_start`` must still be ``YYYY-MM-DD``. The files
are global, so before the ingest only the events in the dyad's countries are kept
(``country`` through :func:`~dyadwatch.ingest.ucdp.ucdp_country`); the others are counted
as ``filtered`` in the outcome (the ingest report counts only the kept file's rows, and
is ``skipped`` when exactly those rows were ingested before).

A limit to know: a candidate event and the same event in a later yearly release share
their UCDP ``id``, so the store keeps the candidate's version (the first one loaded) and
the release's revision of it counts as a duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import RemoteNotFoundError
from dyadwatch.ingest.ucdp import SOURCE_SYSTEM, ingest_ucdp, ucdp_country
from dyadwatch.ingest.update_base import SourceOutcome, UpdateJob
from dyadwatch.ingest.update_files import Remote, Tally, file_name, update_file
from dyadwatch.records import IngestReport
from dyadwatch.sources.delimited import read_records
from dyadwatch.sources.files import prepare_input
from dyadwatch.sources.schema import require_columns, require_value
from dyadwatch.sources.ucdp import UCDP, UCDP_COLUMNS
from dyadwatch.store.update_queries import latest_event_date

YEARS_PROBED = 3
DATE = r"\d{4}-\d{2}-\d{2}"


@dataclass(frozen=True, slots=True)
class UcdpUpdater:
    """UCDP GED: the newest yearly release, then the candidate months after it."""

    name: str = "ucdp"

    def run(self, job: UpdateJob) -> SourceOutcome:
        tally = Tally(self.name)
        release = _update_release(job, tally)
        if release is not None:
            for month in months_after(release, job.today):
                if _update_candidate(job, tally, month) != "done":
                    break
        return tally.outcome(latest_event_date(job.store, SOURCE_SYSTEM, until=job.today))


def _update_release(job: UpdateJob, tally: Tally) -> int | None:
    """The year of the newest yearly release the server has (updated if it changed)."""
    years = range(job.today.year, job.today.year - YEARS_PROBED, -1)
    for year in years:
        url = job.settings.ucdp_ged_url.format(yy=f"{year % 100:02d}")
        remote = Remote("ucdp-ged", url, file_name(url, f"ged{year % 100:02d}1.zip"))
        result = _update(job, remote, tally)
        if result == "done":
            return year
        if result == "failed":
            return None
    asked = job.settings.ucdp_ged_url.format(yy="YY")
    tally.fail(
        "ucdp-ged",
        RemoteNotFoundError(
            f"no yearly release of {years[-1]}-{years[0]} at {asked}. Check "
            "DYADWATCH_UCDP_GED_URL against https://ucdp.uu.se/downloads/."
        ),
    )
    return None


def _update_candidate(job: UpdateJob, tally: Tally, month: dt.date) -> str:
    url = job.settings.ucdp_candidate_url.format(yy=f"{month.year % 100:02d}", month=month.month)
    remote = Remote("ucdp-candidate", url, file_name(url, f"candidate-{month:%Y-%m}.csv"))
    return _update(job, remote, tally)


def _update(job: UpdateJob, remote: Remote, tally: Tally) -> str:
    return update_file(
        job,
        remote,
        tally,
        check=lambda path: None,  # checked on the unpacked text, in _ingest
        ingest=lambda path: _ingest(job, remote.source, path, tally),
        missing_ok=True,
    )


def months_after(release_year: int, today: dt.date) -> Iterator[dt.date]:
    """The first day of every month from January of ``release_year`` to ``today``'s."""
    month = dt.date(release_year, 1, 1)
    while month <= today:
        yield month
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _ingest(job: UpdateJob, source: str, path: Path, tally: Tally) -> IngestReport:
    """Check the file's columns, keep the dyad's events, and ingest those."""
    kept = path.with_name(f"{path.name}.{job.settings.dyad}.csv")
    try:
        with prepare_input(path) as prepared:
            columns = require_columns(source, prepared.text_path, UCDP_COLUMNS)
            dropped = keep_countries(
                prepared.text_path,
                kept,
                columns,
                countries=set(job.settings.dyad_countries),
                source=source,
            )
        report = ingest_ucdp(job.store, kept, settings=job.settings)
    finally:
        kept.unlink(missing_ok=True)
    tally.filtered += dropped  # read and left out, whether or not the kept rows were new
    return report


def keep_countries(
    text: Path, dest: Path, columns: tuple[str, ...], *, countries: set[str], source: str
) -> int:
    """Copy the header and the records of ``text`` in ``countries`` (ISO3) to ``dest``, as
    they are written; returns how many records were left out. A record the csv module
    cannot read is kept, for the ingest to quarantine."""
    country, start = columns.index("country"), columns.index("date_start")
    dropped, checked = 0, False
    with text.open(encoding="utf-8") as handle:
        header = handle.readline()
    with dest.open("w", encoding="utf-8", newline="\n") as out:
        out.write(header)
        for record in read_records(text, UCDP):
            values = record.values
            if record.error is None and len(values) == len(columns):
                if not checked:
                    require_value(source, text, "date_start", values[start], DATE)
                    checked = True
                if ucdp_country(values[country]) not in countries:
                    dropped += 1
                    continue
            out.write(record.raw + "\n")
    return dropped
