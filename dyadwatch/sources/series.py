"""Indicator series files: the known layouts, detection from the header, and CSV rows.

A layout is recognized by its delimiter and a set of header columns, never by the file
name. The known layouts (keys as in ``series:<key>`` runs), with the real files they
were written against (``shared/data/SOURCES.tsv``; details in ``docs/series.md``):

- ``cbp-usbp-monthly``: ``usbp_monthly_encounters_fy2000-fy2020.csv.gz``, pipe-separated;
- ``cbp-encounters-state``: ``cbp-nationwide-encounters-fy20-fy23-state.csv.gz``,
  ``cbp_encounters_fy22_fy25_state.csv.gz``, ``cbp_encounters_fy23_fy26nov_state.csv.gz``;
- ``cbp-drug-seizures``: ``fentanylfy19fy23.csv``, ``nationwide-drugs-fy*.csv`` and
  ``cbp_drug_seizures_fy23_fy26.csv.gz``;
- ``fred-impmx``, ``fred-expmx``: FRED downloads (``observation_date`` or ``DATE``);
- ``sesnsp-victims``: ``victims_state_month_homicide_kidnap_extortion_2015_2025.csv``;
- ``gdelt-slice-counts``: ``slice_counts.csv``, the events each replayed GDELT 2.0
  15-minute slice held (what GDELT published, beside an extract that kept only some);
- ``sesnsp-national`` (JSON, not CSV; :func:`read_sesnsp_national`):
  ``sesnsp_nacional_mensual_2015_2026.json``, crimes registered per month nationally.

CBP publishes by U.S. federal fiscal year: fiscal year N runs from October of N-1 to
September of N, so :func:`fiscal_month_start` puts OCT, NOV and DEC in the year before.
CBP's newer files write the current year as ``2026 (FYTD)`` (:func:`fiscal_year`).

Where a series changes its definition (SESNSP's new recording instrument in January 2026),
:data:`SERIES_BREAKS` says so, for forecasts and charts to tell their readers.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from dyadwatch.errors import SourceError, UnrecognizedFormatError

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
    "CBP nationwide encounters (cbp.gov)",  # mirrors differ by file: see the ingest run
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
    "CBP drug seizure statistics (cbp.gov)",  # mirrors differ by file: see the ingest run
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
GDELT_SLICE_COUNTS = Layout(
    "gdelt-slice-counts",
    "GDELT 2.0 events per replayed 15-minute export slice",
    ",",
    ("slice_ts", "rows", "mex_rows", "status"),
    "GDELT 2.0 slice counts via amadkins88/shouldiflee-clean",
)
LAYOUTS = (
    CBP_USBP_MONTHLY,
    CBP_ENCOUNTERS_STATE,
    CBP_DRUG_SEIZURES,
    FRED_IMPMX,
    FRED_EXPMX,
    SESNSP_VICTIMS,
    GDELT_SLICE_COUNTS,
)

GDELT_VOLUME_SERIES = {"gdelt2": ("gdelt2-events-published", "gdelt2-slices-published")}
"""Per GDELT system, the daily series of the events and the 15-minute files it published
(from ``gdelt-slice-counts``): what GDELT read on a day, when the store holds an extract."""


@dataclass(frozen=True, slots=True)
class SeriesBreak:
    """A month from which a series measures differently: values before and after it are
    not comparable without care."""

    prefix: str  # every series whose name starts with it
    period: dt.date  # the first month measured the new way
    note: str


SERIES_BREAKS = (
    SeriesBreak(
        "sesnsp-crimes-",
        dt.date(2026, 1, 1),
        "SESNSP changed its recording instrument in January 2026 (CNSP/38/15 to the RNID): "
        "crimes from 2026-01 are recorded differently, and some subtypes (feminicidio, "
        "extorsion) jump there; the total is comparable across the break",
    ),
)


def series_breaks(series: str) -> tuple[SeriesBreak, ...]:
    """The breaks of one stored series (by name), oldest first."""
    return tuple(b for b in SERIES_BREAKS if series.startswith(b.prefix))


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


_FISCAL_YEAR = re.compile(r"(\d{4})(?:\s*\(FYTD\))?")


def fiscal_year(text: str) -> int:
    """A CBP fiscal year: ``2023``, or ``2026 (FYTD)`` as the newer files write the current
    (year-to-date) one."""
    match = _FISCAL_YEAR.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"fiscal year {text[:40]!r} is not a year (2023 or 2026 (FYTD))")
    return int(match.group(1))


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


# -- the SESNSP national JSON -----------------------------------------------------------

SESNSP_NATIONAL_KEY = "sesnsp-national"
SESNSP_NATIONAL_SOURCE = (
    "SESNSP incidencia delictiva, national, harmonised (CNSP/38/15 to 2025-12, RNID from "
    "2026-01: a break) via AISENSITIVITYSOLUTIONS/delitos_sesnsp"
)
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True, slots=True)
class NationalCell:
    """One month of one series of the SESNSP national JSON; ``value`` None: not yet out."""

    record_no: int  # 1-based, series by series in file order, ``total`` last
    series: str  # the file's key (a slug), ``total`` for all crimes
    month: dt.date
    value: object  # as in the file: a number, or None


def is_json(path: Path) -> bool:
    """Whether a text file starts (after blanks) with a JSON object."""
    with path.open(encoding="utf-8") as handle:
        head = handle.read(64).lstrip()
    return head.startswith("{")


def read_sesnsp_national(path: Path, *, shown: Path | None = None) -> list[NationalCell]:
    """Every (series, month) cell of ``nacional_mensual_homologado.json``.

    The file holds ``meses`` (``YYYY-MM``), ``series`` (subtype slug → one value per month)
    and ``total``; ``meta.unidad`` says the unit (crimes registered, not victims). A missing
    key or a series of the wrong length fails the whole file, naming the key.
    """
    shown = shown or path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UnrecognizedFormatError(shown, f"not valid JSON ({exc})", "Check the file") from None
    months = _months(_key(data, "meses", list, shown), shown)
    series: dict[str, object] = dict(_key(data, "series", dict, shown))  # type: ignore[call-overload]
    series["total"] = _key(data, "total", list, shown)
    if "delitos" not in str(_key(_key(data, "meta", dict, shown), "unidad", str, shown)):
        raise UnrecognizedFormatError(
            shown,
            "meta.unidad does not count delitos (crimes)",
            "Check that it is the national series of registered crimes, not victims",
        )
    cells: list[NationalCell] = []
    for name, values in series.items():
        if not isinstance(values, list) or len(values) != len(months):
            raise UnrecognizedFormatError(
                shown,
                f"series {name!r} has {len(values) if isinstance(values, list) else 'no'} "
                f"values for {len(months)} months",
                "Check the file: every series needs one value (or null) per month in 'meses'",
            )
        for month, value in zip(months, values, strict=True):
            cells.append(NationalCell(len(cells) + 1, name, month, value))
    return cells


def national_value(cell: NationalCell) -> float | None:
    """The cell's count, None when the month is not out yet (null); ValueError when not a
    finite number."""
    if cell.value is None:
        return None
    if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
        raise ValueError(f"{cell.series} {cell.month:%Y-%m}: {cell.value!r} is not a number")
    if not math.isfinite(cell.value):
        raise ValueError(f"{cell.series} {cell.month:%Y-%m}: {cell.value!r} is not finite")
    return float(cell.value)


def _key(data: object, key: str, kind: type, shown: Path) -> object:
    if not isinstance(data, dict) or not isinstance(data.get(key), kind):
        found = ", ".join(map(str, data)) if isinstance(data, dict) else type(data).__name__
        raise UnrecognizedFormatError(
            shown,
            f"no {kind.__name__} {key!r} in the SESNSP national JSON (found: {found[:200]})",
            "The source changed its format: check nacional_mensual_homologado.json",
        )
    return data[key]


def _months(values: object, shown: Path) -> list[dt.date]:
    months = []
    for text in values:  # type: ignore[attr-defined]
        if not isinstance(text, str) or not _MONTH.fullmatch(text):
            raise UnrecognizedFormatError(
                shown, f"meses holds {str(text)[:20]!r}, not YYYY-MM", "Check the file"
            )
        months.append(dt.date(int(text[:4]), int(text[5:]), 1))
    return months
