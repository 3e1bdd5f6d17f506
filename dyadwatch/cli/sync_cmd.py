"""``dyadwatch sync gdelt``: download new GDELT files and ingest them."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import typer
from rich.filesize import decimal
from rich.markup import escape
from rich.table import Table

from dyadwatch.cli.context import EXIT_FAILURE, CliState, fail, state, store_for
from dyadwatch.cli.render import counting_progress, ingest_table, totals
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest.sync import SyncReport, SyncStep, sync_gdelt

app = typer.Typer(help="Fetch new files from a source and ingest them.")

SUM_KEYS = ("read", "loaded", "duplicates", "quarantined", "filtered")


@app.command("gdelt")
def gdelt(
    ctx: typer.Context,
    since: dt.datetime = typer.Option(..., "--since", formats=["%Y-%m-%d"], help="First day."),
    until: dt.datetime = typer.Option(None, "--until", formats=["%Y-%m-%d"], help="Last day."),
    base_url: str = typer.Option(None, "--base-url", help="A mirror holding masterfilelist.txt."),
    keep_all: bool = typer.Option(False, "--all", help="Keep every event, not only the dyad's."),
    mentions: bool = typer.Option(False, "--mentions", help="Also take the mentions files."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON line of totals last."),
) -> None:
    """Download the GDELT 2.0 export files not yet ingested (size and MD5 checked,
    retried, resumed) and ingest them; exits 1 if any file failed."""
    cli = state(ctx)
    with (
        store_for(cli) as store,
        httpx.Client(timeout=cli.settings.http_timeout, follow_redirects=True) as client,
        counting_progress(cli.err) as progress,
    ):
        files = progress.add_task("files", total=None, count="")
        current = progress.add_task("masterfilelist", total=None, count="")

        def on_file(step: SyncStep) -> None:
            progress.update(
                files,
                total=step.total,
                completed=step.number - 1,
                count=f"{step.number}/{step.total}",
            )
            progress.update(
                current,
                description=f"  {step.file.name}",
                completed=0,
                total=step.file.size,
                count="",
            )

        def on_bytes(done: int, total: int | None) -> None:
            progress.update(current, completed=done, total=total, count=decimal(done))

        try:
            report = sync_gdelt(
                store,
                settings=cli.settings,
                client=client,
                since=since.date(),
                until=until.date() if until else None,
                base_url=base_url,
                keep_all=keep_all,
                include_mentions=mentions,
                on_file=on_file,
                on_bytes=on_bytes,
            )
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    _render(cli, report, as_json=as_json)
    if report.failed:
        raise typer.Exit(EXIT_FAILURE)


def _render(cli: CliState, report: SyncReport, *, as_json: bool) -> None:
    for failed in report.failed:
        line = f"[bold red]failed:[/] {escape(failed.name)}: {escape(failed.reason)}"
        cli.err.print(line, highlight=False, soft_wrap=True)
    if as_json:
        cli.out.print(sync_json(report), markup=False, highlight=False, soft_wrap=True)
        return
    if report.reports:
        cli.out.print(ingest_table(report.reports))
    cli.out.print(_summary_table(report))


def _counts(report: SyncReport) -> dict[str, int]:
    summed = totals(report.reports)
    return {
        "files": len(report.listed),
        "downloaded": len(report.downloaded),
        "skipped": len(report.skipped),
        "failed": len(report.failed),
        **{key: summed[key] for key in SUM_KEYS},
    }


def sync_json(report: SyncReport) -> str:
    """One JSON line: the counts, then each failure with its reason."""
    failures = [{"file": f.name, "url": f.url, "reason": f.reason} for f in report.failed]
    return json.dumps({**_counts(report), "failures": failures})


def _summary_table(report: SyncReport) -> Table:
    counts = _counts(report)
    table = Table(title="Sync gdelt")
    for key in counts:
        table.add_column(key, justify="right")
    table.add_row(*(f"{value:,}" for value in counts.values()))
    return table
