"""``dyadwatch ingest gdelt|acled|icews|ucdp|series|corpus PATH...``"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dyadwatch import ingest
from dyadwatch.cli.context import EXIT_INPUT, CliState, fail, state, store_for
from dyadwatch.cli.render import ingest_json, ingest_table
from dyadwatch.errors import DyadwatchError, SourceError
from dyadwatch.records import IngestReport
from dyadwatch.store import Store

app = typer.Typer(
    help="Load files into the store: every row is loaded, a duplicate, or quarantined."
)

Paths = typer.Argument(..., exists=False, help="Files to ingest (.csv, .tsv, .tab, .zip, .gz).")
JsonOut = typer.Option(False, "--json", help="Print a JSON line of totals last on stdout.")
IngestOne = Callable[[Store, Path, Callable[[int], None]], IngestReport]


def run_ingest(cli: CliState, paths: list[Path], one: IngestOne, *, as_json: bool) -> None:
    """Ingest each file with a progress bar; report; exit 2 if any file failed whole."""
    reports: list[IngestReport] = []
    failed: list[str] = []
    with store_for(cli) as store, progress_bar(cli) as progress:
        files = progress.add_task("files", total=len(paths))
        for path in paths:
            rows = progress.add_task(f"  {path.name}", total=None)
            try:
                reports.append(one(store, path, partial(progress.advance, rows)))
            except SourceError as exc:
                failed.append(str(path))
                fail(cli.err, exc)
            except DyadwatchError as exc:
                raise fail(cli.err, exc) from exc
            progress.remove_task(rows)
            progress.advance(files)
    if as_json:
        cli.out.print(ingest_json(reports, failed), markup=False, highlight=False, soft_wrap=True)
    else:
        cli.out.print(ingest_table(reports))
    if failed:
        raise typer.Exit(EXIT_INPUT)


def progress_bar(cli: CliState) -> Progress:
    """A transient progress bar on stderr."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=cli.err,
        transient=True,
    )


@app.command("gdelt")
def gdelt(
    ctx: typer.Context,
    paths: list[Path] = Paths,
    as_json: bool = JsonOut,
    dyad_only: bool = typer.Option(False, "--dyad-only", help="Keep only the dyad's events."),
) -> None:
    """GDELT 1.0/2.0 events or 2.0 mentions; the version is detected from the columns."""
    cli = state(ctx)
    run_ingest(
        cli,
        paths,
        lambda store, path, on_rows: ingest.ingest_gdelt(
            store, path, settings=cli.settings, dyad_only=dyad_only, on_rows=on_rows
        ),
        as_json=as_json,
    )


def _simple(ctx: typer.Context, paths: list[Path], as_json: bool, func: Callable) -> None:
    cli = state(ctx)
    run_ingest(
        cli,
        paths,
        lambda store, path, on_rows: func(store, path, settings=cli.settings, on_rows=on_rows),
        as_json=as_json,
    )


@app.command("acled")
def acled(ctx: typer.Context, paths: list[Path] = Paths, as_json: bool = JsonOut) -> None:
    """ACLED CSV exports (31 columns); event types mapped to PLOVER (docs/acled_plover.md)."""
    _simple(ctx, paths, as_json, ingest.ingest_acled)


@app.command("icews")
def icews(ctx: typer.Context, paths: list[Path] = Paths, as_json: bool = JsonOut) -> None:
    """ICEWS .tab event files; CAMEO codes mapped to PLOVER."""
    _simple(ctx, paths, as_json, ingest.ingest_icews)


@app.command("ucdp")
def ucdp(ctx: typer.Context, paths: list[Path] = Paths, as_json: bool = JsonOut) -> None:
    """UCDP GED CSV files, with fatalities."""
    _simple(ctx, paths, as_json, ingest.ingest_ucdp)


@app.command("series")
def series(
    ctx: typer.Context,
    paths: list[Path] = Paths,
    as_json: bool = JsonOut,
    name: str = typer.Option(None, "--name", help="Series name (generic files)."),
    date_col: str = typer.Option(None, "--date-col", help="Column holding the date."),
    value_col: str = typer.Option(None, "--value-col", help="Column holding the value."),
    unit: str = typer.Option(None, "--unit", help="Unit of the values, e.g. persons."),
    geo_col: str = typer.Option(None, "--geo-col", help="Column holding the geography."),
    source: str = typer.Option(None, "--source", help="Who published the series."),
) -> None:
    """Indicator series: known CBP, FRED and SESNSP layouts are detected; others need --name,
    --date-col, --value-col and --unit."""
    cli = state(ctx)
    generic = (name, date_col, value_col, unit)
    spec = None
    if any(generic):
        if not all(generic):
            cli.err.print(
                "error: a generic series needs --name, --date-col, --value-col and --unit"
            )
            raise typer.Exit(EXIT_INPUT)
        spec = ingest.SeriesSpec(
            name=name,
            date_col=date_col,
            value_col=value_col,
            unit=unit,
            geography_col=geo_col,
            source=source,
        )
    run_ingest(
        cli,
        paths,
        lambda store, path, on_rows: ingest.ingest_series(
            store, path, settings=cli.settings, spec=spec, on_rows=on_rows
        ),
        as_json=as_json,
    )


@app.command("corpus")
def corpus(
    ctx: typer.Context,
    paths: list[Path] = Paths,
    as_json: bool = JsonOut,
    source: str = typer.Option(None, "--source", help="Source name; default from the file."),
    lang: str = typer.Option(None, "--lang", help="Language code (en, es); default detected."),
) -> None:
    """Text corpora as JSONL (date, title, text, url) into the documents table."""
    cli = state(ctx)
    run_ingest(
        cli,
        paths,
        lambda store, path, on_rows: ingest.ingest_corpus(
            store, path, settings=cli.settings, source=source, lang=lang, on_rows=on_rows
        ),
        as_json=as_json,
    )
