"""The map: events and fatalities by Mexican state and by U.S. border state.

Stored ``admin1`` values differ by source (ISO 3166-2 codes from the coder, FIPS-style
``USTX`` from GDELT, names such as ``Chihuahua state`` from UCDP); they are matched here
to ISO 3166-2 codes, the ids of the bundled GeoJSON features.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from dyadwatch.sources.series import mx_states
from dyadwatch.store import Store
from dyadwatch.store.explore import admin1_counts
from dyadwatch.views.charts import Chart, geo_chart

BORDER_STATES = {
    "US-CA": "California",
    "US-AZ": "Arizona",
    "US-NM": "New Mexico",
    "US-TX": "Texas",
}
MX_GEOJSON = "/static/geo/mx_states.geojson"
US_GEOJSON = "/static/geo/us_border_states.geojson"


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

    mexico: tuple[StateCount, ...]
    border: tuple[StateCount, ...]
    unmatched_events: int
    charts: tuple[Chart, ...]


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = plain.lower().replace(" state", "").replace("state of ", "").strip()
    return " ".join(plain.replace(".", "").split())


@cache
def _mx_names() -> dict[str, tuple[str, str]]:
    """Folded name, ISO code or variant → (ISO code, name) for the 32 Mexican states."""
    out: dict[str, tuple[str, str]] = {}
    for cve, state in mx_states().items():
        hit = (state.iso_3166_2, state.name)
        for key in (state.name, state.short_name, state.iso_3166_2, *state.variants):
            out[_fold(key)] = hit
        out[_fold(f"MX{cve:02d}")] = hit  # GDELT's FIPS-like codes
    return out


def match_state(country: str, admin1: str) -> tuple[str, str] | None:
    """The ISO 3166-2 code and name of a stored admin1 value, when it is a mapped state."""
    if country == "MEX":
        return _mx_names().get(_fold(admin1))
    if country == "USA":
        code = admin1.upper().replace("-", "")
        code = "US-" + code[2:] if code.startswith("US") and len(code) == 4 else admin1
        if code in BORDER_STATES:
            return code, BORDER_STATES[code]
        by_name = {_fold(n): c for c, n in BORDER_STATES.items()}
        hit = by_name.get(_fold(admin1))
        return (hit, BORDER_STATES[hit]) if hit else None
    return None


def build_map(store: Store) -> MapContext:
    """Counts per state and the two choropleths (Mexico; the four U.S. border states)."""
    totals: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    unmatched = 0
    for place in admin1_counts(store, ("MEX", "USA")):
        hit = match_state(place.country, place.admin1)
        if hit is None:
            unmatched += place.events if place.country == "MEX" else 0
            continue
        cell = totals.setdefault(hit[0], [0, 0])
        cell[0] += place.events
        cell[1] += place.fatalities
        names[hit[0]] = hit[1]
    mexico = _states(totals, names, prefix="MX-")
    border = _states(totals, names | BORDER_STATES, prefix="US-", keep=BORDER_STATES)
    return MapContext(mexico, border, unmatched, _charts(mexico, border))


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


def _charts(mexico: tuple[StateCount, ...], border: tuple[StateCount, ...]) -> tuple[Chart, ...]:
    def values(rows: tuple[StateCount, ...]) -> list[dict[str, object]]:
        return [
            {"id": s.id, "name": s.name, "events": s.events, "fatalities": s.fatalities}
            for s in rows
        ]

    identity = {"type": "identity", "reflectY": False}
    mercator = {"type": "mercator"}
    return (
        geo_chart(
            "map-mx-events",
            "Events by Mexican state",
            url=MX_GEOJSON,
            values=values(mexico),
            measure="events",
            projection=identity,
        ),
        geo_chart(
            "map-mx-fatalities",
            "Fatalities by Mexican state",
            url=MX_GEOJSON,
            values=values(mexico),
            measure="fatalities",
            projection=identity,
        ),
        geo_chart(
            "map-us-events",
            "Events by U.S. border state",
            url=US_GEOJSON,
            values=values(border),
            measure="events",
            projection=mercator,
        ),
        geo_chart(
            "map-us-fatalities",
            "Fatalities by U.S. border state",
            url=US_GEOJSON,
            values=values(border),
            measure="fatalities",
            projection=mercator,
        ),
    )
