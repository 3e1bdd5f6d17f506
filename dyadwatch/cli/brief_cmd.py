"""``dyadwatch brief``: the monthly briefing as Markdown (with SVG charts), HTML or PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dyadwatch.cli.context import CliState, fail, state, store_for
from dyadwatch.errors import DyadwatchError

if TYPE_CHECKING:
    from dyadwatch.briefs.briefing import Briefing
    from dyadwatch.settings import Settings
    from dyadwatch.store import Store


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
    publish: bool = typer.Option(
        False, "--publish", help="Also publish it on the site (DYADWATCH_APP_DB), at /briefs/N."
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
            month = period or _latest(store, cli.settings)
            notes = (_site_notes(cli, month) if publish else []) + (note or [])
            briefing = briefing_for(
                store,
                cli.settings,
                period=month,
                notes=_last_note_per_front(notes),
                base_url=base_url,
                now=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            )
            written = write_briefing(briefing, fmt, out)
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    charts = f" and {len(written.charts)} chart files beside it" if written.charts else ""
    cli.out.print(f"wrote {written.path}{charts}", markup=False, highlight=False)
    if publish:
        publish_briefing(cli, briefing)


def publish_briefing(cli: CliState, briefing: Briefing) -> None:
    """Publish the briefing to the app database; a period published again keeps its number."""
    from dyadwatch.briefs.briefing_render import render_html, render_markdown
    from dyadwatch.briefs.publish import publish_brief

    try:
        record = publish_brief(
            cli.settings,
            briefing,
            html=render_html(briefing),
            markdown=render_markdown(briefing),
        )
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    cli.out.print(f"published brief #{record.number} at /briefs/{record.number}", markup=False)


def _latest(store: Store, settings: Settings) -> str | None:
    from dyadwatch.analysis.verdicts import latest_month

    month = latest_month(store, settings)
    return f"{month:%Y-%m}" if month else None


def _site_notes(cli: CliState, period: str | None) -> list[str]:
    """Notes analysts left on the site for this period's sections (``--note`` wins)."""
    if period is None:
        return []
    from dyadwatch.briefs.publish import load_notes

    return [f"{front}={text}" for front, text in load_notes(cli.settings, period).items()]


def _last_note_per_front(items: list[str]) -> list[str]:
    chosen = {item.partition("=")[0].strip(): item for item in items}
    return list(chosen.values())
