"""The conflict–cooperation index: one Ibis expression, run on DuckDB, Spark or BigQuery.

Per period, direction, front and source system, it counts events by quad class and sums
their Goldstein scores. Definitions are in ``docs/indices.md``; this module is their code.

Goldstein values are summed in tenths, as 64-bit integers, so that every engine gives the
same figure whatever order it adds rows in (GDELT and ICEWS give one decimal).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

from dyadwatch.analysis.fronts import check_front, in_front
from dyadwatch.errors import ConfigError
from dyadwatch.ontology.cameo import cameo_rows

if TYPE_CHECKING:
    import ibis.expr.types as ir

# The index's options, typed once here and reused by the CLI (Typer turns a Literal into
# a choice) and the web app (FastAPI checks a Literal query parameter).
Freq = Literal["day", "week", "month"]
Per = Literal["report", "event"]
Weight = Literal["reports", "sources"]

FREQS: dict[Freq, str] = {"day": "D", "week": "W", "month": "M"}
PER: tuple[Per, ...] = get_args(Per)
WEIGHTS: tuple[Weight, ...] = get_args(Weight)
COUNT_COLUMNS = ("events", "quad1", "quad2", "quad3", "quad4")


@dataclass(frozen=True, slots=True)
class IndexSpec:
    """What one index run computes. ``sources=None`` means every system in the store.

    Systems are kept apart (one series each) unless ``combine`` is set; then the series
    is labelled with every system it counts, e.g. ``gdelt2+icews``.
    """

    dyad: tuple[str, str]
    freq: Freq = "month"
    front: str | None = None
    sources: tuple[str, ...] | None = None
    combine: bool = False
    per: Per = "report"
    weight: Weight = "reports"
    own: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    directions: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        check_choice("freq", self.freq, tuple(FREQS))
        check_choice("per", self.per, PER)
        check_choice("weight", self.weight, WEIGHTS)
        if self.front is not None:
            check_front(self.front)
        if self.since and self.until and self.since > self.until:
            raise ConfigError(f"since {self.since} is after until {self.until}; swap the dates")


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    """A ConfigError naming the option's value and its choices, never a CLI flag (the web
    app calls the library too): ``freq 'year' is not one of day, week, month``."""
    if value not in choices:
        raise ConfigError(f"{name} {value!r} is not one of {', '.join(choices)}")


def direction_label(source: str, target: str) -> str:
    """How a direction is written everywhere: ``USA->MEX``; a country's own events ``USA->USA``."""
    return f"{source}->{target}"


@functools.cache
def plover_goldstein() -> dict[str, float]:
    """Each PLOVER type's Goldstein value: the mean over the CAMEO codes mapped to it."""
    values: dict[str, list[float]] = defaultdict(list)
    for code in cameo_rows():
        if code.plover_type and code.goldstein is not None:
            values[code.plover_type].append(code.goldstein)
    return {key: round(sum(v) / len(v), 1) for key, v in sorted(values.items())}


def index_rows_expr(events: ir.Table, spec: IndexSpec) -> ir.Table:
    """The events the index counts, with ``direction``, ``period``, ``source`` and weights."""
    return _prepared(_filtered(_with_direction(events, spec), spec), spec)


def index_expr(events: ir.Table, spec: IndexSpec) -> ir.Table:
    """The index as an (unexecuted) Ibis table: one row per period, direction, front, source."""
    t = index_rows_expr(events, spec)
    if spec.per == "event":
        t = _one_row_per_event(t, FREQS[spec.freq])
    return _aggregated(t).order_by(["source", "direction", "period"])


def compute_index(events: ir.Table, spec: IndexSpec) -> list[dict[str, Any]]:
    """Run the index and return plain rows (``period`` as an ISO date string)."""
    rows = index_expr(events, spec).to_pyarrow().to_pylist()
    return [_finish_row(row, spec) for row in rows]


def own_events(t: ir.Table, own: str, other: str | None) -> ir.BooleanValue:
    """``own``'s own events that concern the pair: no target or an ``own`` target, and a
    front tag or a place in ``other`` (the index's ``USA->USA``; without ``other``, a front
    tag only)."""
    concerns = (t.fronts.length() > 0).fill_null(False)
    if other is not None:
        concerns = concerns | (t.place_country == other).fill_null(False)
    return (
        (t.source_country == own)
        & (t.target_country.isnull() | (t.target_country == own))
        & (concerns)
    )


def _with_direction(events: ir.Table, spec: IndexSpec) -> ir.Table:
    import ibis

    a, b = spec.dyad
    src, tgt = events.source_country, events.target_country
    cases = [
        ((src == a) & (tgt == b), direction_label(a, b)),
        ((src == b) & (tgt == a), direction_label(b, a)),
    ]
    if spec.own:
        for own, other in ((a, b), (b, a)):
            cases.append((own_events(events, own, other), direction_label(own, own)))
    direction = ibis.cases(*cases, else_=None)
    t = events.mutate(direction=direction)
    t = t.filter(t.direction.notnull())
    if spec.directions:
        t = t.filter(t.direction.isin(spec.directions))
    return t


def counted(t: ir.Table) -> ir.BooleanValue:
    """The events that count: every event of a structured source, and coded events that
    are asserted at or above the coder's confidence threshold (``docs/coder.md``)."""
    from dyadwatch.coding.types import COUNT_THRESHOLD

    coded = (t.source_system == "coded").fill_null(False)
    sure = (t.confidence.fill_null(0.0) >= COUNT_THRESHOLD).fill_null(False)
    if "factuality" in t.columns:
        sure = sure & (t.factuality.fill_null("asserted") == "asserted")
    return ~coded | sure


def only_counted(t: ir.Table) -> ir.Table:
    """``t`` without the coded events that do not count; a table with no coded events'
    columns (GDELT on BigQuery) is returned as it is."""
    return t.filter(counted(t)) if "confidence" in t.columns else t


def _filtered(t: ir.Table, spec: IndexSpec) -> ir.Table:
    t = only_counted(t)
    if spec.sources:
        t = t.filter(t.source_system.isin(spec.sources))
    if spec.front:
        t = t.filter(in_front(t, spec.front))
    if spec.since:
        t = t.filter(t.event_date >= spec.since)
    if spec.until:
        t = t.filter(t.event_date <= spec.until)
    return t


def effective_goldstein(t: ir.Table) -> ir.FloatingValue:
    """The event's Goldstein value, else its PLOVER type's (coded events have no CAMEO code)."""
    import ibis

    by_type = ibis.cases(
        *((t.plover_type == key, value) for key, value in plover_goldstein().items()),
        else_=ibis.null("float64"),
    )
    return t.goldstein.fill_null(by_type)


def _prepared(t: ir.Table, spec: IndexSpec) -> ir.Table:
    import ibis

    goldstein = effective_goldstein(t)
    weight = t.n_sources.fill_null(1).cast("int64") if spec.weight == "sources" else ibis.literal(1)
    source = _combined_label(spec) if spec.combine else t.source_system
    return t.mutate(
        period=t.event_date.truncate(FREQS[spec.freq]),
        source=source,
        goldstein10=(goldstein * 10).round().cast("int64"),
        weight=weight.cast("int64"),
        unit_key=t.event_cluster_id.fill_null(t.event_id) if spec.per == "event" else t.event_id,
    )


def _combined_label(spec: IndexSpec) -> ir.StringValue:
    import ibis

    label = "+".join(sorted(spec.sources)) if spec.sources else "all"
    return ibis.literal(label)


def _one_row_per_event(t: ir.Table, unit: str) -> ir.Table:
    """Collapse reports of one real-world event (same cluster) into one row, dated by the
    earliest report."""
    events = t.group_by(["source", "direction", "unit_key"]).aggregate(
        event_date=t.event_date.min(),
        quad_class=t.quad_class.min(),
        goldstein10=t.goldstein10.mean().round().cast("int64"),
        weight=t.weight.max(),
    )
    return events.mutate(period=events.event_date.truncate(unit))


def _aggregated(t: ir.Table) -> ir.Table:
    sign = (t.quad_class <= 2).ifelse(1, -1).cast("int64")
    quads = {f"quad{k}": (t.quad_class == k).ifelse(1, 0).cast("int64").sum() for k in range(1, 5)}
    return t.group_by(["source", "direction", "period"]).aggregate(
        events=t.count(),
        **quads,
        goldstein10_sum=t.goldstein10.sum(),
        goldstein_n=t.goldstein10.count(),
        net_cooperation=(sign * t.weight).sum(),
        weighted_events=t.weight.sum(),
    )


def _finish_row(row: dict[str, Any], spec: IndexSpec) -> dict[str, Any]:
    period = row["period"]
    if isinstance(period, dt.datetime):
        period = period.date()
    g_sum, g_n = row.pop("goldstein10_sum"), row.pop("goldstein_n")
    weighted = row.pop("weighted_events")
    return {
        "period": period.isoformat(),
        "direction": row["direction"],
        "front": spec.front or "all",
        "source": row["source"],
        **{key: int(row[key]) for key in COUNT_COLUMNS},
        "goldstein_sum": (g_sum or 0) / 10,
        "goldstein_mean": round(g_sum / g_n / 10, 4) if g_n else None,
        "net_cooperation": int(row["net_cooperation"]),
        "net_cooperation_share": round(row["net_cooperation"] / weighted, 4) if weighted else None,
    }
