"""``dyadwatch update``: bring every source up to date, one updater after another.

:func:`run_update` runs a list of :class:`~dyadwatch.ingest.update_base.Updater` in
order with one :class:`~dyadwatch.ingest.update_base.UpdateJob`. A source that fails as a
whole (a :class:`~dyadwatch.errors.DyadwatchError`: a changed format, a store problem) is
recorded as a failed outcome and the next source runs. After each source that wrote
something, the readers' copy of the store is refreshed (``store.publish()``), so the
dashboard shows it while the other sources update.

:func:`default_updaters` gives the ingest layer's updaters, in order: gdelt, ucdp, cbp,
sesnsp, fred. The document sources and the coding step live in higher layers and are
composed with these by the CLI (:func:`dyadwatch.cli.update_cmd.all_updaters`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.errors import ConfigError, DyadwatchError
from dyadwatch.ingest.update_base import SourceOutcome, UpdateJob, Updater
from dyadwatch.ingest.update_ucdp import UcdpUpdater
from dyadwatch.ingest.updaters import CbpUpdater, FredUpdater, GdeltUpdater, SesnspUpdater
from dyadwatch.settings import Settings


@dataclass(frozen=True, slots=True)
class UpdateReport:
    """The outcome of every source an update ran, in order."""

    outcomes: tuple[SourceOutcome, ...]

    @property
    def failed(self) -> bool:
        """True when any source reported a failure."""
        return any(outcome.failed for outcome in self.outcomes)

    @property
    def new_rows(self) -> int:
        return sum(outcome.new_rows for outcome in self.outcomes)


def default_updaters(settings: Settings) -> list[Updater]:
    """The ingest layer's updaters, in the order they run (``settings`` is for updaters
    that need it at construction; these read theirs from the job)."""
    del settings
    return [GdeltUpdater(), UcdpUpdater(), CbpUpdater(), SesnspUpdater(), FredUpdater()]


def run_update(
    job: UpdateJob, updaters: Sequence[Updater], *, only: Sequence[str] | None = None
) -> UpdateReport:
    """Run ``updaters`` (those named in ``only``, when given) in order; see the module
    docstring. Raises :class:`ConfigError` for a name in ``only`` that no updater has."""
    outcomes = []
    for updater in choose(updaters, only):
        job.step(updater.name, "starting")
        outcome = _run_one(job, updater)
        outcomes.append(_published(job, outcome))
        job.step(updater.name, "done")
    return UpdateReport(tuple(outcomes))


def choose(updaters: Sequence[Updater], only: Sequence[str] | None) -> list[Updater]:
    """The updaters named in ``only`` (all when it is empty), in their own order."""
    if not only:
        return list(updaters)
    names = [updater.name for updater in updaters]
    unknown = [name for name in only if name not in names]
    if unknown:
        raise ConfigError(
            f"no source called {', '.join(map(repr, unknown))}: use --only with one of "
            f"{', '.join(names)}."
        )
    return [updater for updater in updaters if updater.name in only]


def _run_one(job: UpdateJob, updater: Updater) -> SourceOutcome:
    try:
        return updater.run(job)
    except DyadwatchError as exc:
        return SourceOutcome(updater.name, failed=(f"{updater.name}: {exc}",))


def _published(job: UpdateJob, outcome: SourceOutcome) -> SourceOutcome:
    """Refresh the readers' copy when the source wrote something; a failure to do so is
    recorded on the source's outcome."""
    publish = getattr(job.store, "publish", None)
    if publish is None or not (outcome.new_rows or outcome.files):
        return outcome
    try:
        publish()
    except DyadwatchError as exc:
        failed = (*outcome.failed, f"{outcome.source}: publishing the readers' copy: {exc}")
        return dataclasses.replace(outcome, failed=failed)
    return outcome
