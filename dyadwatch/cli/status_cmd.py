"""``dyadwatch status``: counts per source, date ranges, last runs, and each source's
freshness (its data-through date against its cadence)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict

import typer

from dyadwatch.analysis.freshness import source_freshness
from dyadwatch.cli.context import state, store_for
from dyadwatch.cli.render import freshness_table, status_tables
from dyadwatch.store.queries import store_status


def status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the status as JSON."),
    today: dt.datetime = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], help="Judge freshness on this date (default: today)."
    ),
) -> None:
    """Show what the store holds: rows per source, date ranges, quarantine, recent runs, and
    each source's data-through date, flagged when older than its cadence."""
    cli = state(ctx)
    with store_for(cli, read_only=True) as store:
        result = store_status(store)
        day = today.date() if today else dt.date.today()
        fresh = source_freshness(store, today=day)
    if as_json:
        payload = asdict(result) | {"today": day, "freshness": [asdict(f) for f in fresh]}
        cli.out.print(
            json.dumps(payload, default=str), markup=False, highlight=False, soft_wrap=True
        )
        return
    for table in status_tables(result):
        cli.out.print(table)
    cli.out.print(freshness_table(fresh, today=day))
