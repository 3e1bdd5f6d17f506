"""The briefing's sources: every source system and data file behind its numbers, with licences.

Events are counted over the briefing's window (the month and its 6-month baseline, both
directions, ``analysis.scope``) and traced to the file that loaded
them: the ingest run of the event, or for coded events the ingest run of the document they
were coded from. Indicator series behind the outlook's forecasts are counted likewise. The
title and licence of each file come from the demo data's ``MANIFEST.toml`` and
``PROVENANCE.md``; a file from elsewhere says that its licence is not recorded.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from dyadwatch.analysis.index import index_rows_expr
from dyadwatch.analysis.scope import relationship_spec
from dyadwatch.analysis.series import dyadic_systems
from dyadwatch.forecast.targets import NATIONAL_CRIMES
from dyadwatch.ontology.sources import source_country
from dyadwatch.settings import Settings
from dyadwatch.store import Store, runs

UNRECORDED = "not recorded (not part of the bundled demo data; see the file's own terms)"
OUTLOOK_SERIES = {
    "border-encounters": ("usbp-apprehensions", "cbp-encounters"),
    "mx-state-homicides": ("sesnsp-victims-homicidio-doloso",),
    "mx-national-crimes": tuple(f"sesnsp-crimes-{name}" for name in NATIONAL_CRIMES),
}


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One file behind the briefing: its system, how many of its rows were counted, licence."""

    kind: str  # "events" or "indicator"
    system: str
    file_name: str
    title: str
    rows: int
    documents: int
    licence: str
    coders: tuple[str, ...]
    since: dt.date
    until: dt.date


def briefing_sources(
    store: Store,
    settings: Settings,
    since: dt.date,
    until: dt.date,
    *,
    targets: tuple[str, ...] = tuple(OUTLOOK_SERIES),
) -> list[SourceRow]:
    """The event files counted between ``since`` and ``until``, then the indicator files
    of the outlook's ``targets`` (rows up to ``until``)."""
    rows = _event_rows(store, settings, since, until)
    series = sorted({s for t in targets for s in OUTLOOK_SERIES.get(t, ())})
    rows += _indicator_rows(store, series, until)
    if "mx-state-violence" in targets:
        # the country whose states the target counts, as forecast/targets.py reads it
        rows += _violence_rows(store, until, country=source_country("mx_states"))
    return rows


def _event_rows(
    store: Store, settings: Settings, since: dt.date, until: dt.date
) -> list[SourceRow]:
    systems = dyadic_systems(store, settings.dyad_countries)
    spec = relationship_spec(
        settings.dyad_countries, sources=systems or None, since=since, until=until
    )
    t = index_rows_expr(store.ibis.table("events"), spec)
    docs = store.ibis.table("documents").select("doc_id", doc_run="ingest_run_id")
    joined = t.left_join(docs, t.doc_id == docs.doc_id)
    run = joined.doc_run.fill_null(joined.ingest_run_id)  # coded: the document's run
    keys = [joined.source_system, run.name("run_id"), joined.coder.fill_null("").name("coder")]
    grouped = joined.group_by(keys).aggregate(n=joined.count(), documents=joined.doc_id.nunique())
    files_by_run = runs.run_files(store)
    merged: dict[tuple[str, str], list[Any]] = {}
    for row in grouped.to_pyarrow().to_pylist():
        run_id = row["run_id"]
        name = files_by_run.get(str(run_id), f"ingest run {run_id} (no file recorded)")
        if run_id is None:
            name = "no ingest run recorded"
        cell = merged.setdefault((row["source_system"], name), [0, 0, set()])
        cell[0] += int(row["n"])
        cell[1] += int(row["documents"] or 0)
        cell[2].update({row["coder"]} - {""})
    return [
        _row("events", system, name, n, docs_n, since, until, coders=tuple(sorted(coders)))
        for (system, name), (n, docs_n, coders) in sorted(merged.items())
    ]


def _indicator_rows(store: Store, series: list[str], until: dt.date) -> list[SourceRow]:
    if not series:
        return []
    found = runs.indicator_files(store, series, until).to_pyarrow().to_pylist()
    return [
        _row(
            "indicator", str(r["series"]), str(r["file"]), int(r["n"]), 0, _date(r["first"]), until
        )
        for r in found
    ]


def _violence_rows(store: Store, until: dt.date, *, country: str) -> list[SourceRow]:
    """The UCDP events behind the mx-state-violence forecast: those placed in ``country``
    (the country whose states the target counts), up to ``until``."""
    found = runs.event_files(store, "ucdp", country, until).to_pyarrow().to_pylist()
    return [
        _row("forecast events", "ucdp", str(r["file"]), int(r["n"]), 0, _date(r["first"]), until)
        for r in found
    ]


def _row(
    kind: str,
    system: str,
    name: str,
    n: int,
    docs: int,
    since: dt.date,
    until: dt.date,
    *,
    coders: tuple[str, ...] = (),
) -> SourceRow:
    title, licence = provenance().get(_bare(name), (name, UNRECORDED))
    return SourceRow(kind, system, name, title, n, docs, licence, coders, since, until)


def _bare(name: str) -> str:
    """A file name without its compression suffix (fixtures are the demo files unpacked)."""
    return re.sub(r"\.(gz|zip|bz2)$", "", name)


@functools.cache
def provenance() -> dict[str, tuple[str, str]]:
    """Bare file name (no compression suffix) → (title, licence) of every bundled demo file."""
    folder = files("dyadwatch") / "data" / "demo"
    manifest = tomllib.loads((folder / "MANIFEST.toml").read_text(encoding="utf-8"))
    titles = {item["name"]: item["title"] for item in manifest.get("file", [])}
    licences = _licences((folder / "PROVENANCE.md").read_text(encoding="utf-8"))
    return {
        _bare(name): (titles.get(name, name), licences.get(name, UNRECORDED)) for name in titles
    }


def _licences(markdown: str) -> dict[str, str]:
    """The licence column of PROVENANCE.md's table, by the file name in its first column."""
    out = {}
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        found = re.match(r"`([^`]+)`", cells[0]) if len(cells) >= 5 else None
        if found:
            out[found.group(1)] = cells[-1]
    return out


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
