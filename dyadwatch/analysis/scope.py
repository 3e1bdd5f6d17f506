"""What verdicts, alerts and briefings judge: the relationship, defined once, here.

An event counts when one side is one country of the pair and the other side is the other,
in either direction (``docs/codebook.md``, section 3). A country's acts aimed at the other's
people, goods, territory or criminal groups are such events: the coder gives them the other
country as target (tariffs on Mexican goods: USA→MEX; a deployment to the shared border:
aimed at the other side). A country's purely domestic acts and its acts toward third
countries never count, whatever their topic. Only counted events (asserted, at or above
the coder's confidence threshold) are judged or shown (``analysis.index.counted``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dyadwatch.analysis.index import Freq, IndexSpec

if TYPE_CHECKING:
    import ibis.expr.types as ir


def relationship_pairs(dyad: tuple[str, str]) -> tuple[tuple[str, str], tuple[str, str]]:
    """The two directions of the relationship, as (source, target) country pairs."""
    a, b = dyad
    return (a, b), (b, a)


def in_relationship(t: ir.Table, dyad: tuple[str, str]) -> ir.BooleanValue:
    """True for the events of ``t`` between the two countries, in either direction."""
    (a, b), (c, d) = relationship_pairs(dyad)
    one = (t.source_country == a) & (t.target_country == b)
    other = (t.source_country == c) & (t.target_country == d)
    return (one | other).fill_null(False)


def relationship_spec(
    dyad: tuple[str, str],
    *,
    front: str | None = None,
    sources: tuple[str, ...] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    combine: bool = False,
    freq: Freq = "month",
) -> IndexSpec:
    """The index of the relationship: both directions, never a country's own events."""
    return IndexSpec(
        dyad=dyad,
        freq=freq,
        front=front,
        sources=sources or None,
        combine=combine,
        own=False,
        since=since,
        until=until,
    )
