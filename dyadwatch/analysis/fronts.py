"""Which events belong to a front, as Ibis boolean expressions (same on DuckDB, Spark, BigQuery).

Coded events carry the fronts the coder found in their text. Structured sources (GDELT,
ICEWS, ACLED, UCDP) have no text, so a front is *derived* from the event's type, CAMEO
code and actor sectors by the coarse rules below, and only when the stored list is empty.
The rules are documented in ``docs/indices.md``; they favour precision over recall.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dyadwatch.errors import ConfigError
from dyadwatch.ontology.fronts import fronts

if TYPE_CHECKING:
    import ibis.expr.types as ir


def front_keys() -> tuple[str, ...]:
    """The six front keys, in the ontology's order."""
    return tuple(front.key for front in fronts())


def check_front(front: str) -> str:
    """``front`` itself when it is one of the six keys, else a clear error."""
    keys = front_keys()
    if front not in keys:
        raise ConfigError(f"unknown front {front!r}; choose one of: {', '.join(keys)}")
    return front


def in_front(t: ir.Table, front: str) -> ir.BooleanValue:
    """True for the events of ``t`` that belong to ``front`` (stored, else derived)."""
    stored = t.fronts.contains(front)
    no_stored = t.fronts.isnull() | (t.fronts.length() == 0)
    return stored.fill_null(False) | (no_stored & _derived(t, check_front(front)).fill_null(False))


def _sector(t: ir.Table, *sectors: str) -> ir.BooleanValue:
    return t.source_sector.isin(sectors) | t.target_sector.isin(sectors)


def _derived(t: ir.Table, front: str) -> ir.BooleanValue:
    cameo = t.cameo_code.fill_null("")
    dyadic = t.source_country.notnull() & t.target_country.notnull()
    dyadic = dyadic & (t.source_country != t.target_country)
    rules = {
        "fentanyl": _sector(t, "CRM"),
        "migration": _sector(t, "REF"),
        "trade": _sector(t, "BUS") | cameo.startswith("163") | cameo.startswith("061"),
        "militarization": (t.plover_type == "MOBILIZE") & t.source_sector.isin(("MIL", "COP")),
        "military_action": dyadic
        & (t.source_sector == "MIL")
        & t.plover_type.isin(("ASSAULT", "FIGHT", "THREATEN")),
        "cooperation": dyadic & t.quad_class.isin((1, 2)),
    }
    return rules[front]
