"""ACLED exports → canonical events.

Mapping of one ACLED row (the tables are explained in ``docs/acled_plover.md``):

* ``event_id`` = md5("acled:" + ``event_id_cnty``), as for GDELT; ``event_date`` from
  ``event_date`` (``2022-02-23``, or the older ``23 February 2022``); ``date_added`` from the
  Unix ``timestamp`` (UTC, naive) when present.
* ``plover_type``/``plover_mode`` from ``event_type``/``sub_event_type`` through the
  bundled ``data/acled_plover.csv``. A pair the table does not list (a new or older ACLED
  category) is **kept** with ``plover_type`` None and ``quad_class`` None; it never
  fails the row. ``quad_class`` follows PLOVER. ``goldstein`` is None: ACLED has none.
* ``actor1``/``actor2`` → source/target name. The country is the one the name states:
  a trailing "(Country)" ("Rioters (Uganda)") or "Military Forces|Police Forces|Government
  of X (...)" ("Military Forces of Russia (2000-)" → RUS, also outside Russia). Otherwise None.
* The sector is read from the name first ("Military Forces of" → MIL, "Police Forces of"
  → COP, "Government of" → GOV, "Unidentified Armed Group" → UAF, "Private Security
  Forces" → BUS), then from the ``inter`` code: 1 state forces → GOV, 2 rebels → REB,
  3 political militias → PRM (CRM when the name says cartel, gang or mafia), 4 identity
  militias → PRM, 5 rioters, 6 protesters and 7 civilians → CVL, 8 external/other → IGO.
* ``place_name`` = ``location``, ``admin1`` = ``admin1`` (ACLED gives a name, not a code),
  ``place_country`` = ISO3 of ``country`` by name, with aliases. The bundled ontology
  has no ISO-numeric table, so ``iso`` is not used.
* ``fatalities``; ``evidence`` = ``notes``; ``n_sources`` = how many names ``source`` lists
  (separated by ";"). ACLED gives no URL: ``url`` and ``coder`` are None.

Rows are quarantined, with the column and value in the reason, for the wrong number of
fields, an impossible date, a non-numeric or negative fatality count, a non-numeric or
out-of-range coordinate, a non-integer ``inter`` code or a field longer than
``max_field_bytes``. Line numbers are those of each record's **first** line.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from dyadwatch.errors import OntologyError
from dyadwatch.ingest.parse import parse_date, parse_int
from dyadwatch.ingest.rows import (
    NO_ACTOR,
    Actor,
    DelimitedSource,
    coordinates,
    country_iso3,
    event_id_for,
    ingest_delimited,
    non_negative,
    quad_class_of,
    required_text,
    text_or_none,
)
from dyadwatch.ingest.runner import OnRows
from dyadwatch.ontology import PLOVER_TYPES
from dyadwatch.records import Event, IngestReport
from dyadwatch.settings import Settings
from dyadwatch.sources.acled import ACLED, acled_columns, check_acled
from dyadwatch.store import Store

SOURCE_SYSTEM = "acled"
TABLE_FILE = "acled_plover.csv"
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y")

COUNTRY_ALIASES: dict[str, str] = {
    "Bailiwick of Guernsey": "GGY",
    "Bailiwick of Jersey": "JEY",
    "Cocos (Keeling) Islands": "CCK",
    "Democratic Republic of Congo": "COD",
    "Republic of Congo": "COG",
    "Saint Helena, Ascension and Tristan da Cunha": "SHN",
    "Saint-Barthelemy": "BLM",
    "Saint-Martin": "MAF",
    "Virgin Islands, U.S.": "VIR",
}
"""ACLED country names that the ontology's name index does not resolve."""

_NAME_SECTORS = (
    ("Military Forces of", "MIL"),
    ("Police Forces of", "COP"),
    ("Government of", "GOV"),
    ("Unidentified Armed Group", "UAF"),
    ("Private Security Forces", "BUS"),
)
_INTER_SECTORS = {1: "GOV", 2: "REB", 3: "PRM", 4: "PRM", 5: "CVL", 6: "CVL", 7: "CVL", 8: "IGO"}
_CRIMINAL_WORDS = ("cartel", "gang", "mafia")
_TRAILING_PAREN = re.compile(r"\(([^()]*)\)\s*$")
_STATE_ACTOR = re.compile(r"^(?:Military Forces|Police Forces|Government) of (?:the )?(.+?) \(")


@dataclass(frozen=True, slots=True)
class PloverChoice:
    """The PLOVER type and mode chosen for one ACLED event type and sub-event type."""

    plover_type: str | None
    plover_mode: str | None


UNMAPPED = PloverChoice(None, None)


def ingest_acled(
    store: Store, path: Path | str, *, settings: Settings, on_rows: OnRows | None = None
) -> IngestReport:
    """Ingest one ACLED CSV export (plain, .zip or .gz); see the module docstring."""
    return ingest_delimited(store, path, SOURCE, settings=settings, on_rows=on_rows)


def acled_plover(event_type: str, sub_event_type: str) -> PloverChoice:
    """The PLOVER type and mode of an ACLED category pair; UNMAPPED when not in the table."""
    return acled_plover_table().get(_pair_key(event_type, sub_event_type), UNMAPPED)


@functools.cache
def acled_plover_table() -> Mapping[tuple[str, str], PloverChoice]:
    """The bundled ``acled_plover.csv``, keyed by folded (event_type, sub_event_type)."""
    text = (files("dyadwatch") / "data" / TABLE_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {
        _pair_key(row["event_type"], row["sub_event_type"]): _choice(row, line_no)
        for line_no, row in enumerate(rows, start=2)
    }


def _choice(row: dict[str, str], line_no: int) -> PloverChoice:
    plover = row["plover_type"].strip() or None
    if plover is not None and plover not in PLOVER_TYPES:
        msg = f"{TABLE_FILE} line {line_no}: unknown PLOVER type {plover!r}; use one of "
        raise OntologyError(msg + ", ".join(PLOVER_TYPES))
    return PloverChoice(plover, row["plover_mode"].strip() or None)


def _pair_key(event_type: str, sub_event_type: str) -> tuple[str, str]:
    return (" ".join(event_type.casefold().split()), " ".join(sub_event_type.casefold().split()))


def _event(f: dict[str, str]) -> Event:
    record_id = required_text(f["event_id_cnty"], "event_id_cnty")
    plover = acled_plover(f["event_type"], f["sub_event_type"])
    latitude, longitude = coordinates(f["latitude"], f["longitude"])
    source = _actor(f["actor1"], parse_int(f["inter1"], "inter1"))
    target = _actor(f["actor2"], parse_int(f["inter2"], "inter2"))
    return Event(
        event_id=event_id_for(SOURCE_SYSTEM, record_id),
        source_system=SOURCE_SYSTEM,
        source_record_id=record_id,
        event_date=_date(f["event_date"]),
        date_added=_timestamp(f.get("timestamp", "")),
        source_name=source.name,
        source_country=source.country,
        source_sector=source.sector,
        target_name=target.name,
        target_country=target.country,
        target_sector=target.sector,
        plover_type=plover.plover_type,
        plover_mode=plover.plover_mode,
        quad_class=quad_class_of(plover.plover_type),
        place_name=text_or_none(f["location"]),
        place_country=country_iso3(f["country"], COUNTRY_ALIASES),
        admin1=text_or_none(f["admin1"]),
        latitude=latitude,
        longitude=longitude,
        n_sources=_source_count(f["source"]),
        fatalities=non_negative(parse_int(f["fatalities"], "fatalities"), "fatalities"),
        evidence=text_or_none(f["notes"]),
    )


def _actor(name: str, inter: int | None) -> Actor:
    name = name.strip()
    if not name:
        return NO_ACTOR
    return Actor(name, actor_country(name), actor_sector(name, inter))


def actor_country(name: str) -> str | None:
    """ISO3 of the country an ACLED actor name states, or None."""
    for pattern in (_TRAILING_PAREN, _STATE_ACTOR):
        match = pattern.search(name)
        if match and (iso3 := country_iso3(match[1], COUNTRY_ALIASES)):
            return iso3
    return None


def actor_sector(name: str, inter: int | None) -> str | None:
    """The sector code of an ACLED actor, from its name, else its inter code."""
    for prefix, sector in _NAME_SECTORS:
        if name.startswith(prefix):
            return sector
    if inter == 3 and any(word in name.casefold() for word in _CRIMINAL_WORDS):
        return "CRM"
    return _INTER_SECTORS.get(inter) if inter is not None else None


def _date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS[1:]:
        with contextlib.suppress(ValueError):
            return parse_date(text, "event_date", fmt)
    return parse_date(text, "event_date", _DATE_FORMATS[0])  # raises naming the ISO form


def _timestamp(text: str) -> dt.datetime | None:
    seconds = parse_int(text, "timestamp")
    if seconds is None:
        return None
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"timestamp {text[:40]!r} is not a Unix time") from None


def _source_count(text: str) -> int | None:
    names = [name for name in text.split(";") if name.strip()]
    return len(names) or None


SOURCE = DelimitedSource(SOURCE_SYSTEM, ACLED, acled_columns, check_acled, _event)
"""How ACLED files are read and mapped (see :func:`ingest_delimited`)."""
