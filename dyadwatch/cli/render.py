"""Rendering library records for the terminal (Rich) or as JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dyadwatch.analysis.freshness import Freshness
from dyadwatch.records import IngestReport, StoreStatus
from dyadwatch.store.queries import FrontYearCount

TOTAL_KEYS = ("read", "loaded", "duplicates", "quarantined", "filtered", "replaced_chars")


def totals(reports: Sequence[IngestReport]) -> dict[str, int]:
    """Sums of the row counts over several files."""
    return {key: sum(getattr(r, key) for r in reports) for key in TOTAL_KEYS}


def ingest_json(reports: Sequence[IngestReport], failed: Sequence[str]) -> str:
    """One JSON line: integer totals, then per-file detail."""
    payload: dict[str, object] = dict(totals(reports))
    payload["files"] = [
        {
            "path": r.path,
            "status": r.status,
            "run_id": r.run_id,
            "sha256": r.sha256,
            **{k: getattr(r, k) for k in TOTAL_KEYS},
        }
        for r in reports
    ]
    payload["failed"] = list(failed)
    return json.dumps(payload)


def ingest_table(reports: Sequence[IngestReport]) -> Table:
    table = Table(title="Ingest")
    for column in ("file", "status", *TOTAL_KEYS):
        table.add_column(column, justify="left" if column in ("file", "status") else "right")
    for r in reports:
        table.add_row(Path(r.path).name, r.status, *(f"{getattr(r, k):,}" for k in TOTAL_KEYS))
    if len(reports) > 1:
        table.add_row("total", "", *(f"{v:,}" for v in totals(reports).values()))
    return table


def status_tables(status: StoreStatus) -> list[Table]:
    """The status as Rich tables: counts per source, then the latest runs."""
    tables = []
    for title, rows in (
        ("Events", status.events),
        ("Documents", status.documents),
        ("Indicator series", status.indicators),
    ):
        table = Table(title=f"{title} in {status.db_path}")
        for column in ("source", "rows", "first", "last"):
            table.add_column(column, justify="right" if column == "rows" else "left")
        for row in rows:
            table.add_row(
                row.source_system,
                f"{row.rows:,}",
                str(row.first_date or ""),
                str(row.last_date or ""),
            )
        tables.append(table)
    runs = Table(title=f"Latest ingest runs ({status.quarantined:,} rows in quarantine)")
    for column in ("started", "source", "file", "status", "read", "loaded", "dup", "quar"):
        runs.add_column(column)
    for run in status.recent_runs:
        runs.add_row(
            f"{run.started:%Y-%m-%d %H:%M:%S}",
            run.source_system,
            run.file_name,
            run.status,
            f"{run.read:,}",
            f"{run.loaded:,}",
            f"{run.duplicates:,}",
            f"{run.quarantined:,}",
        )
    tables.append(runs)
    return tables


def freshness_table(rows: Sequence[Freshness], *, today: dt.date) -> Table:
    """Each source's data-through date against its cadence; stale ones in red."""
    table = Table(title=f"Freshness on {today} (docs/web.md, Freshness)")
    for column in ("source", "data through", "expected", "status"):
        table.add_column(column, no_wrap=True)
    table.add_column("cadence")
    for row in rows:
        style = "bold red" if row.stale else "dim" if row.status == "ended" else "green"
        table.add_row(
            row.source,
            str(row.data_through),
            str(row.expected_through or "-"),
            f"[{style}]{row.describe()}[/]",
            row.cadence,
        )
    return table


def front_year_table(rows: Sequence[FrontYearCount], *, dyad: tuple[str, str]) -> Table:
    """Coded events per front and year, one column per direction."""
    a, b = dyad
    directions = (f"{a}→{b}", f"{b}→{a}", f"{a}→other", f"{b}→other")
    table = Table(title="Coded events per front and year, by direction")
    for column in ("year", "front", *directions):
        table.add_column(column, justify="right" if "→" in column else "left")
    cells: dict[tuple[int, str], dict[str, int]] = {}
    for row in rows:
        cells.setdefault((row.year, row.front), {})[row.direction] = row.events
    for (year, front), counts in sorted(cells.items()):
        table.add_row(str(year), front, *(f"{counts.get(d, 0):,}" for d in directions))
    return table


def verdict_table(rows: Sequence[dict[str, Any]], *, month: str) -> Table:
    """Verdicts as a Rich table: one line per front, the reasons and the first evidence."""
    table = Table(title=f"Verdicts for {month}", show_lines=True)
    for column in ("front", "verdict", "flags", "why", "evidence"):
        table.add_column(column, overflow="fold")
    for row in rows:
        first = row["events"][0] if row["events"] else None
        table.add_row(
            row["front"],
            row["verdict"],
            ", ".join(row["flags"]) or "-",
            "; ".join(row["reasons"]),
            _cite(first) if first else "-",
        )
    return table


VERDICT_MARKS = {
    "deteriorated": "▼",
    "improved": "▲",
    "unchanged": "·",
    "insufficient coverage": "?",
}
FLAG_MARKS = {"conflict risk alert": "!", "resolution opportunity": "+"}
GRID_LEGEND = (
    "▼ deteriorated · ▲ improved · · unchanged · – too few events to judge · "
    "? insufficient coverage · ! conflict risk alert · + resolution opportunity"
)


def verdict_grid(rows: Sequence[dict[str, Any]], *, fronts: Sequence[str]) -> Table:
    """Month by month (rows) and front by front (columns), each verdict as a mark (legend
    in the caption), so a reader sees the run of months at a glance."""
    months = sorted({row["month"] for row in rows})
    by_key = {(row["month"], row["front"]): row for row in rows}
    title = f"Verdicts by month, {months[0]} to {months[-1]}" if months else "Verdicts"
    table = Table(title=title, caption=GRID_LEGEND)
    table.add_column("month")
    for front in ("all", *fronts):
        table.add_column(front.replace("_", " "), justify="center")
    for month in months:
        cells = [_grid_cell(by_key.get((month, front))) for front in ("all", *fronts)]
        table.add_row(month, *cells)
    return table


def _grid_cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    mark = VERDICT_MARKS.get(row["verdict"], row["verdict"])
    if row["verdict"] == "unchanged" and not row.get("judged", True):
        mark = "–"
    return mark + "".join(FLAG_MARKS[f] for f in row["flags"] if f in FLAG_MARKS)


def alert_table(rows: Sequence[dict[str, Any]], *, total: int) -> Table:
    """Alerts as a Rich table: level, series, window, explanation and the top event."""
    table = Table(title=f"Alerts ({len(rows)} of {total}, newest first)", show_lines=True)
    for column in ("level", "series", "window", "explanation", "top event"):
        table.add_column(column, overflow="fold")
    for row in rows:
        first = row["events"][0] if row["events"] else None
        table.add_row(
            row["level"],
            row["series"],
            f"{row['start']} … {row['end']}",
            row["explanation"],
            _cite(first) if first else "-",
        )
    return table


def _cite(event: dict[str, Any]) -> str:
    text = (event.get("evidence") or "").strip()
    text = text if len(text) <= 160 else text[:157] + "…"
    link = event.get("url") or event.get("doc_id") or event["source_record_id"]
    return f"{event['event_date']} {event['plover_type'] or ''}: {text} ({link})"


def counting_progress(console: Console) -> Progress:
    """A transient progress bar on ``console`` whose tasks carry their own ``count`` text
    (files or bytes so far): ``sync gdelt`` and ``update``."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
