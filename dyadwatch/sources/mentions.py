"""Counting the mentions of a country (or a topic) in a text: the document sources' relevance.

A text from one government is kept when it concerns the other country of the dyad. Which
words mention a country is a setting (``DYADWATCH_COUNTRY_TERMS``, per ISO3 code), and so are
phrases that contain such a word but mean something else (``DYADWATCH_COUNTRY_TERMS_EXCLUDED``:
"New Mexico" is a U.S. state).

Counting is by substring: ``Mexican`` also counts ``Mexicans``, and ``Estados Unidos`` also
counts the ``Estados Unidos Mexicanos`` of the Mexican constitution. This is the definition
the bundled corpora were selected with: on the 475 real 2024–2026 mañaneras it reproduces
``us_mentions_top120def`` exactly (tested). A space in a term matches any run of blanks, so a
term wrapped across lines still counts. An occurrence inside an excluded phrase does not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from dyadwatch.errors import ConfigError
from dyadwatch.settings import Settings


def count_mentions(
    text: str,
    terms: Iterable[str],
    *,
    excluded: Iterable[str] = (),
    ignore_case: bool = False,
) -> int:
    """How many times any of ``terms`` occurs in ``text``, outside the ``excluded`` phrases."""
    pattern = _pattern(terms, ignore_case)
    if pattern is None:
        return 0
    skip = _pattern(excluded, ignore_case)
    spans = [m.span() for m in skip.finditer(text)] if skip is not None else []
    return sum(1 for m in pattern.finditer(text) if not _inside(m.start(), spans))


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _pattern(terms: Iterable[str], ignore_case: bool) -> re.Pattern[str] | None:
    unique = tuple(sorted({t.strip() for t in terms if t.strip()}, key=lambda t: (-len(t), t)))
    return _compiled(unique, ignore_case) if unique else None


@functools.lru_cache(maxsize=64)
def _compiled(terms: tuple[str, ...], ignore_case: bool) -> re.Pattern[str]:
    """One alternation of the terms, longest first; a space matches any run of blanks."""
    alternatives = "|".join(re.escape(term).replace(r"\ ", r"\s+") for term in terms)
    return re.compile(alternatives, re.IGNORECASE if ignore_case else 0)


def other_country(settings: Settings, source: str) -> str:
    """The dyad's country that the document ``source`` does not speak for: the one its
    texts must mention to be kept."""
    own = settings.publishers.get(source)
    first, second = settings.dyad_countries
    if own not in (first, second):
        raise ConfigError(
            f"the document source {source!r} speaks for {own!r}, which is not in the dyad "
            f"{settings.dyad}. Set DYADWATCH_PUBLISHERS so that {source} maps to one of its "
            "two countries."
        )
    return second if own == first else first
