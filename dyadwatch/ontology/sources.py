"""Facts about the bundled sources, read from ``dyadwatch/data/sources.toml``.

Which country a source's numbers describe (CBP counts in the United States, SESNSP in
Mexico) is a fact about the source, not about the configured pair, so it lives in data
rather than in the readers' code. Readers ask :func:`source_country`.
"""

from __future__ import annotations

import functools
import tomllib
from importlib.resources import files
from typing import Any

from dyadwatch.errors import OntologyError
from dyadwatch.ontology.countries import country_by_iso3

SOURCES_FILE = "sources.toml"


def source_country(source: str) -> str:
    """The ISO3 country the numbers of ``source`` ("cbp", "sesnsp", ...) describe."""
    return _fact(source, "country")


def source_citizens_of(source: str) -> str:
    """The citizenship a source's per-citizenship series counts (CBP: Mexican)."""
    return _fact(source, "citizens_of")


def resolve_geography(geography: str) -> str:
    """A catalog's geography with its source facts filled in: ``country:<source>`` → the
    source's ISO3 country ("country:fred" → the United States' code), ``states:<source>``
    → a SQL LIKE pattern over that country's ISO 3166-2 subdivisions ("MX-" then ``%``);
    any other value is returned as it is."""
    kind, _, source = geography.partition(":")
    if kind == "country" and source:
        return source_country(source)
    if kind == "states" and source:
        return f"{_iso2(source_country(source))}-%"
    return geography


def subdivision_prefix(source: str) -> str:
    """The ISO 3166-2 prefix of the country a source counts in ("US-" for CBP)."""
    return f"{_iso2(source_country(source))}-"


def nonstate_sectors() -> dict[str, dict[str, str]]:
    """UCDP: ISO3 → {non-state actor: sector} for the countries where other non-state
    actors are organised crime."""
    table = _sources().get("ucdp", {}).get("nonstate_sectors", {})
    return {iso3: dict(names) for iso3, names in table.items()}


def _fact(source: str, key: str) -> str:
    value = _sources().get(source, {}).get(key)
    if not isinstance(value, str):
        raise OntologyError(
            f"{SOURCES_FILE} gives no {key!r} for source {source!r}; add it under [{source}]"
        )
    return value


def _iso2(iso3: str) -> str:
    country = country_by_iso3(iso3)
    if country is None or country.iso2 is None:
        raise OntologyError(f"{SOURCES_FILE}: {iso3!r} is not a country with an ISO2 code")
    return country.iso2


@functools.cache
def _sources() -> dict[str, Any]:
    path = files("dyadwatch") / "data" / SOURCES_FILE
    return tomllib.loads(path.read_text(encoding="utf-8"))
