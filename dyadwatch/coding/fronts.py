"""Fronts of a sentence: bilingual keyword lists, plus one rule on cooperative acts.

Keywords live in ``dyadwatch/data/fronts_keywords.toml`` (one table per front, ``en`` and
``es`` lists). Text is normalized as in :mod:`dyadwatch.coding.triggers` (lower case, no
accents, punctuation as blanks), and a keyword matches at a word start; ``*`` at its end
lets the word continue. Both languages' lists are tried for every sentence.

Rule: a cooperative PLOVER type (AGREE, CONSULT, SUPPORT, COOPERATE, AID) in a sentence
that names both countries of the dyad (the United States and Mexico, in either language)
adds ``cooperation``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib.resources import files

from dyadwatch.coding.trigger_lexicon import normalize
from dyadwatch.ontology import FRONT_KEYS, validate_fronts

COOPERATIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID"})
_US = re.compile(
    r"\b(united states|u s|usa|washington|estados unidos|eu|eua|eeuu|trump|"
    r"biden|white house|casa blanca|american|estadounidense)\b"
)
_MX = re.compile(
    r"\b(mexico|mexican|mexicano|mexicana|mexicanos|sheinbaum|lopez obrador|"
    r"amlo|palacio nacional)\b"
)


def fronts_for(sentence: str, *, lang: str, plover_type: str | None) -> tuple[str, ...]:
    """The fronts a sentence belongs to, in FRONT_KEYS order (``lang`` is "en" or "es")."""
    text = " ".join(normalize(sentence).split())
    found = [key for key, pattern in front_patterns().items() if pattern.search(text)]
    if plover_type in COOPERATIVE_TYPES and _US.search(text) and _MX.search(text):
        found.append("cooperation")
    return validate_fronts(found)


@functools.cache
def front_patterns() -> dict[str, re.Pattern[str]]:
    """One compiled regular expression per front, from the bundled keyword file."""
    path = files("dyadwatch") / "data" / "fronts_keywords.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    validate_fronts(data)
    return {key: _compile([*data[key]["en"], *data[key]["es"]]) for key in FRONT_KEYS}


def _compile(keywords: list[str]) -> re.Pattern[str]:
    parts = []
    for keyword in sorted(set(keywords), key=len, reverse=True):
        stem = " ".join(normalize(keyword.rstrip("*")).split())
        parts.append(re.escape(stem) + (r"\w*" if keyword.endswith("*") else r"\b"))
    return re.compile(r"\b(?:" + "|".join(parts) + ")")
