"""``dyadwatch export events --format csv|parquet|jsonl --out FILE``"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from dyadwatch.cli.context import dyad_option, fail, state, store_for
from dyadwatch.errors import DyadwatchError
from dyadwatch.store.queries import EventFilter, ExportFormat, export_events

app = typer.Typer(help="Write store contents to files.")


@app.command("events")
def events(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option("csv", "--format", help="csv, parquet or jsonl."),
    out: Path = typer.Option(..., "--out", help="File to write."),
    dyad: str = typer.Option(
        None, "--dyad", help="Keep events between two countries, e.g. USA-MEX."
    ),
    source: str = typer.Option(None, "--source", help="Keep one source system, e.g. gdelt2."),
    since: dt.datetime = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="First date."),
    until: dt.datetime = typer.Option(None, "--until", formats=["%Y-%m-%d"], help="Last date."),
) -> None:
    """Export events, optionally filtered by dyad, source and dates."""
    cli = state(ctx)
    try:  # bad options are errors before the store is opened (Typer checks --format)
        spec = EventFilter(
            dyad=dyad_option(dyad),
            source_system=source,
            since=since.date() if since else None,
            until=until.date() if until else None,
        )
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    with store_for(cli, read_only=True) as store:
        try:
            count = export_events(store, out, fmt=fmt, spec=spec)
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    cli.err.print(f"wrote {count:,} events to {out}")
