"""UCDP Georeferenced Event Dataset (GED) files → canonical events.

Mapping of one GED row:

* ``event_id`` = md5("ucdp:" + ``id``), with ``id`` as an integer string ("182027", not
  "182027.0" as the CSV writes it).
* ``event_date`` = ``date_start``, ``event_end_date`` = ``date_end`` (schema 4). Dates
  are never changed, so look at the span before counting by month: rows with
  ``date_prec`` 4 or 5 are month- or year-long aggregates (for Mexico, many are annual
  totals per state dated 1 January to 31 December); see ``docs/forecasts.md``.
* ``fatalities`` = ``best`` (UCDP's best estimate); ``n_sources`` = ``number_of_sources``
  (None when negative, UCDP's "unknown").
* ``plover_type`` from ``type_of_violence``: 1 state-based and 2 non-state conflict →
  FIGHT (two armed, organised sides), 3 one-sided violence → ASSAULT (an armed group or
  state against civilians). ``plover_mode`` is None; ``quad_class`` 4; ``goldstein`` None.
* ``side_a`` → source, ``side_b`` → target. Country: from ``gwnoa``/``gwnob`` (Gleditsch–
  Ward numbers, first of a list) when ``ontology.countries.GLEDITSCH_WARD`` knows it; else
  from "Government of X"; else, for non-state actors and civilians, the event's own country.
* Sector: "Government of ..." → GOV, "Civilians" → CVL, side B of a state-based conflict
  → REB, any name with "cartel" → CRM. In Mexico every other non-state actor is an
  organised-crime group (CRM) except the self-defence groups and communities listed in
  ``data/sources.toml`` (``[ucdp.nonstate_sectors]``). Elsewhere other non-state actors get None.
* ``place_name`` = ``where_description`` on one line, ``admin1`` = ``adm_1`` (a name),
  ``place_country`` = ISO3 of ``country``; ``latitude``/``longitude``.
* ``evidence`` = ``source_headline`` (None when empty); ``url`` is None.

Rows are quarantined, with the column and value in the reason, for the wrong number of
fields, a non-integer id, an impossible date, a ``type_of_violence`` other than 1–3, a
non-numeric or negative ``best``, a non-numeric coordinate or an over-long field. GED's
``source_article`` often spans lines: line numbers are those of each record's first line.
"""

from __future__ import annotations

import re
from pathlib import Path

from dyadwatch.ingest.parse import parse_date, parse_int
from dyadwatch.ingest.rows import (
    Actor,
    DelimitedSource,
    coordinates,
    country_iso3,
    event_id_for,
    ingest_delimited,
    non_negative,
    quad_class_of,
    text_or_none,
)
from dyadwatch.ingest.runner import OnRows
from dyadwatch.ontology.countries import gw_to_iso3
from dyadwatch.ontology.sources import nonstate_sectors
from dyadwatch.records import Event, IngestReport
from dyadwatch.settings import Settings
from dyadwatch.sources.ucdp import UCDP, check_ucdp, ucdp_columns
from dyadwatch.store import Store

SOURCE_SYSTEM = "ucdp"
PLOVER_OF_VIOLENCE = {1: "FIGHT", 2: "FIGHT", 3: "ASSAULT"}


COUNTRY_ALIASES: dict[str, str] = {
    "DR Congo (Zaire)": "COD",
    "Bosnia-Herzegovina": "BIH",
    "Kingdom of eSwatini (Swaziland)": "SWZ",
}
"""UCDP country names that the ontology's name index does not resolve."""

_GOVERNMENT = re.compile(r"^Government of (.+)$")
_PAREN = re.compile(r"\s*\([^()]*\)\s*$")


def ingest_ucdp(
    store: Store, path: Path | str, *, settings: Settings, on_rows: OnRows | None = None
) -> IngestReport:
    """Ingest one UCDP GED CSV file (plain, .zip or .gz); see the module docstring."""
    return ingest_delimited(store, path, SOURCE, settings=settings, on_rows=on_rows)


def _event(f: dict[str, str]) -> Event:
    record_id = str(_required_int(f["id"], "id"))
    violence = _violence(f["type_of_violence"])
    country = ucdp_country(f["country"])
    latitude, longitude = coordinates(f["latitude"], f["longitude"])
    side_a = _side(f, "a", violence=violence, country=country)
    side_b = _side(f, "b", violence=violence, country=country)
    return Event(
        event_id=event_id_for(SOURCE_SYSTEM, record_id),
        source_system=SOURCE_SYSTEM,
        source_record_id=record_id,
        event_date=parse_date(f["date_start"], "date_start"),
        event_end_date=parse_date(f["date_end"], "date_end"),
        source_name=side_a.name,
        source_country=side_a.country,
        source_sector=side_a.sector,
        target_name=side_b.name,
        target_country=side_b.country,
        target_sector=side_b.sector,
        plover_type=PLOVER_OF_VIOLENCE[violence],
        quad_class=quad_class_of(PLOVER_OF_VIOLENCE[violence]),
        place_name=_one_line(f["where_description"]),
        place_country=country,
        admin1=text_or_none(f["adm_1"]),
        latitude=latitude,
        longitude=longitude,
        n_sources=_source_count(f["number_of_sources"]),
        fatalities=non_negative(parse_int(f["best"], "best"), "best"),
        evidence=text_or_none(f["source_headline"]),
    )


def ucdp_country(name: str) -> str | None:
    """ISO3 of a UCDP country name, also with its former name in brackets removed."""
    return country_iso3(name, COUNTRY_ALIASES) or country_iso3(
        _PAREN.sub("", name), COUNTRY_ALIASES
    )


def side_sector(name: str, *, violence: int, country: str | None, is_b: bool) -> str | None:
    """The sector code of a GED side; see the module docstring."""
    if _GOVERNMENT.match(name):
        return "GOV"
    if name == "Civilians":
        return "CVL"
    if violence == 1 and is_b:
        return "REB"
    if "cartel" in name.casefold():
        return "CRM"
    crime = nonstate_sectors().get(country or "")
    if crime is not None:
        return crime.get(name.split(", ")[0], "CRM")
    return None


def _side(f: dict[str, str], side: str, *, violence: int, country: str | None) -> Actor:
    """Side "a" or "b" of a GED row: its name, country and sector."""
    name = f[f"side_{side}"].strip()
    if not name:
        return Actor(None, None, None)
    sector = side_sector(name, violence=violence, country=country, is_b=side == "b")
    column = f"gwno{side}"
    return Actor(name, _side_country(name, f[column], country, column=column), sector)


def _side_country(name: str, gwno: str, event_country: str | None, *, column: str) -> str | None:
    number = parse_int(gwno.split(",")[0], column)
    known = gw_to_iso3(number)
    if known is not None:
        return known
    government = _GOVERNMENT.match(name)
    return ucdp_country(government[1]) if government else event_country


def _violence(text: str) -> int:
    value = parse_int(text, "type_of_violence")
    if value not in PLOVER_OF_VIOLENCE:
        raise ValueError(f"type_of_violence {text.strip()[:40]!r} is not 1, 2 or 3")
    return value


def _required_int(text: str, name: str) -> int:
    value = parse_int(text, name)
    if value is None:
        raise ValueError(f"{name} is empty")
    return value


def _source_count(text: str) -> int | None:
    count = parse_int(text, "number_of_sources")
    return count if count is not None and count >= 0 else None


def _one_line(text: str) -> str | None:
    """A place description on one line (GED's sometimes spans two)."""
    return " ".join(text.split()) or None


SOURCE = DelimitedSource(SOURCE_SYSTEM, UCDP, ucdp_columns, check_ucdp, _event)
"""How UCDP files are read and mapped (see :func:`ingest_delimited`)."""
