"""Text corpora as JSON Lines: one JSON object per line, with date, text and, when known,
title, url (``url`` or ``source_url``) and path.

The reader only parses: it yields each object's fields as a :class:`CorpusLine`, or a
:class:`~dyadwatch.records.Rejected` for a line that is not a JSON object or whose field
has the wrong type. Checking dates and building documents is the ingest's job.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import UnrecognizedFormatError
from dyadwatch.records import Rejected

URL_FIELDS = ("url", "source_url")
SNIFF_LINES = 20


@dataclass(frozen=True, slots=True)
class CorpusLine:
    """The fields of one JSONL object that a document is made of."""

    line_no: int
    raw: str
    date: str | None
    text: str | None
    title: str | None = None
    url: str | None = None
    path: str | None = None


def read_jsonl(path: Path) -> Iterator[CorpusLine | Rejected]:
    """Every non-blank line of ``path`` as a :class:`CorpusLine` or a rejection."""
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            line = line.rstrip("\n")
            if line.strip():
                yield parse_line(line_no, line)


def parse_line(line_no: int, line: str) -> CorpusLine | Rejected:
    """One JSONL line; a syntax error or a field of the wrong type rejects it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejected(line_no, line, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return Rejected(line_no, line, f"a JSON {type(record).__name__}, not an object")
    try:
        url = next((u for u in (_string(record, f) for f in URL_FIELDS) if u), None)
        return CorpusLine(
            line_no,
            line,
            date=_string(record, "date"),
            text=_string(record, "text"),
            title=_string(record, "title"),
            url=url,
            path=_string(record, "path"),
        )
    except ValueError as exc:
        return Rejected(line_no, line, str(exc))


def _string(record: dict[str, object], name: str) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value or None
    raise ValueError(f"field {name!r} must be a string, not {type(value).__name__}")


def first_line(path: Path) -> CorpusLine | None:
    """The first readable object of the file, or None."""
    for item in read_jsonl(path):
        if isinstance(item, CorpusLine):
            return item
        if item.line_no >= SNIFF_LINES:
            break
    return None


def check_jsonl(path: Path, *, shown: Path) -> None:
    """Refuse a file whose first non-blank line is not a JSON object (a CSV, a JSON array)."""
    with path.open(encoding="utf-8") as handle:
        first = next((line for line in handle if line.strip()), "")
    if not first.lstrip().startswith("{"):
        raise UnrecognizedFormatError(
            shown,
            f"not JSON Lines: the first line starts {first.strip()[:40]!r}",
            "Write one JSON object per line with date, text and optionally title and url",
        )
