"""``dyadwatch brief``: the monthly briefing as Markdown (with SVG charts), HTML or PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from dyadwatch.cli.context import fail, state, store_for
from dyadwatch.errors import DyadwatchError


def brief(
    ctx: typer.Context,
    period: str = typer.Option(
        None, "--period", help="The month, YYYY-MM (default: the latest month with events)."
    ),
    fmt: str = typer.Option("md", "--format", help="md, html or pdf."),
    out: Path = typer.Option(
        None, "--out", help="Output file (default ./briefing-YYYY-MM.<format>)."
    ),
    note: list[str] = typer.Option(
        None, "--note", help='An analyst note on one front, e.g. --note trade="…"; repeatable.'
    ),
    base_url: str = typer.Option(
        "", "--base-url", help="Prefix of the dashboard links, e.g. https://dw.example.org."
    ),
) -> None:
    """Write the monthly briefing: one numbered section per front, ranked by change, an
    outlook from the stored forecasts, what to watch and the sources."""
    from dyadwatch.briefs.briefing import briefing_for, parse_notes, parse_period
    from dyadwatch.briefs.briefing_render import check_format, write_briefing

    cli = state(ctx)
    try:  # check the inputs before opening the store
        check_format(fmt)
        if period is not None:
            parse_period(period)
        parse_notes(note or [])
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    with store_for(cli, read_only=True) as store:
        try:
            briefing = briefing_for(
                store,
                cli.settings,
                period=period,
                notes=note or [],
                base_url=base_url,
                now=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
            written = write_briefing(briefing, fmt, out)
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    charts = f" and {len(written.charts)} chart files beside it" if written.charts else ""
    cli.out.print(f"wrote {written.path}{charts}", markup=False, highlight=False)
