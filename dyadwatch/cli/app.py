"""The ``dyadwatch`` command: global options, then one sub-command per verb."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from dyadwatch.cli import (
    analysis_cmd,
    brief_cmd,
    code_cmd,
    demo_cmd,
    evaluate_cmd,
    export_cmd,
    forecast_cmd,
    ingest_cmd,
    scenario_cmd,
    serve_cmd,
    status_cmd,
    sync_cmd,
    train_cmd,
    update_cmd,
    users_cmd,
)
from dyadwatch.cli.context import CliState, fail
from dyadwatch.errors import DyadwatchError
from dyadwatch.settings import load_settings

app = typer.Typer(
    name="dyadwatch",
    help="An open early-warning monitor for a pair of countries (the dyad setting).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(ingest_cmd.app, name="ingest")
app.add_typer(sync_cmd.app, name="sync")
app.add_typer(export_cmd.app, name="export")
app.add_typer(code_cmd.app, name="code")
app.add_typer(evaluate_cmd.app, name="evaluate")
app.add_typer(train_cmd.app, name="train")
app.add_typer(scenario_cmd.app, name="scenario")
app.add_typer(users_cmd.app, name="users")
app.command("status")(status_cmd.status)
app.command("index")(analysis_cmd.index)
app.command("alerts")(analysis_cmd.alerts)
app.command("verdicts")(analysis_cmd.verdicts)
app.command("backtest")(forecast_cmd.backtest)
app.command("forecast")(forecast_cmd.forecast)
app.command("demo")(demo_cmd.demo)
app.command("serve")(serve_cmd.serve)
app.command("brief")(brief_cmd.brief)
app.command("update")(update_cmd.update)


@app.callback()
def root(
    ctx: typer.Context,
    db: Path = typer.Option(
        None, "--db", help="DuckDB store file (default ./dyadwatch.duckdb, env DYADWATCH_DB)."
    ),
) -> None:
    """Global options, read before any command. Other settings come from DYADWATCH_* variables
    (docs/settings.md)."""
    err = Console(stderr=True)
    try:
        settings = load_settings(db=db)
    except DyadwatchError as exc:
        raise fail(err, exc) from exc
    ctx.obj = CliState(settings=settings, out=Console(), err=err)


def main() -> None:
    """Entry point of the ``dyadwatch`` script."""
    app()
