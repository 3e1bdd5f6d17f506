"""Explicit dates in a sentence ("on March 4, 2025", "el 4 de marzo de 2025")."""

from __future__ import annotations

import datetime as dt
import re

_EN_MONTHS = "january february march april may june july august september october november december"
_ES_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
)
MONTHS = {name: i + 1 for i, name in enumerate(_EN_MONTHS.split())} | {
    name: i + 1 for i, name in enumerate(_ES_MONTHS.split())
}
_EN = re.compile(r"\b(" + "|".join(_EN_MONTHS.split()) + r")\s+(\d{1,2}),\s+(\d{4})\b", re.I)
_ES = re.compile(
    r"\b(\d{1,2})\s+de\s+(" + "|".join(_ES_MONTHS.split()) + r")\s+de(?:l)?\s+(\d{4})\b", re.I
)


def explicit_date(sentence: str) -> dt.date | None:
    """The first full date written in the sentence, or None."""
    found = _EN.search(sentence)
    if found:
        return _safe(int(found.group(3)), MONTHS[found.group(1).lower()], int(found.group(2)))
    found = _ES.search(sentence)
    if found:
        return _safe(int(found.group(3)), MONTHS[found.group(2).lower()], int(found.group(1)))
    return None


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
