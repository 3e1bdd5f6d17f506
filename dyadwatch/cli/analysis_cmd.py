"""``dyadwatch index``, ``dyadwatch alerts`` and ``dyadwatch verdicts``: the analysis layer."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any, Literal

import typer
from rich.table import Table

from dyadwatch.analysis.index import Freq, Per, Weight
from dyadwatch.cli.context import CliState, dyad_option, fail, state, store_for
from dyadwatch.cli.render import alert_table, verdict_table
from dyadwatch.errors import DyadwatchError
from dyadwatch.store import Store
from dyadwatch.store.spark import Backend
from dyadwatch.store.tables import Tables

# The option types are the library's Literals: Typer shows them as choices and answers a
# bad value with exit 2 naming the flag (the library's own errors name only values).
OutputFormat = Literal["table", "csv", "json"]
TABLE_COLUMNS = (
    "period",
    "direction",
    "front",
    "source",
    "events",
    "quad1",
    "quad2",
    "quad3",
    "quad4",
    "goldstein_sum",
    "net_cooperation",
    "per_1000",
)


def index(
    ctx: typer.Context,
    dyad: str = typer.Option(None, "--dyad", help="The pair, e.g. USA-MEX (default: settings)."),
    freq: Freq = typer.Option("month", "--freq", help="day, week or month."),
    front: str = typer.Option(None, "--front", help="One front, e.g. trade (default: all)."),
    source: list[str] = typer.Option(
        None, "--source", help="Source system(s), e.g. gdelt2; repeat for several."
    ),
    combine: bool = typer.Option(
        False, "--combine", help="Count the chosen systems as one series (labelled a+b)."
    ),
    per: Per = typer.Option("report", "--per", help="report (every row) or event (clusters)."),
    weight: Weight = typer.Option("reports", "--weight", help="reports or sources (GDELT)."),
    own: bool = typer.Option(False, "--own", help="Add each country's own events on the pair."),
    since: dt.datetime = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="First date."),
    until: dt.datetime = typer.Option(None, "--until", formats=["%Y-%m-%d"], help="Last date."),
    backend: Backend = typer.Option("duckdb", "--backend", help="duckdb or pyspark."),
    fmt: OutputFormat = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """The conflict–cooperation index per period, direction, front and source system."""
    from dyadwatch.analysis.coverage import add_coverage
    from dyadwatch.analysis.index import IndexSpec, compute_index

    cli = state(ctx)
    with _errors(cli):  # a bad option is an error before the store is opened
        spec = IndexSpec(
            dyad=dyad_option(dyad) or cli.settings.dyad_countries,
            freq=freq,
            front=front,
            sources=tuple(source) if source else None,
            combine=combine,
            per=per,
            weight=weight,
            own=own,
            since=since.date() if since else None,
            until=until.date() if until else None,
        )
    with (
        store_for(cli, read_only=True) as store,
        _errors(cli),
        _tables(cli, store, backend) as tables,
    ):
        rows = add_coverage(tables, compute_index(tables.events, spec), spec)
    if fmt == "table":
        rows = [{k: r[k] for k in TABLE_COLUMNS if k in r} for r in rows]
    _emit(cli, rows, fmt, title=f"Index, {spec.freq}, per {spec.per}")


def alerts(
    ctx: typer.Context,
    since: dt.datetime = typer.Option(
        None, "--since", formats=["%Y-%m-%d"], help="Alerts whose window ends on or after."
    ),
    freq: Freq = typer.Option("month", "--freq", help="day, week or month."),
    limit: int = typer.Option(50, "--limit", min=1, help="Show at most this many."),
    backend: Backend = typer.Option("duckdb", "--backend", help="duckdb or pyspark."),
    fmt: OutputFormat = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """Abnormal shifts in every series, each with its explanation and driving events."""
    from dyadwatch.analysis.alerts import alerts_as_dicts, find_alerts

    cli = state(ctx)
    with (
        store_for(cli, read_only=True) as store,
        _errors(cli),
        _tables(cli, store, backend) as tables,
    ):
        found = find_alerts(
            store, cli.settings, tables=tables, freq=freq, since=since.date() if since else None
        )
    rows = alerts_as_dicts(found[:limit])
    if fmt == "table":
        cli.out.print(alert_table(rows, total=len(found)))
        return
    _emit(cli, rows if fmt == "json" else [_flat_alert(r) for r in rows], fmt, title="Alerts")


def verdicts(
    ctx: typer.Context,
    month: str = typer.Option(..., "--month", help="The month to judge, YYYY-MM."),
    backend: Backend = typer.Option("duckdb", "--backend", help="duckdb or pyspark."),
    fmt: OutputFormat = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """CrisisWatch-style verdicts for one month, overall and per front, with evidence."""
    from dyadwatch.analysis.verdicts import monthly_verdicts, parse_month, verdicts_as_dicts

    cli = state(ctx)
    with (
        store_for(cli, read_only=True) as store,
        _errors(cli),
        _tables(cli, store, backend) as tables,
    ):
        found = monthly_verdicts(store, cli.settings, parse_month(month), tables=tables)
    rows = verdicts_as_dicts(found)
    if fmt == "table":
        cli.out.print(verdict_table(rows, month=month))
        return
    _emit(cli, rows if fmt == "json" else [_flat_verdict(r) for r in rows], fmt, title="Verdicts")


def _flat_alert(row: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in row.items() if k not in ("events", "geographies")}
    flat["event_ids"] = " ".join(e["event_id"] for e in row["events"])
    return flat


def _flat_verdict(row: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in row.items() if k not in ("events", "numbers", "reasons")}
    flat.update({"flags": "; ".join(row["flags"]), "sources": "+".join(row["sources"])})
    flat.update(row["numbers"])
    flat["reasons"] = " | ".join(row["reasons"])
    flat["event_ids"] = " ".join(e["event_id"] for e in row["events"])
    return flat


def _emit(cli: CliState, rows: Sequence[dict[str, Any]], fmt: OutputFormat, *, title: str) -> None:
    if fmt == "json":
        text = json.dumps(list(rows), default=str, ensure_ascii=False)
        cli.out.print(text, markup=False, highlight=False, soft_wrap=True)
    elif fmt == "csv":
        cli.out.print(_csv(rows), markup=False, highlight=False, soft_wrap=True, end="")
    else:
        cli.out.print(_table(rows, title=title))


def _csv(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _table(rows: Sequence[dict[str, Any]], *, title: str) -> Table:
    table = Table(title=f"{title} ({len(rows):,} rows)")
    if not rows:
        table.add_column("no rows: nothing in the store matches")
        return table
    for column in rows[0]:
        table.add_column(column, justify="left" if isinstance(rows[0][column], str) else "right")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row.values()))
    return table


@contextlib.contextmanager
def _errors(cli: CliState) -> Iterator[None]:
    try:
        yield
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc


@contextlib.contextmanager
def _tables(cli: CliState, store: Store, backend: Backend) -> Iterator[Tables]:
    """The tables an analysis reads: the store's, or their snapshots on Spark."""
    if backend == "duckdb":
        yield store.tables
        return
    from dyadwatch.store.spark import spark_tables

    with cli.err.status(f"starting Spark ({cli.settings.spark_master})…"):
        tables = spark_tables(store, cli.settings)
    yield tables
