"""What each source read, month by month: coverage, normalised counts and source weights.

A *stream* is one source system read from one side. The White House's texts are the stream
``coded:USA``, the mañaneras ``coded:MEX`` (the side is ``Settings.publishers``); an event
dataset such as GDELT reads both countries' media and is one stream, ``gdelt2``. The rules
(``docs/alerts.md``, "Volume, coverage and weights"):

- A coded stream covers a month when it coded at least ``MIN_DOCUMENTS`` documents dated in
  it; an event dataset, when its files (GDELT) or events (others) span ``MIN_DAYS`` days.
  GDELT's days and events read are those of :func:`dyadwatch.analysis.coverage.gdelt_days`:
  the days in its files' names, and for an extract the days of its slices' counts.
- A count is normalised to a month of typical reading: count × (the stream's median monthly
  reading over its covered months) / (this month's reading). Reading is sentences for
  coded texts and events read for GDELT (so GDELT is per 1,000 events read, rescaled).
- Streams are combined with weights equal to their measured precision on events between
  the two countries (``source_weights``); a stream with no measurement gets
  ``UNMEASURED_WEIGHT`` and says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files

from dyadwatch.analysis.coverage import GDELT_SYSTEMS, as_date, gdelt_days
from dyadwatch.settings import Settings
from dyadwatch.store import Store
from dyadwatch.store.coded_documents import coded_reading
from dyadwatch.store.documents import document_sources
from dyadwatch.store.events import coded_events_per_month, event_days
from dyadwatch.store.tables import Tables, tables_of

MIN_DOCUMENTS = 2  # coded documents a side needs in a month to cover it
MIN_DAYS = 20  # days an event dataset's files or events must span to cover a month
UNMEASURED_WEIGHT = 0.5
SCORES_FILE = "coder_scores.json"


@dataclass(frozen=True, slots=True)
class StreamMonth:
    """What one stream read in one month."""

    stream: str
    side: str | None  # the country whose words it reads; None: both countries' media
    month: dt.date
    documents: int  # documents (coded texts), files (GDELT) or days with events (others)
    units: int  # sentences (coded), events read (GDELT) or events (others)
    unit: str
    covered: bool


@dataclass(frozen=True, slots=True)
class Weight:
    """A stream's weight when streams are combined, and where it comes from."""

    stream: str
    weight: float
    basis: str


@dataclass(frozen=True, slots=True)
class Reading:
    """Every stream's reading per month, with the rules above applied."""

    months: dict[tuple[str, dt.date], StreamMonth]
    sides: dict[str, str]  # document source -> side
    dyad: tuple[str, str]
    references: dict[str, float]  # stream -> median monthly reading over covered months
    languages: dict[str, str]  # coded stream -> the language most of its sentences are in

    def streams(self) -> tuple[str, ...]:
        return tuple(sorted({stream for stream, _ in self.months}))

    def row(self, stream: str, month: dt.date) -> StreamMonth | None:
        return self.months.get((stream, month))

    def covered(self, stream: str, month: dt.date) -> bool:
        row = self.row(stream, month)
        return bool(row and row.covered)

    def covering(self, month: dt.date) -> tuple[str, ...]:
        """The streams that cover ``month``."""
        return tuple(s for s in self.streams() if self.covered(s, month))

    def missing_sides(self, month: dt.date, streams: tuple[str, ...] | None = None) -> list[str]:
        """The sides of the pair that no covering stream (of ``streams``) reads in ``month``."""
        chosen = self.covering(month) if streams is None else streams
        sides = {self.months[(s, month)].side for s in chosen if self.covered(s, month)}
        if None in sides:  # an event dataset reads both countries' media
            return []
        return [side for side in self.dyad if side not in sides]

    def both_sides(self, month: dt.date, systems: tuple[str, ...] | None = None) -> bool:
        """Whether both sides are covered in ``month`` (by streams of ``systems``)."""
        chosen = self.covering(month)
        if systems is not None:
            chosen = tuple(s for s in chosen if s.split(":")[0] in systems)
        return bool(chosen) and not self.missing_sides(month, chosen)

    def factor(self, stream: str, month: dt.date) -> float | None:
        """What a count of ``stream`` in ``month`` is multiplied by to normalise it (None:
        the month is not covered)."""
        row = self.row(stream, month)
        if row is None or not row.covered or row.units <= 0:
            return None
        return self.reference(stream) / row.units

    def reference(self, stream: str) -> float:
        """The stream's median monthly reading over its covered months."""
        return self.references.get(stream, 1.0)

    def system_factors(self, system: str) -> dict[dt.date, float]:
        """Per covered month, what a count of the whole ``system`` (all its streams) is
        multiplied by: its median monthly reading over its reading that month."""
        units: dict[dt.date, int] = defaultdict(int)
        for (stream, month), row in self.months.items():
            if stream.split(":")[0] == system and row.covered and row.units > 0:
                units[month] += row.units
        if not units:
            return {}
        reference = float(statistics.median(units.values()))
        return {month: reference / n for month, n in sorted(units.items())}

    def knows(self, system: str) -> bool:
        """Whether anything is recorded of what ``system`` read (covered or not)."""
        return any(stream.split(":")[0] == system for stream, _ in self.months)

    def last_covered(self, systems: tuple[str, ...] | None = None) -> dt.date | None:
        """The latest month that both sides cover (with streams of ``systems``)."""
        months = sorted({m for _, m in self.months}, reverse=True)
        return next((m for m in months if self.both_sides(m, systems)), None)

    def stream_of(self, system: str, doc_source: str | None) -> str:
        """The stream an event belongs to, from its system and its document's source."""
        if system != "coded":
            return system
        side = self.sides.get(doc_source or "")
        return f"coded:{side}" if side else f"coded:{doc_source or 'unknown'}"


def load_reading(source: Store | Tables, settings: Settings) -> Reading:
    """What every stream in the store read, per month. ``source``: a store (its DuckDB
    tables) or the tables on another backend."""
    tables = tables_of(source)
    coded, languages = _coded(tables, settings)
    months = {(row.stream, row.month): row for row in coded + _gdelt(tables) + _datasets(tables)}
    units: dict[str, list[int]] = defaultdict(list)
    for row in months.values():
        if row.covered and row.units > 0:
            units[row.stream].append(row.units)
    references = {stream: float(statistics.median(v)) for stream, v in units.items()}
    return Reading(
        months, dict(settings.publishers), settings.dyad_countries, references, languages
    )


def document_streams(source: Store | Tables, reading: Reading) -> dict[str, str]:
    """The stream of every coded document, by document id."""
    frame = document_sources(tables_of(source).documents).to_pandas()
    return {
        str(doc): reading.stream_of("coded", str(origin))
        for doc, origin in zip(frame["doc_id"], frame["source"], strict=True)
    }


def _coded(tables: Tables, settings: Settings) -> tuple[list[StreamMonth], dict[str, str]]:
    totals: dict[tuple[str, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    sides: dict[str, str | None] = {}
    by_language: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    found = coded_reading(tables.documents, tables.coded_documents).to_pyarrow().to_pylist()
    for row in found:
        source, lang, month = str(row["source"]), str(row["lang"]), as_date(row["month"])
        docs, sentences = int(row["docs"]), int(row["sentences"])
        side = settings.publishers.get(source)
        stream = f"coded:{side or source}"
        sides[stream] = side
        totals[(stream, month)][0] += docs
        totals[(stream, month)][1] += sentences
        by_language[stream][lang] += sentences
    rows = [
        StreamMonth(s, sides[s], m, d, n, "sentences", d >= MIN_DOCUMENTS and n > 0)
        for (s, m), (d, n) in totals.items()
    ]
    languages = {s: max(counts, key=lambda k: counts[k]) for s, counts in by_language.items()}
    return rows, languages


def _gdelt(tables: Tables) -> list[StreamMonth]:
    days: dict[tuple[str, dt.date], set[dt.date]] = defaultdict(set)
    files: dict[tuple[str, dt.date], int] = defaultdict(int)
    read: dict[tuple[str, dt.date], int] = defaultdict(int)
    for (system, day), day_read in gdelt_days(tables).items():
        key = (system, day.replace(day=1))
        days[key].add(day)
        files[key] += day_read.files
        read[key] += day_read.events
    return [
        StreamMonth(s, None, m, files[(s, m)], read[(s, m)], "events read", len(d) >= MIN_DAYS)
        for (s, m), d in days.items()
    ]


def _datasets(tables: Tables) -> list[StreamMonth]:
    rows = event_days(tables.events, exclude=("coded", *GDELT_SYSTEMS)).to_pyarrow().to_pylist()
    return [
        StreamMonth(
            str(r["system"]),
            None,
            as_date(r["month"]),
            int(r["days"]),
            int(r["n"]),
            "events",
            int(r["days"]) >= MIN_DAYS,
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class SidesMonth:
    """The events coded from each government's own texts in one month."""

    month: dt.date
    events: dict[str, int]  # side (``Settings.publishers``) -> coded events

    def missing(self, dyad: tuple[str, str]) -> list[str]:
        """The sides of the pair with no coded event this month."""
        return [side for side in dyad if not self.events.get(side)]


def coded_sides(source: Store | Tables, settings: Settings, first: dt.date) -> list[SidesMonth]:
    """Every month from ``first`` to the latest month with a coded event: how many events
    were coded from each side's texts (by the texts' dates). A month can lack one side
    because its corpus has no text that month, or none the coder found an event in."""
    events: dict[dt.date, dict[str, int]] = defaultdict(dict)
    tables = tables_of(source)
    rows = coded_events_per_month(tables.events, tables.documents).to_pyarrow().to_pylist()
    for row in rows:
        side, month = settings.publishers.get(str(row["source"])), as_date(row["month"])
        if side is not None:
            events[month][side] = events[month].get(side, 0) + int(row["n"])
    if not events or max(events) < first:
        return []
    months, month = [], first.replace(day=1)
    while month <= max(events):
        months.append(SidesMonth(month, dict(events.get(month, {}))))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def source_weights(reading: Reading) -> dict[str, Weight]:
    """Each stream's weight: the coder's precision on events between the two countries, on
    the dev split, for the stream's language (smoothed: (hits + 1) / (predicted + 2));
    ``UNMEASURED_WEIGHT`` for event datasets, whose precision dyadwatch has not measured."""
    measured = coder_precision()
    out = {}
    for stream in reading.streams():
        lang = reading.languages.get(stream)
        if lang in measured:
            weight, basis = measured[lang]
            out[stream] = Weight(stream, weight, basis)
        else:
            out[stream] = Weight(
                stream, UNMEASURED_WEIGHT, "precision not measured; a fixed weight of 0.5"
            )
    return out


@functools.cache
def coder_precision() -> dict[str, tuple[float, str]]:
    """Per language, the learned coder's smoothed dyadic precision on the dev split."""
    path = files("dyadwatch") / "data" / "eval" / SCORES_FILE
    scores = json.loads(path.read_text(encoding="utf-8"))
    run = next((r for r in scores["runs"] if r["coder"] == "learned" and r["split"] == "dev"), None)
    out: dict[str, tuple[float, str]] = {}
    for lang, s in (run or {}).get("by_language", {}).items():
        hits = round(s["dyadic_recall"] * s["gold_dyadic"])
        predicted = round(hits / s["dyadic_precision"]) if s["dyadic_precision"] else 0
        weight = round((hits + 1) / (predicted + 2), 3)
        basis = (
            f"the coder's precision on {lang} events between the two countries, dev split: "
            f"{hits} right of {predicted} coded, smoothed to {weight}"
        )
        out[lang] = (weight, basis)
    return out
