"""``dyadwatch code --input IN.jsonl --output OUT.jsonl`` and ``dyadwatch code corpus``."""

from __future__ import annotations

from pathlib import Path

import typer

from dyadwatch.cli.context import EXIT_INPUT, fail, state, store_for
from dyadwatch.cli.ingest_cmd import progress_bar
from dyadwatch.errors import DyadwatchError

app = typer.Typer(
    help="Code texts into events: a JSON-lines file (no store needed), or the store's documents.",
    invoke_without_command=True,
)


@app.callback()
def code(
    ctx: typer.Context,
    input_path: Path = typer.Option(None, "--input", help="JSON lines: {id, text, date?, lang?}."),
    output_path: Path = typer.Option(None, "--output", help="Where to write one event per line."),
) -> None:
    """Code each input line into events; bad lines are reported on stderr and skipped."""
    if ctx.invoked_subcommand is not None:
        return
    cli = state(ctx)
    if input_path is None or output_path is None:
        cli.err.print("error: give --input IN.jsonl and --output OUT.jsonl (or use 'code corpus')")
        raise typer.Exit(EXIT_INPUT)
    from dyadwatch.coding import code_file, load_coder

    if not input_path.is_file():  # say so before spending seconds loading the coder
        cli.err.print(f"error: {input_path}: no such file. Check the --input path.")
        raise typer.Exit(EXIT_INPUT)
    try:
        report = code_file(
            load_coder(cli.settings.dyad_countries, config=cli.settings.pair),
            input_path,
            output_path,
        )
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    for bad in report.bad:
        cli.err.print(f"{input_path}:{bad.line_no}: {bad.reason}", markup=False, soft_wrap=True)
    cli.err.print(
        f"coded {report.coded:,} of {report.lines:,} lines into {report.events:,} events "
        f"({len(report.bad):,} bad lines) → {output_path}",
        markup=False,
        soft_wrap=True,
    )


@app.command("corpus")
def corpus(
    ctx: typer.Context,
    recode: bool = typer.Option(False, "--recode", help="Forget earlier coding and start over."),
    workers: int = typer.Option(
        None,
        "--workers",
        min=1,
        max=32,
        help="Worker processes (default: the cores, at most 2; each holds about 650 MB).",
    ),
) -> None:
    """Code every document in the store not yet coded by this coder version (resumable)."""
    from dyadwatch.coding import code_corpus, load_coder
    from dyadwatch.coding.corpus import default_workers

    cli = state(ctx)
    with store_for(cli) as store, progress_bar(cli) as progress:
        task = progress.add_task("documents", total=None)
        try:
            report = code_corpus(
                store,
                load_coder(cli.settings.dyad_countries, config=cli.settings.pair),
                recode=recode,
                workers=workers or default_workers(),
                on_start=lambda total: progress.update(task, total=total),
                on_document=lambda _doc, _n: progress.advance(task),
            )
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    cli.out.print(
        f"coded {report.documents:,} documents into {report.events:,} events "
        f"({report.clusters:,} event clusters) with {report.coder}"
    )
