"""ICEWS event files (``events.YYYY.*.tab``): tab-separated with a header, no quoting.

ICEWS writes ``NA`` for a missing value. Records are read with
:func:`dyadwatch.sources.delimited.read_records` (line of the record's start, raw text).
"""

from __future__ import annotations

import csv
from pathlib import Path

from dyadwatch.sources.delimited import TextFormat, require_columns

ICEWS = TextFormat(
    name="ICEWS",
    delimiter="\t",
    quoting=csv.QUOTE_NONE,
    fix="Use an ICEWS events .tab file from Dataverse, with its header row",
)

ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
    "City",
    "District",
    "Province",
    "Country",
    "Latitude",
    "Longitude",
)
"""The columns the ICEWS reader needs; others (Event Text, Story ID...) are ignored."""

MISSING = "NA"


def icews_columns(path: Path) -> tuple[str, ...]:
    """The header's columns; raise UnrecognizedFormatError if this is not an ICEWS file."""
    return require_columns(path, ICEWS, ICEWS_COLUMNS)


def check_icews(path: Path) -> None:
    """Raise UnrecognizedFormatError, naming the missing columns, if this is not an ICEWS file."""
    icews_columns(path)
