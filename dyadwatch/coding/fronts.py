"""Fronts of a sentence: the pair's keyword lists, plus one rule on cooperative acts.

Keywords come from the pair's configuration (``data/pairs/<dyad>.toml``, one
``keywords.<lang>`` list per front; :mod:`dyadwatch.ontology.pairs`). Text is normalized
as in :mod:`dyadwatch.coding.triggers` (lower case, no accents, punctuation as blanks),
and a keyword matches at a word start; ``*`` at its end lets the word continue. Every
language's list is tried for every sentence.

Rule: a cooperative PLOVER type (AGREE, CONSULT, SUPPORT, COOPERATE, AID) in a sentence
that names both countries of the pair (the pair's ``[mentions]`` words, in either
language) adds ``cooperation``.
"""

from __future__ import annotations

import functools
import re

from dyadwatch.coding.trigger_lexicon import normalize
from dyadwatch.ontology import FRONT_KEYS, validate_fronts
from dyadwatch.ontology.pairs import DEFAULT_DYAD, Pair, bundled_pair

COOPERATIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID"})


def fronts_for(
    sentence: str, *, lang: str, plover_type: str | None, pair: Pair | None = None
) -> tuple[str, ...]:
    """The fronts a sentence belongs to, in FRONT_KEYS order (``lang`` is "en" or "es";
    ``pair`` defaults to the shipped U.S.–Mexico pair)."""
    pair = pair or bundled_pair(DEFAULT_DYAD)
    text = " ".join(normalize(sentence).split())
    found = [key for key, pattern in front_patterns(pair).items() if pattern.search(text)]
    first, second = mention_patterns(pair)
    if plover_type in COOPERATIVE_TYPES and first.search(text) and second.search(text):
        found.append("cooperation")
    return validate_fronts(found)


@functools.cache
def front_patterns(pair: Pair | None = None) -> dict[str, re.Pattern[str]]:
    """One compiled regular expression per front, from the pair's keywords."""
    fronts = (pair or bundled_pair(DEFAULT_DYAD)).fronts
    words = {f.key: [w for _, ws in f.keywords for w in ws] for f in fronts}
    return {key: _compile(words[key]) for key in FRONT_KEYS}


@functools.cache
def mention_patterns(pair: Pair) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One regular expression per country of the pair: its mention words, whole."""
    return (_words(pair.mentions[0]), _words(pair.mentions[1]))


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(words) + r")\b")


def _compile(keywords: list[str]) -> re.Pattern[str]:
    parts = []
    for keyword in sorted(set(keywords), key=len, reverse=True):
        stem = " ".join(normalize(keyword.rstrip("*")).split())
        parts.append(re.escape(stem) + (r"\w*" if keyword.endswith("*") else r"\b"))
    return re.compile(r"\b(?:" + "|".join(parts) + ")")
