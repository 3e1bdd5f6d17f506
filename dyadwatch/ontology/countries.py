"""Countries: FIPS 10-4 (GDELT) → ISO 3166 alpha-3, and country names (ICEWS) → ISO3.

The set of countries is the 249 entries of ``fips_countries.json`` (FIPS, ISO2, ISO3,
name). Names are matched case-insensitively, with blanks collapsed, in this order; a
name claimed by an earlier tier keeps it, and a name that one tier gives to two
different countries is dropped from that tier as ambiguous:

1. the names in ``fips_countries.json`` ("United States", "Mexico", "Puerto Rico");
2. the ``Name`` column of ``countries.csv``;
3. its ``Nationality`` synonyms ("Mexican", "U.S.", "Americans"; they also fold
   dependencies into their sovereign, which tier 1 overrides for listed territories);
4. the names in ``cow2iso.txt`` (``cname``, ``cname_full``, ``statenme``), which give
   the long forms ICEWS uses, such as "Russian Federation".

Rows whose code is not an ISO3 in the FIPS table (``EUR``, ``UNO``, ``GEOPRE``, historical
states such as ``YUG``) are ignored.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files

from dyadwatch.errors import OntologyError

FIPS_FILE = "fips_countries.json"
NAMES_FILE = "countries.csv"
COW_FILE = "cow2iso.txt"
GLEDITSCH_WARD = {2: "USA", 20: "CAN", 70: "MEX"}
"""Gleditsch–Ward state numbers (UCDP's ``gwnoa``/``gwnob``) of North America → ISO3;
other states are resolved by name."""


@dataclass(frozen=True, slots=True)
class Country:
    """A country with its ISO 3166 alpha-3 and alpha-2 codes and its FIPS 10-4 code."""

    iso3: str
    iso2: str | None
    fips: str | None
    name: str


def fips_to_iso3(fips: str) -> str | None:
    """Return the ISO3 code of a FIPS 10-4 country code ("MX" → "MEX"), or None."""
    if not isinstance(fips, str):
        return None
    country = _by_fips().get(fips.strip().upper())
    return country.iso3 if country else None


def country_by_iso3(iso3: str) -> Country | None:
    """Return the country with this ISO 3166 alpha-3 code, or None."""
    if not isinstance(iso3, str):
        return None
    return _by_iso3().get(iso3.strip().upper())


def country_by_name(name: str) -> Country | None:
    """Return the country with this name or nationality ("Mexico", "Mexican"), or None."""
    if not isinstance(name, str):
        return None
    iso3 = _name_index().get(_fold(name))
    return _by_iso3()[iso3] if iso3 else None


def gw_to_iso3(number: int | None) -> str | None:
    """The ISO3 code of a Gleditsch–Ward state number, when :data:`GLEDITSCH_WARD` has it."""
    return GLEDITSCH_WARD.get(number) if number is not None else None


def fips_table() -> dict[str, str]:
    """Return ``{fips: iso3}`` for every country, e.g. to fill a SQL reference table."""
    return {fips: country.iso3 for fips, country in sorted(_by_fips().items())}


@functools.cache
def _by_fips() -> dict[str, Country]:
    raw = json.loads(_read_text(FIPS_FILE))
    return {fips: _country(fips, fields) for fips, fields in raw.items()}


@functools.cache
def _by_iso3() -> dict[str, Country]:
    return {country.iso3: country for country in _by_fips().values()}


@functools.cache
def _name_index() -> dict[str, str]:
    known = _by_iso3()
    index: dict[str, str] = {}
    tiers = (_fips_names(), _csv_names(), _csv_synonyms(), _cow_names())
    for tier in tiers:
        claims: dict[str, set[str]] = {}
        for name, iso3 in tier:
            if iso3 in known and _fold(name):
                claims.setdefault(_fold(name), set()).add(iso3)
        for folded, codes in claims.items():
            if len(codes) == 1 and folded not in index:
                index[folded] = codes.pop()
    return index


def _country(fips: str, fields: dict[str, str | None]) -> Country:
    iso3, name = fields.get("iso3"), fields.get("name")
    if not iso3 or not name:
        raise OntologyError(f"{FIPS_FILE}: entry {fips!r} lacks an iso3 code or a name")
    return Country(iso3=iso3, iso2=fields.get("iso2") or None, fips=fips, name=name)


def _fips_names() -> Iterator[tuple[str, str]]:
    return ((country.name, country.iso3) for country in _by_fips().values())


def _csv_names() -> Iterator[tuple[str, str]]:
    return ((row["Name"], row["CCA3"]) for row in _csv_rows(NAMES_FILE))


def _csv_synonyms() -> Iterator[tuple[str, str]]:
    for row in _csv_rows(NAMES_FILE):
        for synonym in (row["Nationality"] or "").split(","):
            yield synonym, row["CCA3"]


def _cow_names() -> Iterator[tuple[str, str]]:
    for row in _csv_rows(COW_FILE):
        for column in ("cname", "cname_full", "statenme"):
            yield row[column] or "", row["iso3"]


def _csv_rows(name: str) -> Iterable[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read_text(name))))


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _read_text(name: str) -> str:
    return (files("dyadwatch") / "data" / "ontology" / name).read_text(encoding="utf-8")
