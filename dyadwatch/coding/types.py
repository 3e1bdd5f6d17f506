"""Records of the event coder: mentions found in a sentence, and the events coded from them.

Offsets are character offsets into the sentence text (``start`` inclusive, ``end`` exclusive).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# An asserted coded event is counted by the index, alerts, verdicts and briefings at or
# above this confidence (the learned coder's calibrated P(event)); docs/coder.md.
COUNT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor found in a sentence: a country, office-holder, agency, group, title or pronoun."""

    start: int
    end: int
    text: str
    code: str | None  # CAMEO-style code, e.g. "USAGOV", "MEXMIL", "MEXCRM"; None if unknown
    country: str | None  # ISO3
    sector: str | None  # GOV, MIL, COP, JUD, POL, CRM, BUS, CVL, IGO, REB, MED, ...
    kind: str  # "country" | "person" | "agency" | "group" | "title" | "pronoun" | "unknown"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place found in a sentence and resolved in the offline gazetteer."""

    start: int
    end: int
    text: str
    name: str
    country: str  # ISO3
    admin1: str | None  # e.g. "MX-CHH", "US-TX"
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word or phrase that reports an event, with what kind of event it reports."""

    start: int
    end: int
    text: str
    plover_type: str  # one of ontology.PLOVER_TYPES
    mode: str | None
    confidence: float  # 0..1
    negated: bool = False
    hypothetical: bool = False
    # a killing verb ("killed", "asesinaron"): FIGHT or ASSAULT is settled once the
    # pipeline knows who killed whom (pipeline._killing)
    killing: bool = False


@dataclass(frozen=True, slots=True)
class CodedActor:
    text: str
    code: str | None
    country: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class CodedLocation:
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """One event coded from one sentence of one document."""

    doc_id: str
    event_type: str  # upper-case PLOVER type
    mode: str | None
    quad_class: int  # 1..4
    source: CodedActor
    target: CodedActor | None
    fronts: tuple[str, ...]
    location: CodedLocation | None
    date: dt.date | None
    confidence: float
    evidence: str  # the sentence
    lang: str = "en"
    sentence_index: int = 0
    trigger: str = ""
    # asserted | hypothetical | negated | historical | generic (docs/codebook.md §6)
    factuality: str = "asserted"
    extra: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class TextInput:
    """One text to code: the contract's input line."""

    id: str
    text: str
    date: dt.date | None = None
    lang: str | None = None  # "en" | "es"; detected when None
    country: str | None = None  # ISO3 of the government that published it, if known


@dataclass(frozen=True, slots=True)
class CodedDocument:
    """What coding one text produced: its events, and how many sentences were read."""

    events: list[CodedEvent]
    sentences: int
