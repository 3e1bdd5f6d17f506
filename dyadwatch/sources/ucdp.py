"""UCDP Georeferenced Event Dataset (GED) CSV files, plain or gzipped.

Records are read with :func:`dyadwatch.sources.delimited.read_records` (line of the
record's start, raw text); GED's ``source_article`` field often spans several lines.
"""

from __future__ import annotations

from pathlib import Path

from dyadwatch.sources.delimited import TextFormat, require_columns

UCDP = TextFormat(
    name="UCDP GED",
    fix="Use a UCDP GED CSV export (ged*.csv or .csv.gz) with its header row",
)

UCDP_COLUMNS: tuple[str, ...] = (
    "id",
    "type_of_violence",
    "side_a",
    "side_b",
    "number_of_sources",
    "source_headline",
    "where_description",
    "adm_1",
    "latitude",
    "longitude",
    "country",
    "date_start",
    "date_end",
    "best",
    "gwnoa",
    "gwnob",
)
"""The columns the UCDP reader needs; the other GED columns are ignored."""


def ucdp_columns(path: Path) -> tuple[str, ...]:
    """The header's columns; raise UnrecognizedFormatError if this is not a UCDP GED file."""
    return require_columns(path, UCDP, UCDP_COLUMNS)


def check_ucdp(path: Path) -> None:
    """Raise UnrecognizedFormatError, naming the missing columns, if this is not a UCDP GED file."""
    ucdp_columns(path)
