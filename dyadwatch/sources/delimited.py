"""The delimited-text reader that the ACLED, ICEWS and UCDP readers share.

A :class:`TextFormat` says how a format is written (delimiter, quoting). Fields may hold
delimiters, quotes and newlines inside quoted fields, so records are read with the
:mod:`csv` module, never split by line. Every record keeps:

* ``line_no``: the file line where the record **starts** (the header is line 1). A
  record whose quoted field spans several lines is numbered by its first line;
* ``raw``: the record's text exactly as in the file, without its final newline, for
  the quarantine.

Blank lines are skipped and not counted. The input is the clean UTF-8, LF-only text
that :func:`dyadwatch.sources.files.prepare_input` produces.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from dyadwatch.errors import UnrecognizedFormatError

if TYPE_CHECKING:
    from _csv import Reader


@dataclass(frozen=True, slots=True)
class TextFormat:
    """How a delimited format is written: its name, delimiter and quoting."""

    name: str
    delimiter: str = ","
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_MINIMAL
    fix: str = "Check that the file is the right format and has its header row"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record of a delimited file, before mapping. ``error`` is set when csv failed."""

    line_no: int
    raw: str
    values: tuple[str, ...]
    error: str | None = None


def read_columns(path: Path, fmt: TextFormat) -> tuple[str, ...]:
    """The header row's column names, blanks stripped; empty when the file has no line."""
    with path.open(encoding="utf-8", newline="") as handle:
        first = next(_reader(handle, fmt), [])
    return tuple(name.strip() for name in first)


def require_columns(path: Path, fmt: TextFormat, required: Iterable[str]) -> tuple[str, ...]:
    """The header's columns; raise UnrecognizedFormatError naming the missing ones."""
    columns = read_columns(path, fmt)
    missing = [name for name in required if name not in columns]
    if missing:
        shown = ", ".join(missing[:8]) + (", ..." if len(missing) > 8 else "")
        problem = f"not an {fmt.name} file: the header lacks {len(missing)} column(s): {shown}"
        raise UnrecognizedFormatError(path, problem, fmt.fix)
    return columns


def read_records(path: Path, fmt: TextFormat) -> Iterator[RawRecord]:
    """Every record after the header, with its starting line and raw text."""
    with path.open(encoding="utf-8", newline="") as handle:
        consumed: list[str] = []
        reader = _reader(_recording(handle, consumed), fmt)
        next(reader, None)  # the header
        while True:
            start = reader.line_num + 1
            consumed.clear()
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield RawRecord(start, _raw(consumed), (), f"unreadable CSV record ({exc})")
                continue
            if values:
                yield RawRecord(start, _raw(consumed), tuple(values))


def _reader(lines: Iterable[str], fmt: TextFormat) -> Reader:
    return csv.reader(lines, delimiter=fmt.delimiter, quoting=fmt.quoting)


def _recording(handle: TextIO, consumed: list[str]) -> Iterator[str]:
    """Feed the csv reader line by line, keeping the lines of the current record."""
    for line in handle:
        consumed.append(line)
        yield line


def _raw(lines: list[str]) -> str:
    text = "".join(lines)
    return text[:-1] if text.endswith("\n") else text
