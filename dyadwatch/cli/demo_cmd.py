"""``dyadwatch demo``: build the demo store from the bundled real data, code its texts, report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import typer

from dyadwatch.cli.brief_cmd import publish_briefing
from dyadwatch.cli.context import CliState, fail, state, store_for
from dyadwatch.cli.forecast_cmd import demo_scorecards
from dyadwatch.cli.ingest_cmd import progress_bar
from dyadwatch.cli.render import (
    alert_table,
    front_year_table,
    ingest_table,
    status_tables,
    verdict_grid,
    verdict_table,
)
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest import build_demo, demo_files
from dyadwatch.records import IngestReport
from dyadwatch.store.queries import coded_front_summary, store_status

if TYPE_CHECKING:
    from dyadwatch.analysis.reading import SidesMonth
    from dyadwatch.coding import CorpusReport

DEMO_ALERTS = 8  # the newest alerts above "watch" that the demo prints
BOTH_SIDES_SINCE = dt.date(2025, 1, 1)  # from here on, the demo should read both governments
HISTORY_MONTHS = 24  # the months of verdicts the demo prints as a grid, up to the latest


def demo(
    ctx: typer.Context,
    serve: bool = typer.Option(
        False, "--serve/--no-serve", help="Serve the dashboard on the store when it is built."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface the dashboard listens on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="The dashboard's port."),
) -> None:
    """Ingest the bundled real demo data (GDELT, ICEWS, UCDP, CBP, FRED, SESNSP, White House
    and mañanera texts), code the texts into events, print what the store holds, and serve
    the dashboard on it with --serve."""
    from dyadwatch.analysis.reading import coded_sides

    cli = state(ctx)
    reports = _ingest(cli)
    coded = _code(cli)
    with store_for(cli) as store:
        status = store_status(store)
        fronts = coded_front_summary(store, dyad=cli.settings.dyad_countries)
        sides = coded_sides(store, cli.settings, BOTH_SIDES_SINCE)
    cli.out.print(ingest_table(reports))
    for table in status_tables(status)[:-1]:
        cli.out.print(table)
    cli.out.print(front_year_table(fronts, dyad=cli.settings.dyad_countries))
    cli.out.print(
        f"coded {coded.documents:,} new documents into {coded.events:,} events "
        f"({coded.clusters:,} event clusters) with {coded.coder}"
    )
    cli.out.print(both_sides_line(sides, cli.settings.dyad_countries), markup=False)
    _analysis(cli)
    demo_scorecards(cli)
    _publish_brief(cli)
    cli.out.print(f"\n[bold]Demo store:[/] {status.db_path}")
    cli.out.print(f"  dyadwatch --db {status.db_path} status")
    cli.out.print(f"  dyadwatch --db {status.db_path} index --freq month --source coded --own")
    cli.out.print(f"  dyadwatch --db {status.db_path} verdicts --month 2025-02")
    cli.out.print(f"  dyadwatch --db {status.db_path} evaluate verdicts")
    cli.out.print(f"  dyadwatch --db {status.db_path} alerts --since 2025-01-01")
    cli.out.print(f"  dyadwatch --db {status.db_path} export events --format csv --out events.csv")
    cli.out.print(f"  dyadwatch --db {status.db_path} brief --format pdf")
    cli.out.print(f"\n[bold]Dashboard:[/] dyadwatch --db {status.db_path} serve  (or make serve)")
    cli.out.print(f"  then open http://{host}:{port}/  (briefs at http://{host}:{port}/briefs)")
    if serve:
        from dyadwatch.cli.serve_cmd import run_server

        run_server(cli, host=host, port=port)


def both_sides_line(months: list[SidesMonth], dyad: tuple[str, str]) -> str:
    """How many months since :data:`BOTH_SIDES_SINCE` have events coded from both
    governments' texts, naming the months that lack one."""
    if not months:
        return f"no events coded from either government's texts since {BOTH_SIDES_SINCE:%Y-%m}"
    gaps = [
        f"{m.month:%Y-%m} (none from {', '.join(m.missing(dyad))})"
        for m in months
        if m.missing(dyad)
    ]
    line = (
        f"events coded from both governments' texts: {len(months) - len(gaps)} of "
        f"{len(months)} months, {months[0].month:%Y-%m} to {months[-1].month:%Y-%m}"
    )
    return line + (f"; missing: {'; '.join(gaps)}" if gaps else "")


def _ingest(cli: CliState) -> list[IngestReport]:
    with store_for(cli) as store, progress_bar(cli) as progress:
        files = progress.add_task("demo files", total=len(demo_files()))
        return build_demo(
            store,
            settings=cli.settings,
            on_file=lambda demo_file: progress.update(files, description=demo_file.name, advance=1),
        )


def _code(cli: CliState) -> CorpusReport:
    from dyadwatch.coding import code_corpus, load_coder  # heavy: only when the demo runs
    from dyadwatch.coding.corpus import default_workers

    with store_for(cli) as store, progress_bar(cli) as progress:
        task = progress.add_task("coding documents", total=None)
        return code_corpus(
            store,
            load_coder(cli.settings.dyad_countries, config=cli.settings.pair),
            workers=default_workers(),
            on_start=lambda total: progress.update(task, total=total),
            on_document=lambda _doc, _n: progress.advance(task),
        )


def _analysis(cli: CliState) -> None:
    """The latest month's verdicts, and the alerts of the twelve months before it."""
    from dyadwatch.analysis import alerts_as_dicts, find_alerts, monthly_verdicts
    from dyadwatch.analysis.fronts import front_keys
    from dyadwatch.analysis.verdicts import latest_month, verdict_history, verdicts_as_dicts

    with store_for(cli) as store, cli.err.status("verdicts and alerts…"):
        month = latest_month(store, cli.settings)
        if month is None:
            names = " and ".join(n.in_sentence for n in cli.settings.pair.names)
            cli.out.print(f"no month has coverage of both {names}: no verdict")
            return
        first = (pd.Timestamp(month) - pd.DateOffset(months=HISTORY_MONTHS - 1)).date()
        history = verdict_history(store, cli.settings, first, month)
        verdicts = monthly_verdicts(store, cli.settings, month)
        since = month.replace(year=month.year - 1)
        alerts = find_alerts(store, cli.settings, since=since)
    cli.out.print(verdict_grid(verdicts_as_dicts(history), fronts=front_keys()))
    cli.out.print(verdict_table(verdicts_as_dicts(verdicts), month=f"{month:%Y-%m}"))
    shown = [a for a in alerts if a.level != "watch"][:DEMO_ALERTS]
    cli.out.print(alert_table(alerts_as_dicts(shown), total=len(alerts)))


def _publish_brief(cli: CliState) -> None:
    """The latest month's briefing, written as Markdown and published on the site."""
    from dyadwatch.briefs.briefing import briefing_for
    from dyadwatch.briefs.briefing_render import write_briefing

    with store_for(cli, read_only=True) as store, cli.err.status("briefing…"):
        try:
            briefing = briefing_for(
                store, cli.settings, period=None, now=dt.datetime.now(dt.UTC).replace(tzinfo=None)
            )
            written = write_briefing(briefing, "md", Path("reports") / "briefing.md")
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    cli.out.print(f"briefing for {briefing.period}: {written.path}", markup=False)
    publish_briefing(cli, briefing)
