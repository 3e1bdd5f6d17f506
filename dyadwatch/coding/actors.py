"""Actors in a sentence: countries, office-holders, agencies, criminal groups, titles, pronouns.

``load_actor_matcher().find(sentence, lang=...)`` finds the phrases of the bundled
dictionary (``dyadwatch/data/actors/``): whole words, any case and accents (short acronyms
such as "US" or "ICE" only as written), longest match first. Neighbouring matches are
joined: "Mexican officials" and "funcionarios mexicanos" become one MEX GOV actor, "Mexican
President" a title of Mexico, "President Trump" the person.

``resolve_mentions`` then uses the document: a title becomes the office-holder of the
document's country at its date, a pronoun the last person mentioned before it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.coding.actor_data import (
    ActorEntry,
    Candidate,
    PhraseIndex,
    Term,
    actor_candidates,
    officeholder_terms,
)
from dyadwatch.coding.types import ActorMention

LANGS = ("en", "es")
CONNECTOR = re.compile(r"\s+(?:(?:of|de)(?:\s+(?:the|los|las|la|el))?|del)\s+", re.IGNORECASE)
BLANK = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int
    entry: ActorEntry


class ActorMatcher:
    """Finds actor mentions with one phrase index per language."""

    def __init__(self, candidates: Sequence[Candidate[ActorEntry]], terms: Sequence[Term]) -> None:
        self._indexes = {lang: PhraseIndex(_for_lang(candidates, lang)) for lang in LANGS}
        self._any = PhraseIndex(candidates)
        self._terms = tuple(terms)

    def find(self, sentence: str, *, lang: str) -> list[ActorMention]:
        """Actor mentions in ``sentence``: non-overlapping, longest first, sorted by start."""
        index = self._indexes.get(lang, self._any)
        hits = [_Piece(h.start, h.end, h.value) for h in index.scan(sentence)]
        pieces = _join(sentence, [p for p in hits if p.entry.kind != "block"])
        return [_mention(sentence, piece) for piece in pieces]

    def entry_of(self, text: str) -> ActorEntry | None:
        """The meaning of the person, else the title, else the pronoun named in ``text``."""
        entries = [hit.value for hit in self._any.scan(text)]
        for kind in ("person", "title", "pronoun"):
            for entry in entries:
                if entry.kind == kind:
                    return entry
        return None

    def holder(self, *, role: str, country: str, date: dt.date) -> Term | None:
        """Who held ``role`` in ``country`` on ``date`` (the latest start wins), or None."""
        terms = [t for t in self._terms if t.role == role and t.country == country]
        held = [t for t in terms if t.covers(date)]
        return max(held, key=lambda t: t.start or dt.date.min) if held else None

    def terms_of(self, person: str) -> list[Term]:
        """The offices of one person, in table order."""
        return [t for t in self._terms if t.person == person]


@functools.cache
def load_actor_matcher() -> ActorMatcher:
    """The matcher over the bundled actor dictionary (built once, on first use)."""
    return ActorMatcher(list(actor_candidates()), officeholder_terms())


def resolve_mentions(
    mentions: Sequence[ActorMention],
    *,
    doc_country: str | None,
    date: dt.date | None,
    previous: Sequence[ActorMention],
) -> list[ActorMention]:
    """Titles become office-holders, pronouns earlier persons, persons their office on ``date``."""
    matcher = load_actor_matcher()
    seen = list(previous)
    resolved = []
    for mention in mentions:
        if mention.kind == "title":
            mention = _resolve_title(matcher, mention, doc_country=doc_country, date=date)
        elif mention.kind == "pronoun":
            mention = _resolve_pronoun(matcher, mention, seen)
        elif mention.kind == "person" and date is not None:
            mention = _date_person(matcher, mention, date)
        resolved.append(mention)
        seen.append(mention)
    return resolved


def _resolve_title(
    matcher: ActorMatcher, mention: ActorMention, *, doc_country: str | None, date: dt.date | None
) -> ActorMention:
    country = mention.country or doc_country
    entry = matcher.entry_of(mention.text)
    if country is None or date is None or entry is None or entry.role is None:
        return dataclasses.replace(mention, country=country)
    term = matcher.holder(role=entry.role, country=country, date=date)
    if term is None:
        return dataclasses.replace(mention, country=country)
    return _as_term(mention, term)


def _resolve_pronoun(
    matcher: ActorMatcher, mention: ActorMention, seen: Sequence[ActorMention]
) -> ActorMention:
    entry = matcher.entry_of(mention.text)
    gender = entry.gender if entry else None
    for earlier in reversed(seen):
        if earlier.kind == "person" and _fits(matcher, earlier, gender):
            return dataclasses.replace(
                mention,
                code=earlier.code,
                country=earlier.country,
                sector=earlier.sector,
                kind="person",
            )
    return mention


def _fits(matcher: ActorMatcher, person: ActorMention, gender: str | None) -> bool:
    entry = matcher.entry_of(person.text)
    return gender is None or entry is None or entry.gender in (None, gender)


def _date_person(matcher: ActorMatcher, mention: ActorMention, date: dt.date) -> ActorMention:
    entry = matcher.entry_of(mention.text)
    if entry is None or entry.person is None:
        return mention
    terms = matcher.terms_of(entry.person)
    held = [t for t in terms if t.covers(date)]
    if held:
        return _as_term(mention, held[-1])
    if all(t.start is not None for t in terms):  # known dates, none covers: out of office
        return dataclasses.replace(mention, code=mention.country, sector=None)
    return mention


def _as_term(mention: ActorMention, term: Term) -> ActorMention:
    return dataclasses.replace(
        mention, code=term.code, country=term.country, sector=term.sector, kind="person"
    )


def _for_lang(
    candidates: Sequence[Candidate[ActorEntry]], lang: str
) -> list[Candidate[ActorEntry]]:
    return [c for c in candidates if c.value.lang in ("", lang)]


def _join(sentence: str, pieces: list[_Piece]) -> list[_Piece]:
    joined: list[_Piece] = []
    for piece in pieces:
        if joined:
            merged = _merge(joined[-1], piece, sentence[joined[-1].end : piece.start])
            if merged is not None:
                joined[-1] = merged
                continue
        joined.append(piece)
    return joined


def _merge(left: _Piece, right: _Piece, gap: str) -> _Piece | None:
    blank = bool(BLANK.fullmatch(gap))
    linked = blank or bool(CONNECTOR.fullmatch(gap))
    kinds = (left.entry.kind, right.entry.kind)
    if kinds == ("title", "person") and blank:
        return _Piece(left.start, right.end, right.entry)
    if kinds in (("country", "agent"), ("country", "title")) and blank:
        return _Piece(left.start, right.end, _with_country(right.entry, left.entry))
    if kinds in (("agent", "country"), ("title", "country")) and linked and not left.entry.country:
        return _Piece(left.start, right.end, _with_country(left.entry, right.entry))
    return None


def _with_country(entry: ActorEntry, country: ActorEntry) -> ActorEntry:
    return dataclasses.replace(entry, country=country.country)


def _mention(sentence: str, piece: _Piece) -> ActorMention:
    entry = piece.entry
    kind = "unknown" if entry.kind == "agent" else entry.kind
    code = entry.code if kind in ("person", "agency", "group", "country") else None
    return ActorMention(
        start=piece.start,
        end=piece.end,
        text=sentence[piece.start : piece.end],
        code=code,
        country=entry.country,
        sector=entry.sector,
        kind=kind,
    )
