"""The coder's file contract: JSON lines in (``{"id", "text", "date"?, "lang"?, "country"?}``),
events out. ``country`` is the ISO 3166 alpha-3 code of the government that published the
text (``"USA"`` for the White House); it resolves "we", "our", "the President".

A bad input line is reported with its line number and skipped; every other line is coded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.coding.protocol import Coder
from dyadwatch.coding.types import CodedActor, CodedEvent, TextInput
from dyadwatch.errors import SourceError

_ISO3 = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class BadLine:
    line_no: int
    reason: str


@dataclass(frozen=True, slots=True)
class CodeFileReport:
    lines: int
    coded: int
    events: int
    bad: tuple[BadLine, ...]


def read_inputs(path: Path) -> Iterator[tuple[int, TextInput | BadLine]]:
    """Each non-blank line as a TextInput, or a BadLine saying what is wrong with it."""
    if not path.is_file():
        raise SourceError(path, "no such file", "Check the --input path")
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line_no, line in enumerate(handle, start=1):
            if line.strip():
                yield line_no, parse_input(line_no, line)


def parse_input(line_no: int, line: str) -> TextInput | BadLine:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadLine(line_no, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return BadLine(line_no, "expected a JSON object with 'id' and 'text'")
    text, ident = record.get("text"), record.get("id")
    if not isinstance(text, str) or ident is None:
        return BadLine(line_no, "'id' and a string 'text' are required")
    lang = record.get("lang")
    if lang not in (None, "en", "es"):
        return BadLine(line_no, f"'lang' must be 'en' or 'es', got {lang!r}")
    try:
        date = dt.date.fromisoformat(record["date"]) if record.get("date") else None
    except (TypeError, ValueError):
        return BadLine(line_no, f"'date' {record.get('date')!r} is not YYYY-MM-DD")
    country = record.get("country")
    if country is not None and not (isinstance(country, str) and _ISO3.fullmatch(country)):
        return BadLine(line_no, f"'country' must be an ISO 3166 alpha-3 code, got {country!r}")
    return TextInput(id=str(ident), text=text, date=date, lang=lang, country=country)


def event_to_json(event: CodedEvent) -> dict[str, object]:
    """One output line of the contract."""
    location = event.location
    return {
        "doc_id": event.doc_id,
        "event_type": event.event_type,
        "mode": event.mode,
        "quad_class": event.quad_class,
        "source": _actor(event.source),
        "target": _actor(event.target) if event.target else None,
        "fronts": list(event.fronts),
        "location": None
        if location is None
        else {
            "name": location.name,
            "country": location.country,
            "admin1": location.admin1,
            "lat": location.lat,
            "lon": location.lon,
        },
        "date": event.date.isoformat() if event.date else None,
        "confidence": event.confidence,
        "factuality": event.factuality,
        "evidence": event.evidence,
    }


def _actor(actor: CodedActor) -> dict[str, object]:
    return {
        "text": actor.text,
        "code": actor.code,
        "country": actor.country,
        "sector": actor.sector,
    }


def code_file(
    coder: Coder,
    source: Path,
    dest: Path,
    *,
    on_line: Callable[[int, TextInput | BadLine], None] | None = None,
) -> CodeFileReport:
    """Code every line of ``source`` into ``dest``; bad lines are collected, not fatal."""
    lines = coded = events = 0
    bad: list[BadLine] = []
    with dest.open("w", encoding="utf-8") as out:
        for line_no, item in read_inputs(source):
            lines += 1
            if isinstance(item, BadLine):
                bad.append(item)
            else:
                found = coder.code(item)
                coded += 1
                events += len(found)
                out.writelines(
                    json.dumps(event_to_json(e), ensure_ascii=False) + "\n" for e in found
                )
            if on_line is not None:
                on_line(line_no, item)
    return CodeFileReport(lines, coded, events, tuple(bad))
