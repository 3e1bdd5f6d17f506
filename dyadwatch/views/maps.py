"""The map: events and fatalities by state, as the pair's ``[map]`` configures it.

The shipped pair draws every Mexican state and the four U.S. border states
(``data/pairs/USA-MEX.toml``); a pair without a ``[map]`` table gets an empty map. Stored
``admin1`` values differ by source (ISO 3166-2 codes from the coder, FIPS-style ``USTX``
from GDELT, names such as ``Chihuahua state`` from UCDP); they are matched here to ISO
3166-2 codes, the ids of the bundled GeoJSON features. All states of a country can be
matched when ``data/sources.toml`` says the bundled states table (``mx_states``) is its.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from dyadwatch.errors import ConfigError
from dyadwatch.ontology.countries import Country, country_by_iso3
from dyadwatch.ontology.pairs import DEFAULT_DYAD, Pair, PairMap, bundled_pair
from dyadwatch.ontology.sources import source_country
from dyadwatch.sources.series import mx_states
from dyadwatch.store import Store
from dyadwatch.store.explore import admin1_counts
from dyadwatch.views.charts import Chart, geo_chart


@dataclass(frozen=True, slots=True)
class StateCount:
    """Events and fatalities in one state."""

    id: str
    name: str
    events: int
    fatalities: int


@dataclass(frozen=True, slots=True)
class MapContext:
    """``/map`` and ``/map.json``."""

    mexico: tuple[StateCount, ...]  # every state of the map's states country (the key
    border: tuple[StateCount, ...]  # is the shipped pair's, kept for the JSON twin)
    unmatched_events: int
    charts: tuple[Chart, ...]


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = plain.lower().replace(" state", "").replace("state of ", "").strip()
    return " ".join(plain.replace(".", "").split())


@cache
def _state_names(fips: str) -> dict[str, tuple[str, str]]:
    """Folded name, ISO code or variant → (ISO code, name) for every state of the bundled
    states table; ``fips`` is its country's FIPS code, which GDELT prefixes to numbers."""
    out: dict[str, tuple[str, str]] = {}
    for cve, state in mx_states().items():
        hit = (state.iso_3166_2, state.name)
        for key in (state.name, state.short_name, state.iso_3166_2, *state.variants):
            out[_fold(key)] = hit
        out[_fold(f"{fips}{cve:02d}")] = hit  # GDELT's FIPS-like codes
    return out


def match_state(country: str, admin1: str, layout: PairMap) -> tuple[str, str] | None:
    """The ISO 3166-2 code and name of a stored admin1 value, when it is a mapped state."""
    if country == layout.states_country and country == source_country("mx_states"):
        return _state_names(_country(country).fips or "").get(_fold(admin1))
    if country != layout.border_country:
        return None
    border = dict(layout.border_states)
    iso2 = _country(country).iso2 or ""
    code = admin1.upper().replace("-", "")
    code = f"{iso2}-{code[2:]}" if code.startswith(iso2) and len(code) == 4 else admin1
    if code in border:
        return code, border[code]
    hit = {_fold(n): c for c, n in border.items()}.get(_fold(admin1))
    return (hit, border[hit]) if hit else None


def build_map(store: Store, *, pair: Pair | None = None) -> MapContext:
    """Counts per state and the two choropleths (all states of one country; the other's
    border states), for ``pair`` (default: the shipped pair)."""
    layout = (pair or bundled_pair(DEFAULT_DYAD)).map
    if layout is None:
        return MapContext((), (), 0, ())
    totals: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    unmatched = 0
    for place in admin1_counts(store, (layout.states_country, layout.border_country)):
        hit = match_state(place.country, place.admin1, layout)
        if hit is None:
            unmatched += place.events if place.country == layout.states_country else 0
            continue
        cell = totals.setdefault(hit[0], [0, 0])
        cell[0] += place.events
        cell[1] += place.fatalities
        names[hit[0]] = hit[1]
    border_names = dict(layout.border_states)
    states = _states(totals, names, prefix=_prefix(layout.states_country))
    border = _states(
        totals, names | border_names, prefix=_prefix(layout.border_country), keep=border_names
    )
    return MapContext(states, border, unmatched, _charts(states, border, pair, layout))


def _country(iso3: str) -> Country:
    found = country_by_iso3(iso3)
    if found is None:
        raise ConfigError(f"[map] names {iso3!r}, not an ISO3 code; fix the pair file")
    return found


def _prefix(iso3: str) -> str:
    return f"{_country(iso3).iso2}-"


def _states(
    totals: dict[str, list[int]],
    names: dict[str, str],
    *,
    prefix: str,
    keep: dict[str, str] | None = None,
) -> tuple[StateCount, ...]:
    codes = set(keep or ()) | {c for c in totals if c.startswith(prefix)}
    rows = [StateCount(c, names.get(c, c), *totals.get(c, [0, 0])) for c in codes]
    return tuple(sorted(rows, key=lambda s: (-s.events, s.id)))


def _charts(
    states: tuple[StateCount, ...],
    border: tuple[StateCount, ...],
    pair: Pair | None,
    layout: PairMap,
) -> tuple[Chart, ...]:
    def values(rows: tuple[StateCount, ...]) -> list[dict[str, object]]:
        return [
            {"id": s.id, "name": s.name, "events": s.events, "fatalities": s.fatalities}
            for s in rows
        ]

    names = pair or bundled_pair(DEFAULT_DYAD)
    inner = names.names_of(layout.states_country).adjective
    outer = names.names_of(layout.border_country).adjective
    identity = {"type": "identity", "reflectY": False}
    mercator = {"type": "mercator"}
    layers = (
        ("map-mx", f"{inner} state", states, layout.states_geojson, identity),
        ("map-us", f"{outer} border state", border, layout.border_geojson, mercator),
    )
    return tuple(
        geo_chart(
            f"{key}-{measure}",
            f"{measure.capitalize()} by {what}",
            url=url,
            values=values(rows),
            measure=measure,
            projection=projection,
        )
        for key, what, rows, url, projection in layers
        for measure in ("events", "fatalities")
    )
