"""Row helpers that the ACLED, ICEWS and UCDP readers share.

They map one :class:`~dyadwatch.sources.delimited.RawRecord` to an Event or a Rejected
(:func:`map_record`), make the stable event id (md5 of "system:record id", the scheme
GDELT rows use) and read the common fields: text, counts, coordinates, countries. A bad
value raises a ValueError naming the column, which :func:`map_record` turns into the
Rejected's reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.ingest.parse import parse_float
from dyadwatch.ingest.runner import OnRows, ingest_records
from dyadwatch.ontology import country_by_name, quad_class_for_plover
from dyadwatch.records import Event, IngestReport, Rejected
from dyadwatch.settings import Settings
from dyadwatch.sources.delimited import RawRecord, TextFormat, read_records
from dyadwatch.store import Store


@dataclass(frozen=True, slots=True)
class Actor:
    """One side of an event: name, ISO3 country and sector code, each possibly None."""

    name: str | None
    country: str | None
    sector: str | None


NO_ACTOR = Actor(None, None, None)


def map_record(
    record: RawRecord,
    columns: tuple[str, ...],
    *,
    max_field: int,
    build: Callable[[dict[str, str]], Event],
) -> Event | Rejected:
    """Build an Event from a raw record, or a Rejected naming the column and value."""
    problem = record.error or _shape_problem(record.values, columns, max_field)
    if problem is not None:
        return Rejected(record.line_no, record.raw, problem)
    try:
        return build(dict(zip(columns, record.values, strict=True)))
    except ValueError as exc:
        return Rejected(record.line_no, record.raw, str(exc))


def _shape_problem(values: tuple[str, ...], columns: tuple[str, ...], max_field: int) -> str | None:
    if len(values) != len(columns):
        return f"expected {len(columns)} fields as in the header, found {len(values)}"
    for name, value in zip(columns, values, strict=True):
        if len(value) > max_field // 4 and len(value.encode()) > max_field:
            return f"field {name!r} is longer than {max_field} bytes (setting max_field_bytes)"
    return None


def event_id_for(source_system: str, record_id: str) -> str:
    """The stable event id: md5 of "system:record id", the scheme GDELT rows use."""
    return hashlib.md5(f"{source_system}:{record_id}".encode()).hexdigest()


def text_or_none(text: str, missing: tuple[str, ...] = ("",)) -> str | None:
    """The stripped text, or None when empty or one of the ``missing`` markers."""
    text = text.strip()
    return None if text in missing else text


def required_text(text: str, name: str) -> str:
    """The stripped text; an empty field raises a ValueError naming the column."""
    text = text.strip()
    if not text:
        raise ValueError(f"{name} is empty")
    return text


def non_negative(value: int | None, name: str) -> int | None:
    """The value unless it is negative, which raises a ValueError naming the column."""
    if value is not None and value < 0:
        raise ValueError(f"{name} {value} is negative")
    return value


def coordinates(lat_text: str, lon_text: str) -> tuple[float | None, float | None]:
    """Latitude and longitude in degrees; non-numeric or out-of-range values raise."""
    latitude = parse_float(lat_text, "latitude")
    longitude = parse_float(lon_text, "longitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise ValueError(f"latitude {lat_text.strip()[:40]!r} is outside -90..90")
    if longitude is not None and not -180 <= longitude <= 180:
        raise ValueError(f"longitude {lon_text.strip()[:40]!r} is outside -180..180")
    return latitude, longitude


def country_iso3(name: str, aliases: Mapping[str, str]) -> str | None:
    """ISO3 of a country name: an alias first, then the ontology's name index."""
    name = name.strip()
    if name in aliases:
        return aliases[name]
    country = country_by_name(name) if name else None
    return country.iso3 if country else None


def quad_class_of(plover_type: str | None) -> int | None:
    """PLOVER's quad class, or None without a type."""
    return quad_class_for_plover(plover_type) if plover_type else None


@dataclass(frozen=True, slots=True)
class DelimitedSource:
    """A delimited event file with a header (ACLED, ICEWS, UCDP): how to read and map it."""

    system: str
    fmt: TextFormat
    columns: Callable[[Path], tuple[str, ...]]
    check: Callable[[Path], None]
    build: Callable[[dict[str, str]], Event]


def ingest_delimited(
    store: Store,
    path: Path | str,
    source: DelimitedSource,
    *,
    settings: Settings,
    on_rows: OnRows | None = None,
) -> IngestReport:
    """Ingest one file of ``source`` (plain, .zip or .gz)."""
    return ingest_records(
        store,
        path,
        source_system=source.system,
        read=lambda text: read_delimited(text, source, max_field=settings.max_field_bytes),
        check=source.check,
        on_rows=on_rows,
    )


def read_delimited(
    path: Path, source: DelimitedSource, *, max_field: int
) -> Iterator[tuple[int, Event | Rejected]]:
    """Each record of a clean file as (its first line, Event or Rejected)."""
    columns = source.columns(path)
    for record in read_records(path, source.fmt):
        yield record.line_no, map_record(record, columns, max_field=max_field, build=source.build)
