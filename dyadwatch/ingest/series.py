"""Indicator series files → the ``indicators`` table (series, period, geography, value).

The known layouts (CBP, FRED, SESNSP, GDELT slice counts; see
:mod:`dyadwatch.sources.series` and ``docs/series.md``) are detected from the header, and
the SESNSP national JSON from its keys. Any other file needs a
:class:`SeriesSpec` naming its date and value columns. ``source_system`` of the run is
``series:<layout>``, or ``series:generic:<name>`` for a spec.

**Accounting is per raw line**, for every layout: ``read`` counts the data lines of the
file and ``read == loaded + duplicates + quarantined + filtered``. A line may feed several
indicator values (the USBP file has 25 per month), and in the CBP encounter and
seizure files many lines are summed into one value (see below). So:

- a line is *quarantined* when it cannot be read (wrong field count, bad date or number)
  and then feeds nothing;
- a line is *loaded* when at least one value it feeds was inserted by this run;
- it is a *duplicate* when every value it feeds was in the store already, or (in a
  layout that does not sum) came first from an earlier line of the same file;
- it is *filtered* when it holds no value by design: a month of the SESNSP national JSON
  that is not out yet (``null``); no zero is stored for it.

In the SESNSP national JSON a "line" is one month of one series (``record_no`` of
:class:`dyadwatch.sources.series.NationalCell`).

**Summed layouts.** CBP publishes encounters one line per state × region × demographic ×
citizenship × title, and seizures one line per area × land filter × component. They are
summed into the values analysts use: encounters by state (``US-TX``), by CBP land border
region and for the ``USA``, for all citizenships (``cbp-encounters``) and for Mexican
citizens (``cbp-encounters-mexican``); seizures by area of responsibility and by region.
A quarantined line is missing from its sums: check ``quarantined`` before trusting them.
Summing follows the dedupe rule: a value already in the store is kept, never added to.

Fiscal months (CBP) are stored as the calendar month they fall in: FY2023 OCT is
2022-10-01. Every period is the first day of its month, except generic series, whose
dates are kept as parsed (``2024-03`` is 2024-03-01), and the GDELT slice counts, whose
period is the day of the slices (``gdelt2-events-published``: events GDELT published that
day in the slices listed; ``gdelt2-slices-published``: how many 15-minute slices).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from dateutil import parser as dateparser

from dyadwatch.errors import UnrecognizedFormatError
from dyadwatch.ingest.parse import parse_date, parse_float, parse_timestamp
from dyadwatch.ingest.runner import OnRows, Stager, StageResult, ingest_file, stage_records
from dyadwatch.ingest.tables import INDICATORS, records_to_arrow
from dyadwatch.ontology.countries import country_by_iso3
from dyadwatch.ontology.sources import source_citizens_of, source_country, subdivision_prefix
from dyadwatch.records import Indicator, IngestReport, Rejected
from dyadwatch.settings import Settings
from dyadwatch.sources import series as src
from dyadwatch.sources.files import PreparedInput
from dyadwatch.sources.series import CsvRow, Header, Layout
from dyadwatch.store import Store
from dyadwatch.store.indicators import new_keys

Key = tuple[str, dt.date, str]
Mapped = tuple[Indicator, ...] | Rejected  # an empty tuple: a line with no value (filtered)
Lines = Callable[[Path], Iterable[tuple[int, Mapped]]]
PROGRESS_LINES = 10_000
GENERIC_FIX = "Pass --name, --date-col, --value-col and --unit for a generic series"


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    """A generic series file: which columns hold the date and value, and what they mean."""

    name: str
    date_col: str
    value_col: str
    unit: str
    geography_col: str | None = None
    geography: str = "ALL"
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """How to turn one file's lines into indicator values."""

    system: str
    lines: Lines  # each line (or JSON record) of the file with its values or rejection
    sums: bool = False


def csv_lines(header: Header, to_indicators: Callable[[CsvRow], tuple[Indicator, ...]]) -> Lines:
    """The lines of a delimited file mapped by ``to_indicators`` (which raises ValueError)."""
    return lambda path: map_lines(path, header, to_indicators)


def ingest_series(
    store: Store,
    path: Path | str,
    *,
    settings: Settings,
    spec: SeriesSpec | None = None,
    on_rows: OnRows | None = None,
) -> IngestReport:
    """Ingest one indicator file: a known layout, or a generic one described by ``spec``."""
    path = Path(path)

    def plan(prepared: PreparedInput) -> Plan:
        if spec is None:
            return known_plan(prepared.text_path, shown=path)
        return generic_plan(prepared.text_path, spec, shown=path)

    return ingest_file(
        store,
        path,
        source_system=lambda prep: plan(prep).system,
        stager=lambda prep: _stager(plan(prep), on_rows),
    )


def _stager(plan: Plan, on_rows: OnRows | None) -> Stager:
    def stage(store: Store, prepared: PreparedInput, run_id: str) -> StageResult:
        lines = plan.lines(prepared.text_path)
        return stage_lines(store, run_id, lines, sums=plan.sums, on_rows=on_rows)

    return stage


def map_lines(
    path: Path, header: Header, to_indicators: Callable[[CsvRow], tuple[Indicator, ...]]
) -> Iterator[tuple[int, Mapped]]:
    """Each data line of ``path`` with its indicator values, or its rejection."""
    width = len(header.columns)
    for row in src.read_rows(path, header):
        if not row.complete:
            reason = f"expected {width} fields, found {len(row.values)}"
            yield row.line_no, Rejected(row.line_no, row.raw, reason)
            continue
        try:
            yield row.line_no, to_indicators(row)
        except ValueError as exc:
            yield row.line_no, Rejected(row.line_no, row.raw, str(exc))


# -- staging with per-line accounting --------------------------------------------------


def stage_lines(
    store: Store,
    run_id: str,
    lines: Iterable[tuple[int, Mapped]],
    *,
    sums: bool,
    on_rows: OnRows | None = None,
) -> StageResult:
    """Insert the values of a file's lines, counting each line once (module docstring).

    A file's values are held in memory until its end, to sum them and to know which
    were new; indicator files are small (the largest known one has 42,532 lines).
    """
    pending: dict[Key, tuple[int, Indicator]] = {}
    owned: list[tuple[Key, ...]] = []
    rejected: list[Rejected] = []
    filtered = 0
    for count, (line_no, mapped) in enumerate(lines, start=1):
        if isinstance(mapped, Rejected):
            rejected.append(mapped)
        elif not mapped:
            filtered += 1
        else:
            owned.append(_claim(pending, line_no, mapped, sums=sums))
        if on_rows is not None and count % PROGRESS_LINES == 0:
            on_rows(PROGRESS_LINES)
    new = _new_keys(store, list(pending.values()))
    stage_records(store, run_id, [*pending.values(), *((r.line_no, r) for r in rejected)])
    loaded = sum(1 for keys in owned if any(key in new for key in keys))
    read = len(owned) + len(rejected) + filtered
    if on_rows is not None and read % PROGRESS_LINES:
        on_rows(read % PROGRESS_LINES)
    return StageResult(read, loaded, len(owned) - loaded, len(rejected), filtered)


def _claim(
    pending: dict[Key, tuple[int, Indicator]],
    line_no: int,
    values: tuple[Indicator, ...],
    *,
    sums: bool,
) -> tuple[Key, ...]:
    """Add one line's values to ``pending``; return the keys this line feeds."""
    keys = []
    for value in values:
        key = (value.series, value.period, value.geography)
        earlier = pending.get(key)
        if earlier is None:
            pending[key] = (line_no, value)
        elif sums:
            first, total = earlier
            pending[key] = (first, replace(total, value=total.value + value.value))
        else:
            continue  # a repeated key in a layout that does not sum: the first line wins
        keys.append(key)
    return tuple(keys)


def _new_keys(store: Store, pending: list[tuple[int, Indicator]]) -> set[Key]:
    """The keys of ``pending`` that the store does not hold yet."""
    if not pending:
        return set()
    table = records_to_arrow(INDICATORS, [v for _, v in pending], [n for n, _ in pending])
    return new_keys(store, table)


# -- plans ------------------------------------------------------------------------------


def known_plan(path: Path, *, shown: Path) -> Plan:
    """The plan of a known layout, or :class:`UnrecognizedFormatError` with the fix."""
    if src.is_json(path):
        cells = src.read_sesnsp_national(path, shown=shown)  # checks the keys before a run
        return Plan(f"series:{src.SESNSP_NATIONAL_KEY}", lambda _path: _national(cells))
    layout = src.detect_layout(path)
    if layout is None:
        header = src.read_header(path)
        known = ", ".join(layout.key for layout in src.LAYOUTS)
        raise UnrecognizedFormatError(
            shown,
            f"not a known indicator layout ({known}); its columns are "
            f"{', '.join(header.columns)[:300]}",
            GENERIC_FIX,
        )
    mapper, sums = MAPPERS[layout.key]
    header = src.read_header(path, delimiter=layout.delimiter)
    lines = csv_lines(header, lambda row: mapper(row, layout))
    return Plan(f"series:{layout.key}", lines, sums)


def generic_plan(path: Path, spec: SeriesSpec, *, shown: Path) -> Plan:
    """The plan of a generic file; a named column that is missing fails the whole file."""
    header = src.read_header(path)
    wanted = (spec.date_col, spec.value_col, *([spec.geography_col] if spec.geography_col else []))
    missing = [name for name in wanted if name not in header.columns]
    if missing:
        raise UnrecognizedFormatError(
            shown,
            f"no column {', '.join(map(repr, missing))}; the columns are "
            f"{', '.join(header.columns)[:300]}",
            "Check the column names (case matters)",
        )
    source = spec.source or f"file {shown.name}"
    system = f"series:generic:{src.slug(spec.name)}"
    return Plan(system, csv_lines(header, lambda row: _generic(row, spec, source)))


def _generic(row: CsvRow, spec: SeriesSpec, source: str) -> tuple[Indicator, ...]:
    period = parse_flexible_date(row.get(spec.date_col), spec.date_col)
    value = _number(row, spec.value_col)
    geography = _text(row, spec.geography_col) if spec.geography_col else spec.geography
    return (Indicator(spec.name, period, geography, value, spec.unit, source),)


_FIRST_OF_YEAR = dt.datetime(2000, 1, 1)
_YEAR = re.compile(r"\d{4}")


def parse_flexible_date(text: str, name: str = "date") -> dt.date:
    """YYYY-MM-DD, YYYY-MM, YYYY/MM/DD, 2024-03-01T00:00 ...; a missing day is the 1st.

    Read with python-dateutil, year first; a text without a four-digit year is refused.
    """
    text = text.strip()
    if not _YEAR.search(text):
        raise ValueError(f"{name} {text[:40]!r} is not a date (no four-digit year)")
    try:
        return dateparser.parse(text, default=_FIRST_OF_YEAR, yearfirst=True, ignoretz=True).date()
    except (ValueError, OverflowError):
        raise ValueError(
            f"{name} {text[:40]!r} is not a valid date (e.g. 2024-03-01, 2024-03, 2024/03/01)"
        ) from None


# -- field helpers ----------------------------------------------------------------------


def _text(row: CsvRow, column: str) -> str:
    value = row.get(column).strip()
    if not value:
        raise ValueError(f"{column} is empty")
    return value


def _number(row: CsvRow, column: str) -> float:
    value = parse_float(row.get(column), column)
    if value is None:
        raise ValueError(f"{column} is empty")
    if not math.isfinite(value):
        raise ValueError(f"{column} {row.get(column)[:40]!r} is not a finite number")
    return value


def _int(row: CsvRow, column: str) -> int:
    value = _number(row, column)
    if not value.is_integer():
        raise ValueError(f"{column} {row.get(column)[:40]!r} is not an integer")
    return int(value)


def _value(
    layout: Layout, series: str, period: dt.date, place: str, value: float, unit: str
) -> Indicator:
    return Indicator(series, period, place, value, unit, layout.source)


# -- the known layouts ------------------------------------------------------------------

USBP_TOTAL = "monthly_total"  # the column of the whole country's total (source_country)


def _citizenship(source: str) -> str:
    """The upper-case country name a source writes for the citizens it counts apart."""
    country = country_by_iso3(source_citizens_of(source))
    return country.name.upper() if country else ""


def _usbp(row: CsvRow, layout: Layout) -> tuple[Indicator, ...]:
    month, fiscal, calendar = _int(row, "month"), _int(row, "fy"), _int(row, "cy")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1..12")
    expected = fiscal - 1 if month >= 10 else fiscal
    if calendar != expected:
        raise ValueError(f"cy {calendar} does not match fy {fiscal} month {month} ({expected})")
    period = dt.date(calendar, month, 1)
    return tuple(
        _value(
            layout,
            "usbp-apprehensions",
            period,
            source_country("usbp") if col == USBP_TOTAL else col,
            _number(row, col),
            "persons",
        )
        for col in (*src.USBP_SECTORS, *src.USBP_REGIONS)
    )


_STATE = re.compile(r"[A-Z]{2}")


def _encounters(row: CsvRow, layout: Layout) -> tuple[Indicator, ...]:
    period = src.fiscal_month_start(
        src.fiscal_year(row.get("Fiscal Year")), row.get("Month (abbv)")
    )
    state = _text(row, "State").upper()
    if not _STATE.fullmatch(state):
        raise ValueError(f"State {state[:40]!r} is not a two-letter code")
    country = source_country("cbp")
    places = (subdivision_prefix("cbp") + state, _text(row, "Land Border Region"), country)
    series = ["cbp-encounters"]
    if _text(row, "Citizenship").upper() == _citizenship("cbp"):
        series.append("cbp-encounters-mexican")
    count = _number(row, "Encounter Count")
    return tuple(_value(layout, s, period, p, count, "persons") for s in series for p in places)


def _seizures(row: CsvRow, layout: Layout) -> tuple[Indicator, ...]:
    period = src.fiscal_month_start(src.fiscal_year(row.get("FY")), row.get("Month (abbv)"))
    drug = src.slug(_text(row, "Drug Type"))
    places = (_text(row, "Area of Responsibility"), _text(row, "Region"))
    pounds, events = _number(row, "Sum Qty (lbs)"), _number(row, "Count of Event")
    return tuple(
        _value(layout, series, period, place, value, unit)
        for series, value, unit in (
            (f"cbp-seizures-{drug}", pounds, "lb"),
            (f"cbp-seizure-events-{drug}", events, "seizure events"),
        )
        for place in places
    )


FRED_SERIES = {"IMPMX": "us-imports-from-mexico", "EXPMX": "us-exports-to-mexico"}


def _fred(row: CsvRow, layout: Layout) -> tuple[Indicator, ...]:
    period = parse_date(row.get(layout.date_column(row.header)), "date")
    series_id = layout.required[0]
    if row.get(series_id).strip() == ".":
        raise ValueError(f"{series_id} is missing ('.' in FRED downloads)")
    value = _number(row, series_id)
    place = source_country("fred")
    return (_value(layout, FRED_SERIES[series_id], period, place, value, "USD millions"),)


def _sesnsp(row: CsvRow, layout: Layout) -> tuple[Indicator, ...]:
    day = parse_date(row.get("date_year_month"), "date_year_month")
    code = _int(row, "cve_ent")
    state = src.mx_states().get(code)
    if state is None:
        raise ValueError(f"cve_ent {code} is not a Mexican state code (1..32)")
    name = row.get("nombre_estado")
    if not state.is_called(name):
        raise ValueError(f"cve_ent {code:02d} is {state.name}, not {name[:40]!r}")
    series = f"sesnsp-victims-{src.slug(_text(row, 'subtipo_de_delito'))}"
    value = _number(row, "n_victimas")
    return (_value(layout, series, day.replace(day=1), state.iso_3166_2, value, "victims"),)


_SLICE = re.compile(r"\d{14}")


def _slice_counts(row: CsvRow, layout: Layout) -> tuple[Indicator, ...]:
    """One replayed GDELT 2.0 slice: its events and itself, summed into its day."""
    stamp = row.get("slice_ts").strip()
    if not _SLICE.fullmatch(stamp):
        raise ValueError(f"slice_ts {stamp[:40]!r} is not a 14-digit GDELT timestamp")
    when = parse_timestamp(stamp, "slice_ts")
    if when is None:
        raise ValueError("slice_ts is empty")
    day = when.date()
    rows = _int(row, "rows")
    if rows < 0 or not 0 <= _int(row, "mex_rows") <= rows:
        raise ValueError(f"rows {rows} and mex_rows {row.get('mex_rows')[:20]!r} do not fit")
    events, files = src.GDELT_VOLUME_SERIES["gdelt2"]
    return (
        _value(layout, events, day, "ALL", float(rows), "events"),
        _value(layout, files, day, "ALL", 1.0, "15-minute files"),
    )


def _national(cells: list[src.NationalCell]) -> Iterator[tuple[int, Mapped]]:
    """The SESNSP national JSON's cells: a value each, none for a month not out yet."""
    for cell in cells:
        try:
            value = src.national_value(cell)
        except ValueError as exc:
            raw = f"{cell.series} {cell.month:%Y-%m} {cell.value!r}"
            yield cell.record_no, Rejected(cell.record_no, raw, str(exc))
            continue
        if value is None:
            yield cell.record_no, ()
            continue
        series = f"sesnsp-crimes-{src.slug(cell.series)}"
        indicator = Indicator(
            series,
            cell.month,
            source_country("sesnsp"),
            value,
            "registered crimes",
            src.SESNSP_NATIONAL_SOURCE,
        )
        yield cell.record_no, (indicator,)


Mapper = Callable[[CsvRow, Layout], tuple[Indicator, ...]]
MAPPERS: dict[str, tuple[Mapper, bool]] = {  # layout key → (mapper, sums lines)
    src.CBP_USBP_MONTHLY.key: (_usbp, False),
    src.CBP_ENCOUNTERS_STATE.key: (_encounters, True),
    src.CBP_DRUG_SEIZURES.key: (_seizures, True),
    src.FRED_IMPMX.key: (_fred, False),
    src.FRED_EXPMX.key: (_fred, False),
    src.SESNSP_VICTIMS.key: (_sesnsp, False),
    src.GDELT_SLICE_COUNTS.key: (_slice_counts, True),
}
