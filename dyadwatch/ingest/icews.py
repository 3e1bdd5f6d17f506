"""ICEWS event files → canonical events.

Mapping of one ICEWS row:

* ``event_id`` = md5("icews:" + ``Event ID``); ``event_date`` = ``Event Date``.
* ``cameo_code`` = ``CAMEO Code`` kept as written, with its leading zeros ("040").
  ``plover_type``, ``plover_mode`` and ``quad_class`` come from
  :func:`dyadwatch.ontology.lookup_cameo`; ``cameo_known`` is False for a code no CAMEO
  table lists (it then takes its nearest known ancestor's mapping, if any).
  Statements and appeals (roots 01, 02) have no PLOVER type but keep CAMEO's quad class.
* ``goldstein`` = ``Intensity`` (ICEWS's Goldstein-scale value).
* Source/target name and country (ISO3 by name, with :data:`COUNTRY_ALIASES`).
  ICEWS gives no CAMEO actor code, so ``source_code``/``target_code`` are None.
* Sector: ICEWS lists several sectors ("Government,Executive,Foreign Ministry"). The
  primary one is the first group of :data:`SECTOR_PRIORITY` that the list touches, so
  "Military,Government" → MIL and "Government,Police" → COP. Codes follow PLOVER's
  sector table (JRN for media) plus IGO. A list with none of them (or ``NA``) → None.
* ``place_name`` = the first of City, District, Province that is given; ``admin1`` =
  Province (a name); ``place_country`` = ISO3 of Country; Latitude/Longitude.
* ``url`` and ``evidence`` are None: ICEWS publishes neither the article nor the sentence.

``NA`` means missing. Rows are quarantined, with the column and value in the reason,
for the wrong number of fields, a non-integer Event ID, an impossible date, an empty
CAMEO code, a non-numeric Intensity or coordinate, or an over-long field. Line numbers
are those of each record's first line (ICEWS records are one line each).
"""

from __future__ import annotations

from pathlib import Path

from dyadwatch.ingest.parse import parse_date, parse_float, parse_int
from dyadwatch.ingest.rows import (
    Actor,
    DelimitedSource,
    coordinates,
    country_iso3,
    event_id_for,
    ingest_delimited,
    text_or_none,
)
from dyadwatch.ingest.runner import OnRows
from dyadwatch.ontology import lookup_cameo
from dyadwatch.records import Event, IngestReport
from dyadwatch.settings import Settings
from dyadwatch.sources.icews import ICEWS, MISSING, check_icews, icews_columns
from dyadwatch.store import Store

SOURCE_SYSTEM = "icews"
_MISSING = ("", MISSING)

COUNTRY_ALIASES: dict[str, str] = {
    "Democratic Republic of Congo": "COD",
    "Occupied Palestinian Territory": "PSE",
    "Moldova, Republic of": "MDA",
    "Holy See": "VAT",
    "Republic of Congo": "COG",
}
"""ICEWS country names that the ontology's name index does not resolve."""

SECTOR_PRIORITY: tuple[tuple[str, frozenset[str]], ...] = (
    ("MIL", frozenset({"Military", "Army", "Navy", "Air Force", "Marines",
                       "Army Special Forces", "Military Intelligence"})),
    ("COP", frozenset({"Police"})),
    ("CRM", frozenset({"Criminals / Gangs", "Organized Violent"})),
    ("REB", frozenset({"Insurgents", "International Insurgents", "Rebel", "Separatists"})),
    ("UAF", frozenset({"Unidentified Forces"})),
    ("IGO", frozenset({"International Government Organization"})),
    ("GOV", frozenset({"Government", "Executive", "Executive Office", "Cabinet",
                       "Legislative / Parliamentary", "Judicial"})),
    ("PTY", frozenset({"Parties"})),
    ("BUS", frozenset({"Business", "Multinational Corporation", "State Owned Enterprises"})),
    ("JRN", frozenset({"Media", "News"})),
    ("SOC", frozenset({"Nongovernmental Organizations / Activists",
                       "Nongovernmental Organization (International)"})),
    ("EDU", frozenset({"Education"})),
    ("LAB", frozenset({"Labor"})),
    ("REF", frozenset({"Refugees / Displaced"})),
    ("CVL", frozenset({"General Population / Civilian / Social",
                       "Protestors / Popular Opposition / Mobs"})),
    ("OPP", frozenset({"Dissident"})),
    ("REL", frozenset({"International Religious", "National Religious"})),
    ("ELI", frozenset({"Elite"})),
)  # fmt: skip
"""(sector code, ICEWS sector labels), most specific first; the first group hit wins."""


def ingest_icews(
    store: Store, path: Path | str, *, settings: Settings, on_rows: OnRows | None = None
) -> IngestReport:
    """Ingest one ICEWS events .tab file (plain, .zip or .gz); see the module docstring."""
    return ingest_delimited(store, path, SOURCE, settings=settings, on_rows=on_rows)


def primary_sector(sectors: str) -> str | None:
    """The primary sector code of an ICEWS comma-separated sector list, or None."""
    labels = {label.strip() for label in sectors.split(",")}
    for code, group in SECTOR_PRIORITY:
        if labels & group:
            return code
    return None


def _event(f: dict[str, str]) -> Event:
    record_id = str(_event_number(f["Event ID"]))
    code = f["CAMEO Code"].strip()
    if not code:
        raise ValueError("CAMEO Code is empty")
    found = lookup_cameo(code)
    entry = found.entry
    latitude, longitude = coordinates(f["Latitude"], f["Longitude"])  # NA → None
    source = _actor(f["Source Name"], f["Source Country"], f["Source Sectors"])
    target = _actor(f["Target Name"], f["Target Country"], f["Target Sectors"])
    return Event(
        event_id=event_id_for(SOURCE_SYSTEM, record_id),
        source_system=SOURCE_SYSTEM,
        source_record_id=record_id,
        event_date=parse_date(f["Event Date"], "Event Date"),
        source_name=source.name,
        source_country=source.country,
        source_sector=source.sector,
        target_name=target.name,
        target_country=target.country,
        target_sector=target.sector,
        plover_type=entry.plover_type if entry else None,
        plover_mode=entry.plover_mode if entry else None,
        cameo_code=code,
        cameo_known=found.known,
        quad_class=entry.quad_class if entry else None,
        goldstein=parse_float(f["Intensity"], "Intensity"),
        place_name=_first_given(f["City"], f["District"], f["Province"]),
        place_country=_country(f["Country"]),
        admin1=text_or_none(f["Province"], _MISSING),
        latitude=latitude,
        longitude=longitude,
    )


def _event_number(text: str) -> int:
    number = parse_int(text, "Event ID")
    if number is None:
        raise ValueError("Event ID is empty")
    return number


def _actor(name: str, country: str, sectors: str) -> Actor:
    return Actor(text_or_none(name, _MISSING), _country(country), primary_sector(sectors))


def _country(name: str) -> str | None:
    return None if name.strip() in _MISSING else country_iso3(name, COUNTRY_ALIASES)


def _first_given(*texts: str) -> str | None:
    return next((t for t in (text_or_none(x, _MISSING) for x in texts) if t), None)


SOURCE = DelimitedSource(SOURCE_SYSTEM, ICEWS, icews_columns, check_icews, _event)
"""How ICEWS files are read and mapped (see :func:`ingest_delimited`)."""
