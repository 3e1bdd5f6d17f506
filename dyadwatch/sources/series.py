"""Indicator series files: the known layouts, detection from the header, and CSV rows.

A layout is recognized by its delimiter and a set of header columns, never by the file
name. The known layouts (keys as in ``series:<key>`` runs), with the real files they
were written against (``shared/data/SOURCES.tsv``; details in ``docs/series.md``):

- ``cbp-usbp-monthly``: ``usbp_monthly_encounters_fy2000-fy2020.csv.gz``, pipe-separated;
- ``cbp-encounters-state``: ``cbp-nationwide-encounters-fy20-fy23-state.csv.gz``;
- ``cbp-drug-seizures``: ``fentanylfy19fy23.csv`` and ``nationwide-drugs-fy*.csv``;
- ``fred-impmx``, ``fred-expmx``: FRED downloads (``observation_date`` or ``DATE``);
- ``sesnsp-victims``: ``victims_state_month_homicide_kidnap_extortion_2015_2025.csv``.

CBP publishes by U.S. federal fiscal year: fiscal year N runs from October of N-1 to
September of N, so :func:`fiscal_month_start` puts OCT, NOV and DEC in the year before.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from dyadwatch.errors import SourceError

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DELIMITERS = (",", "\t", "|", ";")
MX_STATES_FILE = "mx_states.csv"


@dataclass(frozen=True, slots=True)
class Header:
    """The column names of a delimited file and its delimiter."""

    columns: tuple[str, ...]
    delimiter: str

    def position(self, name: str) -> int:
        """0-based position of column ``name``; ValueError when absent."""
        return self.columns.index(name)


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data line of a delimited file, as text, with its 1-based line number."""

    line_no: int
    values: tuple[str, ...]
    header: Header

    def get(self, name: str) -> str:
        """The text of column ``name``."""
        return self.values[self.header.position(name)]

    @property
    def complete(self) -> bool:
        """True when the line has one field per header column."""
        return len(self.values) == len(self.header.columns)

    @property
    def raw(self) -> str:
        """The line written back in its own delimiter (for quarantine)."""
        out = io.StringIO()
        csv.writer(out, delimiter=self.header.delimiter, lineterminator="").writerow(self.values)
        return out.getvalue()


@dataclass(frozen=True, slots=True)
class Layout:
    """A known indicator file: how to recognize it and where its data come from."""

    key: str
    title: str
    delimiter: str
    required: tuple[str, ...]
    source: str
    date_columns: tuple[str, ...] = ()  # the header must hold one of these when given

    def matches(self, header: Header) -> bool:
        if header.delimiter != self.delimiter or not set(self.required) <= set(header.columns):
            return False
        return not self.date_columns or any(c in header.columns for c in self.date_columns)

    def date_column(self, header: Header) -> str:
        """Which of ``date_columns`` this file uses."""
        return next(c for c in self.date_columns if c in header.columns)


_UWCHR = "CBP via UWCHR/cbp"
_FRED_DATES = ("observation_date", "DATE")
USBP_SECTORS = (
    "livermore",
    "miami",
    "new_orleans",
    "ramey",
    "blaine",
    "buffalo",
    "detroit",
    "grand_forks",
    "havre",
    "houlton",
    "spokane",
    "swanton",
    "big_bend",
    "del_rio",
    "el_centro",
    "el_paso",
    "laredo",
    "rio_grande_valley",
    "san_diego",
    "tucson",
    "yuma",
)
USBP_REGIONS = ("coastal_border", "northern_border", "southwest_border", "monthly_total")

CBP_USBP_MONTHLY = Layout(
    "cbp-usbp-monthly",
    "CBP Border Patrol monthly apprehensions by sector, FY2000-FY2020",
    "|",
    ("month", *USBP_SECTORS, *USBP_REGIONS, "fy", "cy"),
    _UWCHR,
)
CBP_ENCOUNTERS_STATE = Layout(
    "cbp-encounters-state",
    "CBP nationwide encounters by state and citizenship",
    ",",
    (
        "Fiscal Year",
        "Month (abbv)",
        "Land Border Region",
        "State",
        "Citizenship",
        "Encounter Count",
    ),
    _UWCHR,
)
CBP_DRUG_SEIZURES = Layout(
    "cbp-drug-seizures",
    "CBP drug seizures by month and area of responsibility",
    ",",
    (
        "FY",
        "Month (abbv)",
        "Region",
        "Area of Responsibility",
        "Drug Type",
        "Count of Event",
        "Sum Qty (lbs)",
    ),
    "CBP via Howard-Xuan/fentanyl_traffick",
)
FRED_IMPMX = Layout(
    "fred-impmx",
    "FRED IMPMX: U.S. imports of goods from Mexico",
    ",",
    ("IMPMX",),
    "FRED IMPMX (U.S. Census Bureau)",
    _FRED_DATES,
)
FRED_EXPMX = Layout(
    "fred-expmx",
    "FRED EXPMX: U.S. exports of goods to Mexico",
    ",",
    ("EXPMX",),
    "FRED EXPMX (U.S. Census Bureau)",
    _FRED_DATES,
)
SESNSP_VICTIMS = Layout(
    "sesnsp-victims",
    "SESNSP victims by state, month and crime subtype",
    ",",
    ("date_year_month", "cve_ent", "nombre_estado", "subtipo_de_delito", "n_victimas"),
    "SESNSP via isaacarroyov/datos_facil_acceso",
)
LAYOUTS = (
    CBP_USBP_MONTHLY,
    CBP_ENCOUNTERS_STATE,
    CBP_DRUG_SEIZURES,
    FRED_IMPMX,
    FRED_EXPMX,
    SESNSP_VICTIMS,
)


def read_header(path: Path, *, delimiter: str | None = None) -> Header:
    """The first line of ``path`` as a header; the delimiter is guessed when not given."""
    with path.open(encoding="utf-8", newline="") as handle:
        first = handle.readline().rstrip("\n")
    if not first.strip():
        raise SourceError(path, "the first line is empty, not a header", "Add a header line")
    delimiter = delimiter or guess_delimiter(first)
    columns = next(csv.reader([first], delimiter=delimiter))
    return Header(tuple(c.strip() for c in columns), delimiter)


def guess_delimiter(line: str) -> str:
    """The most frequent of comma, tab, pipe and semicolon in a header line."""
    return max(DELIMITERS, key=line.count)


def detect_layout(path: Path) -> Layout | None:
    """The known layout whose delimiter and columns match the file's header, if any."""
    for delimiter in dict.fromkeys(layout.delimiter for layout in LAYOUTS):
        header = read_header(path, delimiter=delimiter)
        for layout in LAYOUTS:
            if layout.matches(header):
                return layout
    return None


def read_rows(path: Path, header: Header) -> Iterator[CsvRow]:
    """The data lines after the header; blank lines are skipped."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter=header.delimiter)
        next(reader, None)
        for values in reader:
            if values and any(v.strip() for v in values):
                yield CsvRow(reader.line_num, tuple(values), header)


def fiscal_month_start(fiscal_year: int, month: str) -> dt.date:
    """First day of a U.S. federal fiscal month: (2023, 'OCT') is 2022-10-01."""
    name = month.strip().upper()[:3]
    if name not in MONTHS:
        raise ValueError(f"month {month[:20]!r} is not a month abbreviation (JAN..DEC)")
    number = MONTHS.index(name) + 1
    return dt.date(fiscal_year - 1 if number >= 10 else fiscal_year, number, 1)


def slug(text: str) -> str:
    """A lower-case ASCII slug: 'Homicidio doloso' → 'homicidio-doloso'."""
    words = "".join(c if c.isalnum() else " " for c in fold(text)).split()
    return "-".join(words)


def fold(text: str) -> str:
    """Lower case, accents removed, blanks collapsed: for matching names."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


@dataclass(frozen=True, slots=True)
class MxState:
    """A Mexican state: INEGI code and names, ISO 3166-2 code, other names in use."""

    cve_ent: int
    name: str
    iso_3166_2: str
    short_name: str
    inegi_abbr: str
    variants: tuple[str, ...]

    def is_called(self, name: str) -> bool:
        """True when ``name`` is one of this state's names (accents and case ignored)."""
        names = (self.name, self.short_name, *self.variants)
        return fold(name) in {fold(n) for n in names}


@functools.cache
def mx_states() -> dict[int, MxState]:
    """The 32 Mexican states by INEGI ``cve_ent``, from the bundled ``mx_states.csv``."""
    text = (files("dyadwatch") / "data" / MX_STATES_FILE).read_text(encoding="utf-8")
    states = {}
    for row in csv.DictReader(io.StringIO(text)):
        variants = tuple(v for v in row["variants"].split("|") if v)
        state = MxState(
            int(row["cve_ent"]),
            row["name"],
            row["iso_3166_2"],
            row["short_name"],
            row["inegi_abbr"],
            variants,
        )
        states[state.cve_ent] = state
    return states
