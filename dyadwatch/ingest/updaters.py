"""The dataset updaters of ``dyadwatch update``: GDELT, CBP, SESNSP and FRED (UCDP is in
:mod:`dyadwatch.ingest.update_ucdp`).

Each is an :class:`~dyadwatch.ingest.update_base.Updater`: ``name`` is what
``--only`` takes, and ``run(job)`` returns a
:class:`~dyadwatch.ingest.update_base.SourceOutcome`. Where each source's files come from
(the URL settings are in ``docs/settings.md``, the sources in ``docs/update.md``):

- ``gdelt``: GDELT 2.0's masterfilelist, through :func:`~dyadwatch.ingest.sync.sync_gdelt`
  with the dyad filter, from the day of the last 15-minute file ingested (at most
  ``update_gdelt_max_days`` back) to today;
- ``cbp``: CBP's nationwide encounters (by state) and drug seizures CSVs, found on their
  pages (CBP renames the files monthly), checked against the columns of the
  ``cbp-encounters-state`` and ``cbp-drug-seizures`` layouts;
- ``sesnsp``: the national monthly series of registered crimes (one JSON file);
- ``fred``: one CSV per series of ``settings.fred_series`` (FRED's ``fredgraph.csv``,
  which sends no validators: an unchanged series is recognised by its sha256).

Every file goes through :func:`~dyadwatch.ingest.update_files.update_file`: fetched only
when it changed, checked, ingested, then its validators stored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import ConfigError, FetchError, SchemaChangedError
from dyadwatch.ingest.series import FRED_SERIES, ingest_series
from dyadwatch.ingest.sync import SyncReport, sync_gdelt
from dyadwatch.ingest.update_base import SourceOutcome, UpdateJob
from dyadwatch.ingest.update_files import (
    Remote,
    Tally,
    discover,
    file_name,
    finish_discovery,
    update_file,
)
from dyadwatch.records import IngestReport
from dyadwatch.sources import gdelt
from dyadwatch.sources import series as src
from dyadwatch.sources.schema import json_object, require_columns
from dyadwatch.store.update_queries import latest_event_date, latest_gdelt_file, latest_period

# -- GDELT ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GdeltUpdater:
    """GDELT 2.0 events (and mentions, with ``update_gdelt_mentions``), dyad only."""

    name: str = "gdelt"

    def run(self, job: UpdateJob) -> SourceOutcome:
        report = sync_gdelt(
            job.store,
            settings=job.settings,
            client=job.client,
            since=gdelt_since(job),
            until=job.today,
            include_mentions=job.settings.update_gdelt_mentions,
            sleep=job.sleep,
            on_file=lambda step: job.step(self.name, step.file.name, step.number, step.total),
        )
        through = latest_event_date(job.store, gdelt.GDELT2, until=job.today)
        return gdelt_tally(self.name, report).outcome(through)


def gdelt_since(job: UpdateJob) -> dt.date:
    """The day of the last GDELT 2.0 file in the store, but at most ``update_gdelt_max_days``
    back; for a store with none, ``update_gdelt_since`` or ``update_gdelt_days`` before
    today."""
    settings = job.settings
    systems = [gdelt.GDELT2, *([gdelt.MENTIONS] if settings.update_gdelt_mentions else [])]
    latest = latest_gdelt_file(job.store, systems)
    if latest is not None:
        day = dt.datetime.strptime(latest[:8], "%Y%m%d").date()
        earliest = job.today - dt.timedelta(days=settings.update_gdelt_max_days)
        return min(max(day, earliest), job.today)
    if settings.update_gdelt_since is not None:
        return settings.update_gdelt_since
    return job.today - dt.timedelta(days=settings.update_gdelt_days)


def gdelt_tally(name: str, report: SyncReport) -> Tally:
    """A sync's counts as an updater's: files known by name count as skipped once."""
    tally = Tally(name)
    for ingested in report.reports:
        tally.add(ingested)
    seen_by_hash = sum(1 for r in report.reports if r.status == "skipped")
    tally.skipped += len(report.skipped) - seen_by_hash
    tally.failed += [f"{name}: {failed.name}: {failed.reason}" for failed in report.failed]
    return tally


# -- CBP --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CbpFile:
    """One of CBP's files: its source name, its settings and the layout it must match."""

    source: str
    setting: str  # the settings' prefix: <setting>_url and <setting>_link
    layout: src.Layout


CBP_FILES = (
    CbpFile("cbp-encounters", "cbp_encounters", src.CBP_ENCOUNTERS_STATE),
    CbpFile("cbp-seizures", "cbp_seizures", src.CBP_DRUG_SEIZURES),
)
CBP_SERIES = ("cbp-encounters%", "cbp-seizure%")


@dataclass(frozen=True, slots=True)
class CbpUpdater:
    """CBP nationwide encounters by state, and drug seizures."""

    name: str = "cbp"

    def run(self, job: UpdateJob) -> SourceOutcome:
        tally = Tally(self.name)
        for cbp_file in CBP_FILES:
            _update_cbp_file(job, cbp_file, tally)
        return tally.outcome(latest_period(job.store, CBP_SERIES, until=job.today))


def _update_cbp_file(job: UpdateJob, cbp_file: CbpFile, tally: Tally) -> None:
    settings = job.settings
    url = getattr(settings, f"{cbp_file.setting}_url")
    page = Remote(cbp_file.source, url, "page.html")
    env = f"DYADWATCH_{cbp_file.setting.upper()}"
    try:
        found = discover(job, page, getattr(settings, f"{cbp_file.setting}_link"), env)
    except (FetchError, SchemaChangedError) as exc:
        tally.fail(cbp_file.source, exc)
        return
    remote = Remote(cbp_file.source, found.url, file_name(found.url, f"{cbp_file.source}.csv"))
    result = update_file(
        job,
        remote,
        tally,
        check=lambda path: require_columns(cbp_file.source, path, cbp_file.layout.required),
        ingest=lambda path: _series(job, path),
    )
    if result == "done":
        finish_discovery(job, found)


def _series(job: UpdateJob, path: Path) -> IngestReport:
    return ingest_series(job.store, path, settings=job.settings)


# -- SESNSP -----------------------------------------------------------------------------

SESNSP_KEYS = ("meta", "meses", "series", "total")


@dataclass(frozen=True, slots=True)
class SesnspUpdater:
    """The SESNSP national monthly series of registered crimes."""

    name: str = "sesnsp"

    def run(self, job: UpdateJob) -> SourceOutcome:
        tally = Tally(self.name)
        url = job.settings.sesnsp_url
        update_file(
            job,
            Remote(self.name, url, file_name(url, "sesnsp.json")),
            tally,
            check=lambda path: _check_sesnsp(self.name, path),
            ingest=lambda path: _series(job, path),
        )
        through = latest_period(job.store, ["sesnsp-crimes-%"], until=job.today)
        return tally.outcome(through)


def _check_sesnsp(source: str, path: Path) -> None:
    json_object(source, path, SESNSP_KEYS)


# -- FRED -------------------------------------------------------------------------------

FRED_LAYOUTS = {layout.required[0]: layout for layout in (src.FRED_IMPMX, src.FRED_EXPMX)}


@dataclass(frozen=True, slots=True)
class FredUpdater:
    """The FRED series of ``settings.fred_series`` (each needs a known layout)."""

    name: str = "fred"

    def run(self, job: UpdateJob) -> SourceOutcome:
        tally = Tally(self.name)
        for series_id in job.settings.fred_series:
            _update_fred_series(job, series_id, tally)
        names = [FRED_SERIES[s] for s in job.settings.fred_series if s in FRED_SERIES]
        return tally.outcome(latest_period(job.store, names, until=job.today))


def _update_fred_series(job: UpdateJob, series_id: str, tally: Tally) -> None:
    source = f"fred-{series_id}"
    layout = FRED_LAYOUTS.get(series_id)
    if layout is None:
        known = ", ".join(FRED_LAYOUTS)
        problem = ConfigError(
            f"series {series_id!r} has no known layout (known: {known}). Remove it from "
            "DYADWATCH_FRED_SERIES, or fetch it by hand and use 'dyadwatch ingest series "
            "--name ... --date-col ... --value-col ...'."
        )
        tally.fail(source, problem)
        return
    url = job.settings.fred_url.format(series=series_id)
    update_file(
        job,
        Remote(source, url, f"{series_id}.csv"),
        tally,
        check=lambda path: require_columns(
            source, path, layout.required, one_of=layout.date_columns
        ),
        ingest=lambda path: _series(job, path),
    )
