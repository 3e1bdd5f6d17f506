"""ACLED CSV exports: the format, the columns the reader needs, and the header check.

ACLED's ``notes`` hold commas, quotes and newlines inside quoted fields; records are read
with :func:`dyadwatch.sources.delimited.read_records` (line of the record's start, raw text).
"""

from __future__ import annotations

from pathlib import Path

from dyadwatch.sources.delimited import TextFormat, require_columns

ACLED = TextFormat(
    name="ACLED",
    fix="Export the events from ACLED as CSV with all columns (the 31-column layout)",
)

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
)
"""The columns the ACLED reader needs; other columns may be present in any order."""


def acled_columns(path: Path) -> tuple[str, ...]:
    """The header's columns; raise UnrecognizedFormatError if this is not an ACLED export."""
    return require_columns(path, ACLED, ACLED_COLUMNS)


def check_acled(path: Path) -> None:
    """Raise UnrecognizedFormatError, naming the missing columns, if this is not an ACLED export."""
    acled_columns(path)
