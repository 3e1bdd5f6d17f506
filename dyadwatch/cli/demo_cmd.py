"""``dyadwatch demo``: build the demo store from the bundled real data, then show its status."""

from __future__ import annotations

import typer

from dyadwatch.cli.context import state, store_for
from dyadwatch.cli.ingest_cmd import progress_bar
from dyadwatch.cli.render import ingest_table, status_tables
from dyadwatch.ingest import build_demo, demo_files
from dyadwatch.store.queries import store_status


def demo(ctx: typer.Context) -> None:
    """Ingest the bundled real demo data (GDELT, ICEWS, UCDP, CBP, FRED, SESNSP, White House
    and mañanera texts) into the store, then print its status and where to look next."""
    cli = state(ctx)
    with store_for(cli) as store, progress_bar(cli) as progress:
        files = progress.add_task("demo files", total=len(demo_files()))
        reports = build_demo(
            store,
            settings=cli.settings,
            on_file=lambda demo_file: progress.update(files, description=demo_file.name),
        )
        progress.update(files, completed=len(reports))
    with store_for(cli) as store:
        status = store_status(store)
    cli.out.print(ingest_table(reports))
    for table in status_tables(status)[:-1]:
        cli.out.print(table)
    cli.out.print(f"\n[bold]Demo store:[/] {status.db_path}")
    cli.out.print(f"  dyadwatch --db {status.db_path} status")
    cli.out.print(f"  dyadwatch --db {status.db_path} export events --format csv --out events.csv")
