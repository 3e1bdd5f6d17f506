"""The document steps of ``dyadwatch update``: the two governments' texts, then their coding.

:func:`document_updaters` gives the updaters of the document sources, in the order they run
(``whitehouse``, then ``mananeras``); :func:`coding_updater` the ``coding`` step, which runs
:func:`~dyadwatch.coding.corpus.code_corpus` on the documents the current coder version has
not coded yet (new ones, and partial transcripts whose complete text replaced them). It
lives here, in the coding layer, because it needs the coder; the updaters of the sources are
in :mod:`dyadwatch.ingest`.

The coding step reports the events it saved as ``new_rows`` and the documents it coded as
``files``. With nothing to code it returns at once, without loading the coder (about 4 s
and 650 MB).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dyadwatch.coding.corpus import code_corpus, default_workers
from dyadwatch.coding.learned import CODER_NAME, CODER_VERSION, LearnedCoder, load_coder
from dyadwatch.ingest.update_base import SourceOutcome, UpdateJob, Updater
from dyadwatch.ingest.update_mananeras import MananerasUpdater
from dyadwatch.ingest.update_whitehouse import WhiteHouseUpdater
from dyadwatch.settings import Settings
from dyadwatch.store import coded as coded_store
from dyadwatch.store.update_queries import latest_event_date

CoderLoader = Callable[[tuple[str, str]], LearnedCoder]


@dataclass(frozen=True, slots=True)
class CodingUpdater:
    """Codes the documents not yet coded by the current coder version."""

    workers: int
    load: CoderLoader = load_coder
    name: str = "coding"

    def run(self, job: UpdateJob) -> SourceOutcome:
        todo = coded_store.count_documents_to_code(
            job.store, coder=CODER_NAME, version=CODER_VERSION
        )
        if not todo:
            return SourceOutcome(self.name, data_through=_latest(job))
        job.step(self.name, "loading the coder")
        coder = self.load(job.settings.dyad_countries)
        done = 0

        def on_document(_doc_id: str, _events: int) -> None:
            nonlocal done
            done += 1
            job.step(self.name, "documents", done, todo)

        report = code_corpus(job.store, coder, workers=self.workers, on_document=on_document)
        return SourceOutcome(
            self.name, new_rows=report.events, files=report.documents, data_through=_latest(job)
        )


def _latest(job: UpdateJob) -> dt.date | None:
    """The newest date of a coded event (a mistyped future date is ignored)."""
    return latest_event_date(job.store, "coded", until=job.today)


def coding_updater(settings: Settings, *, workers: int | None = None) -> Updater:
    """The ``coding`` step: ``workers`` processes (default: the cores, at most two).
    ``settings`` is taken so that every step is built the same way; the coder's pair of
    countries is read from the job's settings when it runs."""
    del settings
    return CodingUpdater(workers=workers or default_workers())


def document_updaters(settings: Settings) -> list[Updater]:
    """The updaters of the document sources, in order: ``whitehouse``, ``mananeras`` (their
    URLs and rules are read from the job's settings when they run)."""
    del settings
    return [WhiteHouseUpdater(), MananerasUpdater()]
