"""Monthly verdicts in CrisisWatch's style, per front and overall, each citing its evidence.

The rules (``docs/verdicts.md``) compare the month with the mean of the previous
``BASELINE_MONTHS`` months, counting the pair's events in both directions plus each
country's own events about the pair, from every source system with dyadic events (the
verdict lists them).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dyadwatch.analysis.evidence import Contributor, contributor_dict, top_events
from dyadwatch.analysis.fronts import front_keys
from dyadwatch.analysis.index import IndexSpec, index_rows_expr
from dyadwatch.analysis.series import dyadic_systems
from dyadwatch.errors import ConfigError
from dyadwatch.settings import Settings
from dyadwatch.store import Store

BASELINE_MONTHS = 6
MIN_EVENTS = 5  # fewer events in the month and its baseline together: too few to judge
SHIFT_Z = 1.0  # net cooperation moved this many baseline standard deviations
ESCALATION = ("THREATEN", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT", "SANCTION")
SETTLEMENT = ("AGREE", "CONCEDE", "RETREAT", "COOPERATE")
SURGE_MIN, SURGE_RATIO = 3, 2.0  # a surge: at least 3 events and twice the baseline


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict on one front (or ``all``) for one month, with its numbers and evidence."""

    month: str
    front: str
    verdict: str  # deteriorated, improved, unchanged
    flags: tuple[str, ...]  # "conflict risk alert", "resolution opportunity"
    sources: tuple[str, ...]
    numbers: dict[str, float]
    reasons: tuple[str, ...]
    events: tuple[Contributor, ...] = field(default=())


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` as the first day of that month, or a clear error."""
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise ConfigError(f"--month must look like 2025-03, got {text!r}") from exc


def latest_month(store: Store, settings: Settings) -> dt.date | None:
    """The latest month with at least ``MIN_EVENTS`` events between the two countries."""
    a, b = settings.dyad_countries
    month = store.scalar(
        "SELECT max(m) FROM (SELECT date_trunc('month', event_date) AS m FROM events "
        "WHERE (source_country = ? AND target_country = ?) OR (source_country = ? AND "
        "target_country = ?) GROUP BY 1 HAVING count(*) >= ?)",
        [a, b, b, a, MIN_EVENTS],
    )
    return month if month is None or not isinstance(month, dt.datetime) else month.date()


def monthly_verdicts(
    store: Store, settings: Settings, month: dt.date, *, events: Any = None
) -> list[Verdict]:
    """The overall verdict, then one per front, for ``month``."""
    events = events if events is not None else store.ibis.table("events")
    sources = dyadic_systems(store, settings.dyad_countries)
    start = (pd.Timestamp(month) - pd.DateOffset(months=BASELINE_MONTHS)).date()
    end = (pd.Timestamp(month) + pd.DateOffset(months=1) - pd.Timedelta(days=1)).date()
    out = []
    for front in (None, *front_keys()):
        spec = IndexSpec(
            dyad=settings.dyad_countries,
            freq="month",
            front=front,
            sources=sources,
            combine=True,
            own=True,
            since=start,
            until=end,
        )
        counts = _type_counts(events, spec)
        out.append(_judge(store, settings, month, front or "all", counts, sources, end))
    return out


def _type_counts(events: Any, spec: IndexSpec) -> pd.DataFrame:
    """Events per month and PLOVER type (rows: month starts; columns: types)."""
    t = index_rows_expr(events, spec)
    grouped = t.group_by(["period", "plover_type", "quad_class"]).aggregate(n=t.count())
    frame = grouped.to_pandas()
    if frame.empty:
        return pd.DataFrame()
    frame["period"] = pd.to_datetime(frame["period"])
    frame["plover_type"] = frame["plover_type"].fillna("q" + frame["quad_class"].astype(str))
    return frame.pivot_table(index="period", columns="plover_type", values="n", aggfunc="sum")


def _measures(counts: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    counts = counts.reindex(months, fill_value=0).fillna(0)
    quad = _quads()

    def total(types: list[str]) -> pd.Series:
        present = [t for t in types if t in counts.columns]
        return counts[present].sum(axis=1) if present else pd.Series(0.0, index=months)

    coop = total([t for t, q in quad.items() if q <= 2])
    conflict = total([t for t, q in quad.items() if q >= 3])
    return pd.DataFrame(
        {
            "events": coop + conflict,
            "cooperation": coop,
            "conflict": conflict,
            "net_cooperation": coop - conflict,
            "escalation": total(list(ESCALATION)),
            "settlement": total(list(SETTLEMENT)),
        }
    )


def _quads() -> dict[str, int]:
    from dyadwatch.ontology.plover import PLOVER_TYPES, quad_class_for_plover

    types = {name: quad_class_for_plover(name) for name in PLOVER_TYPES}
    return {**types, **{f"q{k}": k for k in range(1, 5)}}


def _judge(
    store: Store,
    settings: Settings,
    month: dt.date,
    front: str,
    counts: pd.DataFrame,
    sources: tuple[str, ...],
    end: dt.date,
) -> Verdict:
    months = pd.date_range(
        pd.Timestamp(month) - pd.DateOffset(months=BASELINE_MONTHS), pd.Timestamp(month), freq="MS"
    )
    table = _measures(counts, months)
    now, base = table.iloc[-1], table.iloc[:-1]
    numbers = _numbers(now, base)
    verdict, reasons = _trend(numbers)
    flags, flag_reasons = _flags(numbers, verdict)
    measure = _evidence_measure(verdict, flags)
    a, b = settings.dyad_countries
    evidence = top_events(
        store,
        directions=[(a, b), (b, a), (a, None), (b, None)],
        start=month,
        end=end,
        measure=measure,
        front=front,
        sources=sources,
        limit=3,
    )
    return Verdict(
        month=month.strftime("%Y-%m"),
        front=front,
        verdict=verdict,
        flags=tuple(flags),
        sources=sources,
        numbers=numbers,
        reasons=tuple(reasons + flag_reasons),
        events=tuple(evidence),
    )


def _evidence_measure(verdict: str, flags: list[str]) -> str:
    """Which events a verdict cites: the most conflictual for a deterioration or a conflict
    risk alert, the most cooperative for an improvement or a resolution opportunity."""
    if verdict == "deteriorated" or "conflict risk alert" in flags:
        return "conflict"
    if verdict == "improved" or "resolution opportunity" in flags:
        return "cooperation"
    return "events"


def _numbers(now: pd.Series, base: pd.Series | pd.DataFrame) -> dict[str, float]:
    numbers = {f"{key}": float(now[key]) for key in now.index}
    for key in now.index:
        numbers[f"{key}_baseline"] = round(float(base[key].mean()), 3)
    spread = float(base["net_cooperation"].std(ddof=1)) if len(base) > 1 else 0.0
    scale = max(spread, math.sqrt(max(numbers["events_baseline"], 1.0)))
    numbers["net_cooperation_z"] = round(
        (numbers["net_cooperation"] - numbers["net_cooperation_baseline"]) / scale, 3
    )
    return numbers


def _trend(n: dict[str, float]) -> tuple[str, list[str]]:
    if n["events"] + n["events_baseline"] < MIN_EVENTS:
        return "unchanged", [
            f"too few events to judge: {n['events']:.0f} this month, "
            f"{n['events_baseline']:.1f} a month before"
        ]
    z, rose = n["net_cooperation_z"], n["conflict"] > n["conflict_baseline"]
    summary = (
        f"net cooperation {n['net_cooperation']:+.0f} against a {BASELINE_MONTHS}-month mean of "
        f"{n['net_cooperation_baseline']:+.1f} (z {z:+.2f}); conflict events "
        f"{n['conflict']:.0f} against {n['conflict_baseline']:.1f}"
    )
    if z <= -SHIFT_Z and rose:
        return "deteriorated", [summary]
    if z >= SHIFT_Z and not rose:
        return "improved", [summary]
    return "unchanged", [summary]


def _flags(n: dict[str, float], verdict: str) -> tuple[list[str], list[str]]:
    flags, reasons = [], []
    if _surge(n["escalation"], n["escalation_baseline"]):
        flags.append("conflict risk alert")
        reasons.append(
            f"escalatory events ({', '.join(ESCALATION)}) surged to {n['escalation']:.0f} "
            f"from a mean of {n['escalation_baseline']:.1f}"
        )
    if verdict != "deteriorated" and _surge(n["settlement"], n["settlement_baseline"]):
        flags.append("resolution opportunity")
        reasons.append(
            f"settling events ({', '.join(SETTLEMENT)}) surged to {n['settlement']:.0f} "
            f"from a mean of {n['settlement_baseline']:.1f}"
        )
    return flags, reasons


def _surge(now: float, baseline: float) -> bool:
    return now >= SURGE_MIN and now >= SURGE_RATIO * (baseline + 0.5)


def verdicts_as_dicts(verdicts: list[Verdict]) -> list[dict[str, Any]]:
    """Verdicts as JSON-ready dictionaries (dates as ISO strings)."""
    import dataclasses

    out = []
    for verdict in verdicts:
        row = dataclasses.asdict(verdict)
        row["events"] = [contributor_dict(e) for e in verdict.events]
        out.append(row)
    return out
