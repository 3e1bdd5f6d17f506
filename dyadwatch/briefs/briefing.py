"""The monthly briefing in the seed's numbered format, built from the store; no language model.

A :class:`Briefing` holds a title, a lead, one numbered section per front, an outlook from
the stored forecasts, what to watch and the sources. The renderers
(:mod:`dyadwatch.briefs.briefing_render`) turn it into Markdown, HTML or PDF through Jinja
templates; every sentence is a template over these numbers.

**Ranking.** Sections are ranked by how much the front changed: the absolute value of
its net-cooperation z-score against the 6-month baseline (``net_cooperation_z`` of the
monthly verdict, ``docs/alerts.md``). Fronts with too few events to judge (the month plus
the baseline's monthly mean below 5 events) come after the judged ones, and fronts whose
month lacks coverage of a side come last. Ties go to the larger absolute change in events,
then to the ontology's order of fronts. Only events between the two countries are counted
or shown (``analysis.scope``); key events are the highest-weight ones, each with its
confidence and its document.

**Links.** Every number carries the events-explorer filter of the rows behind it
(``/events?front=…&since=…&until=…&dyad=…``); each event links to ``/events/{event_id}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pandas as pd

from dyadwatch.analysis.evidence import Contributor, top_events
from dyadwatch.analysis.fronts import check_front
from dyadwatch.analysis.index import compute_index
from dyadwatch.analysis.scope import relationship_pairs, relationship_spec
from dyadwatch.analysis.series import coverage, dyadic_systems
from dyadwatch.analysis.verdicts import (
    BASELINE_MONTHS,
    INSUFFICIENT,
    Coverage,
    Verdict,
    latest_month,
    monthly_verdicts,
)
from dyadwatch.briefs.briefing_outlook import Outlook, build_outlook
from dyadwatch.briefs.briefing_sources import SourceRow, briefing_sources
from dyadwatch.briefs.briefing_watch import WatchItem, watch_items
from dyadwatch.errors import ConfigError
from dyadwatch.ontology.countries import country_by_iso3
from dyadwatch.ontology.fronts import fronts
from dyadwatch.settings import Settings
from dyadwatch.store import Store

CHART_MONTHS = 12
MAX_EVENTS, MIN_KEY_EVENTS = 5, 2
MAX_NOTE_CHARS = 4000
MAX_WATCH = 8  # alerts listed under "What to watch", most severe first
MEASURES = (
    ("events", "events"),
    ("conflict", "conflict events (quad classes 3–4)"),
    ("cooperation", "cooperation events (quad classes 1–2)"),
    ("net_cooperation", "net cooperation (cooperation − conflict)"),
    ("escalation", "escalatory events (THREATEN, MOBILIZE, COERCE, ASSAULT, FIGHT, SANCTION)"),
    ("settlement", "settling events (AGREE, CONCEDE, RETREAT, COOPERATE)"),
)


@dataclass(frozen=True, slots=True)
class Num:
    """A number as printed, and the link to the rows behind it."""

    text: str
    href: str


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure of a front in the month, beside its 6-month baseline mean."""

    key: str
    label: str
    value: Num
    baseline: Num


@dataclass(frozen=True, slots=True)
class DirectionRow:
    """The month's counts in one direction of the relationship."""

    label: str
    events: Num
    conflict: Num
    cooperation: Num
    net_cooperation: Num


@dataclass(frozen=True, slots=True)
class KeyEvent:
    """An event behind the section, with its evidence sentence and source link."""

    event_id: str
    href: str
    date: dt.date
    direction: str
    plover_type: str
    goldstein: Num | None
    source_system: str
    evidence: str | None
    source_url: str | None
    record: str
    confidence: str | None = None  # coded events: the coder's confidence, as printed
    document: str | None = None  # the title of the document the event was coded from


@dataclass(frozen=True, slots=True)
class ChartData:
    """The front's monthly index over the chart window, as a Vega-Lite spec and its rows."""

    key: str
    title: str
    spec: dict[str, Any]
    rows: tuple[tuple[str, int | None, int | None], ...]  # month, events, net cooperation


@dataclass(frozen=True, slots=True)
class Section:
    """One numbered section: one front."""

    rank: int
    front: str
    label: str
    covers: str
    score: float
    judged: bool
    verdict: str
    reasons: tuple[str, ...]
    coverage: tuple[Coverage, ...]
    flags: tuple[str, ...]
    measures: dict[str, Measure]
    z: Num
    directions: tuple[DirectionRow, ...]
    events: tuple[KeyEvent, ...]
    chart: ChartData
    note: str | None


@dataclass(frozen=True, slots=True)
class Briefing:
    """The whole briefing: what every renderer needs, and nothing else."""

    period: str
    month_name: str
    since: dt.date
    until: dt.date
    baseline_since: dt.date
    countries: tuple[str, str]
    country_names: tuple[str, str]
    country_phrases: tuple[str, str]  # names as they read in a sentence ("the United States")
    title: str
    lead: str  # the lead as plain text, without links (for lists and feeds)
    overall: Section
    sections: tuple[Section, ...]
    has_data: bool
    outlook: Outlook
    watch: tuple[WatchItem, ...]
    watch_more: int  # alerts starting in the month beyond the MAX_WATCH shown
    sources: tuple[SourceRow, ...]
    source_systems: tuple[str, ...]
    base_url: str
    generated: dt.datetime


class Links:
    """Explorer links, relative (``base_url=""``) or absolute."""

    def __init__(self, base_url: str = "") -> None:
        self.base = base_url.rstrip("/")

    def explorer(self, **params: object) -> str:
        pairs = {k: _param(v) for k, v in params.items() if v not in (None, "", "all")}
        return f"{self.base}/events?{urlencode(pairs)}"

    def event(self, event_id: str) -> str:
        return f"{self.base}/events/{quote(event_id, safe='')}"

    def page(self, path: str) -> str:
        return f"{self.base}{path}"


def parse_period(text: str) -> dt.date:
    """``YYYY-MM`` as the first day of that month, or a :class:`ConfigError` saying so."""
    try:
        parsed = dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError as exc:
        raise ConfigError(
            f"period must be a month written YYYY-MM, such as 2025-02; got {text!r}"
        ) from exc
    if parsed.year < 1900:
        raise ConfigError(f"period {text!r} is before 1900; give a month with data")
    return parsed


def parse_notes(items: Sequence[str]) -> dict[str, str]:
    """``FRONT=text`` items (the CLI's ``--note``) as checked notes keyed by front."""
    notes: dict[str, str] = {}
    for item in items:
        front, sep, text = item.partition("=")
        if not sep:
            raise ConfigError(f'a note must look like trade="text", got {item[:60]!r}')
        if front.strip() in notes:
            raise ConfigError(f"two notes for {front.strip()}; give one note per front")
        notes[front.strip()] = text
    return check_notes(notes)


def check_notes(notes: Mapping[str, str]) -> dict[str, str]:
    """Analyst notes keyed by front, checked: known fronts, not empty, not too long."""
    checked = {}
    for front, text in notes.items():
        check_front(front)
        if not text.strip():
            raise ConfigError(f'the note for {front} is empty; write --note {front}="text"')
        if len(text) > MAX_NOTE_CHARS:
            raise ConfigError(f"the note for {front} is {len(text)} characters; the limit is 4000")
        checked[front] = text.strip()
    return checked


def briefing_for(
    store: Store,
    settings: Settings,
    *,
    period: str | None,
    notes: Sequence[str] = (),
    base_url: str = "",
    now: dt.datetime,
) -> Briefing:
    """The briefing for ``period`` (``YYYY-MM``; None: the latest month with events between
    the two countries), with ``FRONT=text`` analyst notes. Inputs are checked first."""
    month = parse_period(period) if period is not None else None
    checked = parse_notes(notes)
    if month is None:
        month = latest_month(store, settings)
        if month is None:
            raise ConfigError(
                f"{store.path} holds no month with events between {settings.dyad}; load data "
                "(dyadwatch demo or dyadwatch ingest) or give --period"
            )
    return build_briefing(store, settings, month, notes=checked, base_url=base_url, now=now)


def build_briefing(
    store: Store,
    settings: Settings,
    month: dt.date,
    *,
    notes: Mapping[str, str] | None = None,
    base_url: str = "",
    now: dt.datetime,
) -> Briefing:
    """The briefing for ``month`` (any day in it), from the store's events and forecasts."""
    month = month.replace(day=1)
    checked = check_notes(notes or {})
    window = _Window.of(month)
    links = Links(base_url)
    sources = dyadic_systems(store, settings.dyad_countries)
    verdicts = monthly_verdicts(store, settings, month)
    covered = _covered_months(store, sources)
    builder = _SectionBuilder(store, settings, window, links, sources, covered)
    overall = builder.section(verdicts[0], rank=0, note=None)
    ranked = sorted(verdicts[1:], key=_rank_key)
    sections = tuple(
        builder.section(v, rank=i, note=checked.get(v.front)) for i, v in enumerate(ranked, 1)
    )
    a, b = settings.dyad_countries
    names = (_country_name(a), _country_name(b))
    outlook = build_outlook(store, settings, month)
    targets = tuple(item.target for item in outlook.items)
    phrases = (_in_sentence(names[0]), _in_sentence(names[1]))
    watched = watch_items(store, settings, since=window.since, until=window.until, links=links)
    return Briefing(
        period=month.strftime("%Y-%m"),
        month_name=month.strftime("%B %Y"),
        since=window.since,
        until=window.until,
        baseline_since=window.baseline_since,
        countries=(a, b),
        country_names=names,
        country_phrases=phrases,
        title=f"{names[0]}–{names[1]}: the relationship in {month.strftime('%B %Y')}",
        lead=lead_text(overall, sections, phrases, month.strftime("%B %Y")),
        overall=overall,
        sections=sections,
        has_data=bool(overall.coverage)
        or _value(overall, "events") + _baseline(overall, "events") > 0,
        outlook=outlook,
        watch=tuple(watched[:MAX_WATCH]),
        watch_more=max(0, len(watched) - MAX_WATCH),
        sources=tuple(
            briefing_sources(store, settings, window.baseline_since, window.until, targets=targets)
        ),
        source_systems=sources,
        base_url=links.base,
        generated=now,
    )


@dataclass(frozen=True, slots=True)
class _Window:
    month: dt.date
    since: dt.date
    until: dt.date
    baseline_since: dt.date
    baseline_until: dt.date
    chart_since: dt.date

    @classmethod
    def of(cls, month: dt.date) -> _Window:
        start = pd.Timestamp(month)
        return cls(
            month=month,
            since=month,
            until=(start + pd.DateOffset(months=1) - pd.Timedelta(days=1)).date(),
            baseline_since=(start - pd.DateOffset(months=BASELINE_MONTHS)).date(),
            baseline_until=(start - pd.Timedelta(days=1)).date(),
            chart_since=(start - pd.DateOffset(months=CHART_MONTHS - 1)).date(),
        )


def lead_text(
    overall: Section, sections: tuple[Section, ...], phrases: tuple[str, str], month: str
) -> str:
    """The lead in plain text: the same template as the rendered lead, without links."""
    m = overall.measures
    if overall.verdict == INSUFFICIENT:
        return f"dyadwatch cannot judge {month}: {overall.reasons[0]}."
    if m["events"].value.text == "0" and m["events"].baseline.text == "0.0":
        return f"No events between {phrases[0]} and {phrases[1]} are stored for {month}."
    verdict = "was unchanged" if overall.verdict == "unchanged" else overall.verdict
    text = (
        f"In {month} dyadwatch counted {m['events'].value.text} events between {phrases[0]} "
        f"and {phrases[1]} against a monthly mean of {m['events'].baseline.text} over the "
        f"previous six months; net cooperation was {m['net_cooperation'].value.text} against "
        f"{m['net_cooperation'].baseline.text}, and the relationship as a whole {verdict}."
    )
    if sections:
        text += f" The largest change was on {sections[0].label} (z {sections[0].z.text})."
    return text


def _rank_key(verdict: Verdict) -> tuple[bool, bool, float, float, int]:
    n = verdict.numbers
    order = [f.key for f in fronts()].index(verdict.front)
    change = abs(n.get("events", 0.0) - n.get("events_baseline", 0.0))
    covered = verdict.verdict != INSUFFICIENT
    return (not covered, not verdict.judged, -abs(n.get("net_cooperation_z", 0.0)), -change, order)


class _SectionBuilder:
    """Builds sections that share the month, the links and the index rows' coverage."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        window: _Window,
        links: Links,
        sources: tuple[str, ...],
        covered: set[dt.date],
    ) -> None:
        self.store, self.settings, self.window = store, settings, window
        self.links, self.sources, self.covered = links, sources, covered
        self.dyad = "-".join(settings.dyad_countries)

    def section(self, verdict: Verdict, *, rank: int, note: str | None) -> Section:
        front = verdict.front
        label, covers = _front_text(front)
        rows = self._index_rows(front, verdict.sources or self.sources)
        n = verdict.numbers
        z = n.get("net_cooperation_z")
        return Section(
            rank=rank,
            front=front,
            label=label,
            covers=covers,
            score=round(abs(z or 0.0), 3),
            judged=verdict.judged,
            verdict=verdict.verdict,
            reasons=verdict.reasons,
            coverage=verdict.coverage,
            flags=verdict.flags,
            measures={key: self._measure(front, key, text, n) for key, text in MEASURES},
            z=Num(
                "n/a" if z is None else f"{z:+.2f}", self._href(front, self.window.baseline_since)
            ),
            directions=self._directions(front, rows),
            events=self._events(verdict),
            chart=self._chart(front, label, rows),
            note=note,
        )

    def _href(self, front: str, since: dt.date, until: dt.date | None = None, **extra: str) -> str:
        params: dict[str, object] = {"front": front, "since": since}
        params["until"] = until or self.window.until
        params.update(extra or {"dyad": self.dyad})
        return self.links.explorer(**params)

    def _measure(self, front: str, key: str, label: str, n: dict[str, float]) -> Measure:
        w = self.window
        now = n.get(key, 0.0)
        value = _signed(int(now)) if key == "net_cooperation" else f"{now:.0f}"
        base = n.get(f"{key}_baseline", 0.0)
        base_text = f"{base:+.1f}" if key == "net_cooperation" and base else f"{base:.1f}"
        return Measure(
            key=key,
            label=label,
            value=Num(value, self._href(front, w.since)),
            baseline=Num(base_text, self._href(front, w.baseline_since, w.baseline_until)),
        )

    def _index_rows(self, front: str, sources: tuple[str, ...]) -> list[dict[str, Any]]:
        """The front's monthly index over the chart window, from the systems the verdict
        used (all systems with events between the two countries when it could not judge)."""
        spec = relationship_spec(
            self.settings.dyad_countries,
            front=None if front == "all" else front,
            sources=sources or None,
            combine=True,
            since=self.window.chart_since,
            until=self.window.until,
        )
        return compute_index(self.store.ibis.table("events"), spec)

    def _directions(self, front: str, rows: list[dict[str, Any]]) -> tuple[DirectionRow, ...]:
        month = self.window.since.isoformat()
        out = []
        for src, tgt in relationship_pairs(self.settings.dyad_countries):
            found = [r for r in rows if r["period"] == month and r["direction"] == f"{src}->{tgt}"]
            r = found[0] if found else {}
            href = self._href(front, self.window.since, direction=f"{src}-{tgt}", dyad=self.dyad)
            coop, conflict = (
                r.get("quad1", 0) + r.get("quad2", 0),
                r.get("quad3", 0) + r.get("quad4", 0),
            )
            out.append(
                DirectionRow(
                    label=f"{src}→{tgt}",
                    events=Num(str(r.get("events", 0)), href),
                    conflict=Num(str(conflict), href),
                    cooperation=Num(str(coop), href),
                    net_cooperation=Num(_signed(coop - conflict), href),
                )
            )
        return tuple(out)

    def _events(self, verdict: Verdict) -> tuple[KeyEvent, ...]:
        chosen: dict[str, Contributor] = {e.event_id: e for e in verdict.events}
        if len(chosen) < MIN_KEY_EVENTS:  # the verdict's own evidence (up to 3) is too thin
            more = top_events(
                self.store,
                directions=relationship_pairs(self.settings.dyad_countries),
                start=self.window.since,
                end=self.window.until,
                measure="events",
                front=verdict.front,
                sources=self.sources or None,
                limit=MAX_EVENTS * 2,
            )
            for event in sorted(more, key=lambda e: e.evidence is None):
                chosen.setdefault(event.event_id, event)
        return tuple(self._key_event(e) for e in list(chosen.values())[:MAX_EVENTS])

    def _key_event(self, e: Contributor) -> KeyEvent:
        href = self.links.event(e.event_id)
        return KeyEvent(
            event_id=e.event_id,
            href=href,
            date=e.event_date,
            direction=f"{e.source_country or '?'}→{e.target_country or '?'}",
            plover_type=e.plover_type or f"quad class {e.quad_class}",
            goldstein=None if e.goldstein is None else Num(f"{e.goldstein:+.1f}", href),
            source_system=e.source_system,
            evidence=e.evidence,
            source_url=_safe_url(e.url),
            record=e.source_record_id,
            confidence=None if e.confidence is None else f"{e.confidence:.2f}",
            document=e.doc_title or e.doc_id,
        )

    def _chart(self, front: str, label: str, rows: list[dict[str, Any]]) -> ChartData:
        months = pd.date_range(self.window.chart_since, self.window.since, freq="MS")
        table: list[tuple[str, int | None, int | None]] = []
        for m in months:
            day = m.date()
            part = [r for r in rows if r["period"] == day.isoformat()]
            if day not in self.covered and not part:
                table.append((day.strftime("%Y-%m"), None, None))
                continue
            events = sum(int(r["events"]) for r in part)
            net = sum(int(r["net_cooperation"]) for r in part)
            table.append((day.strftime("%Y-%m"), events, net))
        title = f"{label}: events and net cooperation per month"
        return ChartData(f"{front}", title, chart_spec(title, table), tuple(table))


def chart_spec(
    title: str, rows: tuple[tuple[str, int | None, int | None], ...] | list[Any]
) -> dict[str, Any]:
    """A small Vega-Lite chart: events as bars, net cooperation as a line, month by month."""
    values = [{"month": m, "events": e, "net cooperation": n} for m, e, n in rows]
    x = {"field": "month", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {
            "text": title,
            "subtitle": "bars: events; line: net cooperation; empty: no source covers the month",
            "fontSize": 11,
        },
        "width": 420,
        "height": 140,
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "color": "#c9d6e3"},
                "encoding": {"x": x, "y": {"field": "events", "type": "quantitative"}},
            },
            {
                "mark": {"type": "line", "color": "#b5451b", "point": {"color": "#b5451b"}},
                "encoding": {
                    "x": x,
                    "y": {"field": "net cooperation", "type": "quantitative"},
                },
            },
            {"mark": {"type": "rule", "color": "#666"}, "encoding": {"y": {"datum": 0}}},
        ],
        "resolve": {"scale": {"y": "shared"}},
        "config": {"view": {"stroke": None}, "font": "sans-serif"},
    }


def _covered_months(store: Store, sources: tuple[str, ...]) -> set[dt.date]:
    covered: set[dt.date] = set()
    for system, months in coverage(store, "month").items():
        if not sources or system in sources:
            covered.update(m.date() for m in months)
    return covered


def _front_text(front: str) -> tuple[str, str]:
    if front == "all":
        return "The whole relationship", "every event between the two countries"
    found = next(f for f in fronts() if f.key == front)
    return found.label, found.covers


def _country_name(iso3: str) -> str:
    country = country_by_iso3(iso3)
    return country.name if country else iso3


def _in_sentence(name: str) -> str:
    """A country's name with the article English gives it ("the United States")."""
    plural = name.endswith(("Islands", "Netherlands", "Philippines", "Bahamas", "Emirates"))
    return f"the {name}" if name.startswith("United ") or plural or "Republic" in name else name


def _signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _value(section: Section, key: str) -> float:
    return float(section.measures[key].value.text)


def _baseline(section: Section, key: str) -> float:
    return float(section.measures[key].baseline.text)


def _param(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) link (never ``javascript:``), else None."""
    if not url:
        return None
    text = url.strip()
    return text if text.lower().startswith(("http://", "https://")) and " " not in text else None
