"""``dyadwatch status``: counts per source, date ranges, last runs."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

from dyadwatch.cli.context import state, store_for
from dyadwatch.cli.render import status_tables
from dyadwatch.store.queries import store_status


def status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the status as JSON."),
) -> None:
    """Show what the store holds: rows per source, date ranges, quarantine and recent runs."""
    cli = state(ctx)
    with store_for(cli) as store:
        result = store_status(store)
    if as_json:
        cli.out.print(
            json.dumps(asdict(result), default=str), markup=False, highlight=False, soft_wrap=True
        )
        return
    for table in status_tables(result):
        cli.out.print(table)
