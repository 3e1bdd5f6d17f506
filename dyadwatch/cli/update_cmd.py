"""``dyadwatch update``: bring every source up to date, with progress and a summary."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

import httpx
import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from dyadwatch import __version__
from dyadwatch.cli.context import EXIT_FAILURE, CliState, fail, state, store_for
from dyadwatch.cli.render import counting_progress
from dyadwatch.coding.update import coding_updater, document_updaters
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest.update import UpdateReport, default_updaters, run_update
from dyadwatch.ingest.update_base import OnStep, SourceOutcome, UpdateJob, Updater
from dyadwatch.settings import Settings

USER_AGENT = f"dyadwatch/{__version__} (open early-warning monitor; python-httpx)"
COLUMNS = ("source", "new rows", "skipped", "quarantined", "failed", "data through")


def all_updaters(settings: Settings) -> list[Updater]:
    """Every source's updater, in the order ``dyadwatch update`` runs them: the datasets
    (gdelt, ucdp, cbp, sesnsp, fred), the documents (whitehouse, mananeras), then the
    coding of new documents."""
    return [
        *default_updaters(settings),
        *document_updaters(settings),
        coding_updater(settings),
    ]


def update(
    ctx: typer.Context,
    only: list[str] = typer.Option(
        None, "--only", help="Update only this source (repeatable): gdelt, ucdp, cbp, ..."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON line."),
) -> None:
    """Fetch what is new from every source (conditional requests, size limits, retries,
    resumed downloads, format checks) and ingest it; exits 1 if any source failed.
    Without --only, the sources of DYADWATCH_UPDATE_SOURCES (default: all)."""
    cli = state(ctx)
    settings = cli.settings
    with (
        store_for(cli) as store,
        httpx.Client(
            timeout=settings.http_timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
        ) as client,
        counting_progress(cli.err) as progress,
    ):
        job = UpdateJob(
            store, settings, client, settings.cache_dir, time.sleep, on_step=_on_step(progress)
        )
        try:
            report = run_update(job, all_updaters(settings), only=only or settings.update_sources)
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    _render(cli, report, as_json=as_json)
    if report.failed:
        raise typer.Exit(EXIT_FAILURE)


def _on_step(progress: Progress) -> OnStep:
    task = progress.add_task("update", total=None, count="")

    def on_step(source: str, what: str, done: int | None, total: int | None) -> None:
        count = f"{done:,}/{total:,}" if done is not None and total else ""
        progress.update(
            task,
            description=escape(f"{source}: {what}"[:70]),
            completed=done or 0,
            total=total,
            count=count,
        )

    return on_step


def _render(cli: CliState, report: UpdateReport, *, as_json: bool) -> None:
    for outcome in report.outcomes:
        for failure in outcome.failed:
            cli.err.print(
                f"[bold red]failed:[/] {escape(failure)}", highlight=False, soft_wrap=True
            )
    if as_json:
        cli.out.print(update_json(report), markup=False, highlight=False, soft_wrap=True)
        return
    cli.out.print(summary_table(report.outcomes))


def summary_table(outcomes: Sequence[SourceOutcome]) -> Table:
    """One line per source: new rows, skipped, quarantined, failures and data through."""
    table = Table(title="Update")
    for column in COLUMNS:
        table.add_column(column, justify="left" if column == "source" else "right")
    for o in outcomes:
        through = o.data_through.isoformat() if o.data_through else "-"
        failed = f"[red]{len(o.failed)}[/]" if o.failed else "0"
        cells = (f"{o.new_rows:,}", f"{o.skipped:,}", f"{o.quarantined:,}", failed, through)
        table.add_row(o.source, *cells)
    return table


def update_json(report: UpdateReport) -> str:
    """One JSON line: per source its counts, failures and data-through date."""
    sources = [
        {
            "source": o.source,
            "new_rows": o.new_rows,
            "skipped": o.skipped,
            "quarantined": o.quarantined,
            "filtered": o.filtered,
            "files": o.files,
            "not_modified": o.not_modified,
            "failed": list(o.failed),
            "data_through": o.data_through.isoformat() if o.data_through else None,
        }
        for o in report.outcomes
    ]
    return json.dumps({"new_rows": report.new_rows, "failed": report.failed, "sources": sources})
