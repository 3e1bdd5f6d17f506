"""Dictionary data of the actor coder, and the phrase matcher it shares with the gazetteer.

The tables are bundled in ``dyadwatch/data/actors/`` (provenance in its ``PROVENANCE.md``).
Matching runs pyahocorasick over a *folded* copy of the sentence: lower case, accents
removed, one character for one character, so offsets found in the folded text are offsets
into the original sentence.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Generic, TypeVar

import ahocorasick

T = TypeVar("T")

ACTORS_DIR = "actors"
FOLD_RANGE = 0x0250  # Latin-1, Latin Extended-A and -B: all fold to one character


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One dictionary meaning of a phrase: what a match of it stands for."""

    code: str | None
    country: str | None
    sector: str | None
    kind: str  # as ActorMention.kind, plus "agent" (generic noun) and "block" (not an actor)
    lang: str = ""  # "" for every language
    role: str | None = None  # titles: the office they name
    gender: str | None = None  # titles and pronouns: "m" | "f"
    person: str | None = None  # office-holders: the person's key


@dataclass(frozen=True, slots=True)
class Term:
    """One office held by one person, with its dates (None when not known)."""

    person: str
    gender: str
    country: str
    sector: str
    code: str
    role: str
    start: dt.date | None
    end: dt.date | None

    def covers(self, date: dt.date) -> bool:
        """True when this term is known to include ``date`` (an open end runs on)."""
        return (
            self.start is not None and self.start <= date and (self.end is None or date < self.end)
        )


@dataclass(frozen=True, slots=True)
class Candidate(Generic[T]):
    """A phrase of the index with its value and how strictly the original text must match."""

    phrase: str
    value: T
    strict: str  # "fold": any case and accents | "accents": any case | "exact": as written


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    start: int
    end: int
    value: T


class PhraseIndex(Generic[T]):
    """Whole-word phrase search over folded text; longest non-overlapping matches win."""

    def __init__(self, candidates: Iterable[Candidate[T]]) -> None:
        groups: dict[str, list[Candidate[T]]] = {}
        for candidate in candidates:
            key = fold_text(candidate.phrase)
            if key.strip():
                groups.setdefault(key, []).append(candidate)
        self._automaton = ahocorasick.Automaton()
        for key, group in groups.items():
            self._automaton.add_word(key, (len(key), tuple(group)))
        if groups:
            self._automaton.make_automaton()
        self._empty = not groups

    def scan(self, text: str) -> list[Hit[T]]:
        """All whole-word matches, longest first where they overlap, sorted by start."""
        if self._empty or not text:
            return []
        folded = fold_text(text)
        found = []
        for end_index, (length, group) in self._automaton.iter(folded):
            start, end = end_index + 1 - length, end_index + 1
            if _is_word(folded, start, end):
                candidate = _first_passing(group, text[start:end])
                if candidate is not None:
                    found.append(Hit(start, end, candidate.value))
        return _longest_first(found)


def fold_text(text: str) -> str:
    """Lower case and strip accents, keeping the length (one character for one)."""
    return text.translate(_fold_table())


@functools.cache
def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(FOLD_RANGE):
        char = chr(code)
        bare = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        bare = bare.lower()
        if len(bare) == 1 and bare != char:
            table[code] = bare
    for char in "\n\t\r\u00a0":
        table[ord(char)] = " "
    for char in "\u2018\u2019\u02bc":
        table[ord(char)] = "'"
    for char in "\u2010\u2011\u2013":
        table[ord(char)] = "-"
    return table


def _is_word(folded: str, start: int, end: int) -> bool:
    before = folded[start - 1] if start > 0 else " "
    after = folded[end] if end < len(folded) else " "
    return not (before.isalnum() or after.isalnum() or _inner_edge(folded, start, end))


def _inner_edge(folded: str, start: int, end: int) -> bool:
    # "EE.UU." must not match the "ee.uu" inside "ee.uu.aa"; an apostrophe-s is fine
    return end < len(folded) - 1 and folded[end] == "." and folded[end + 1].isalnum()


def _first_passing(group: Sequence[Candidate[T]], original: str) -> Candidate[T] | None:
    for candidate in group:
        if _passes(candidate, original):
            return candidate
    return None


def _passes(candidate: Candidate[T], original: str) -> bool:
    if candidate.strict == "exact":
        return original == candidate.phrase
    if candidate.strict == "accents":
        return original.lower() == candidate.phrase.lower()
    return True


def _longest_first(found: list[Hit[T]]) -> list[Hit[T]]:
    taken: list[Hit[T]] = []
    for hit in sorted(found, key=lambda h: (h.start - h.end, h.start)):
        if all(hit.end <= t.start or hit.start >= t.end for t in taken):
            taken.append(hit)
    return sorted(taken, key=lambda h: h.start)


def strictness(phrase: str) -> str:
    """How strictly a phrase must match: acronyms ("ICE", "EU") as written, "él" with its accent."""
    letters = [c for c in phrase if c.isalpha()]
    if len(letters) <= 4 and letters and all(c.isupper() for c in letters):
        return "exact"
    if fold_text(phrase) != phrase.lower():
        return "accents" if len(letters) <= 3 else "fold"
    return "fold"


def actor_candidates() -> Iterator[Candidate[ActorEntry]]:
    """Every phrase of the actor dictionary, most specific tables first."""
    yield from _officeholder_candidates()
    yield from _table_candidates("agencies.csv", kind="agency")
    yield from _table_candidates("groups.csv", kind="group")
    yield from _table_candidates("groups_phoenix.csv", kind="group")
    yield from _table_candidates("people_phoenix.csv", kind="person")
    yield from _title_candidates()
    yield from _country_candidates()
    yield from _agent_candidates()


def officeholder_terms() -> tuple[Term, ...]:
    """Every row of ``officeholders.csv``: one office held by one person."""
    return tuple(_term(row) for row in read_rows("officeholders.csv"))


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of a bundled CSV under ``data/actors``."""
    text = (files("dyadwatch") / "data" / ACTORS_DIR / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def split_names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split("|") if name.strip()]


def _term(row: dict[str, str]) -> Term:
    return Term(
        person=row["person"],
        gender=row["gender"],
        country=row["country"],
        sector=row["sector"],
        code=row["code"],
        role=row["role"],
        start=_date(row["start"]),
        end=_date(row["end"]),
    )


def _date(cell: str) -> dt.date | None:
    return dt.date.fromisoformat(cell) if cell else None


def _officeholder_candidates() -> Iterator[Candidate[ActorEntry]]:
    seen: set[str] = set()
    for row in read_rows("officeholders.csv"):
        if row["person"] in seen:
            continue  # the first row of a person gives the static code
        seen.add(row["person"])
        entry = ActorEntry(
            code=row["code"],
            country=row["country"],
            sector=row["sector"],
            kind="person",
            gender=row["gender"],
            person=row["person"],
        )
        for name in split_names(row["names"]):
            yield Candidate(name, entry, strictness(name))


def _table_candidates(name: str, *, kind: str) -> Iterator[Candidate[ActorEntry]]:
    for row in read_rows(name):
        entry = ActorEntry(
            code=row["code"],
            country=row["country"],
            sector=row["sector"],
            kind=kind,
            lang=row.get("lang", ""),
        )
        for phrase in split_names(row["names"]):
            yield Candidate(phrase, entry, strictness(phrase))


def _title_candidates() -> Iterator[Candidate[ActorEntry]]:
    for row in read_rows("titles.csv"):
        entry = ActorEntry(
            code=None,
            country=None,
            sector=None,
            kind=row["kind"],
            lang=row["lang"],
            role=row["role"] or None,
            gender=row["gender"] or None,
        )
        for phrase in split_names(row["names"]):
            yield Candidate(phrase, entry, "accents" if row["kind"] == "pronoun" else "fold")


def _country_candidates() -> Iterator[Candidate[ActorEntry]]:
    for row in read_rows("nonactors.csv"):
        yield Candidate(row["name"], ActorEntry(None, None, None, "block"), "fold")
    for row in read_rows("countries.csv"):
        entry = ActorEntry(row["iso3"], row["iso3"], None, "country", lang=row["lang"])
        yield Candidate(row["name"], entry, _country_strictness(row["name"]))


def _country_strictness(name: str) -> str:
    letters = [c for c in name if c.isalpha()]
    return "exact" if len(letters) <= 3 else "fold"


def _agent_candidates() -> Iterator[Candidate[ActorEntry]]:
    for name in ("agents_hand.csv", "agents_phoenix.csv"):
        for row in read_rows(name):
            entry = ActorEntry(None, None, row["sector"], "agent", lang=row["lang"])
            for phrase in split_names(row["name"]):
                yield Candidate(phrase, entry, strictness(phrase))
