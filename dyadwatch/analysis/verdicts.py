"""Monthly verdicts in CrisisWatch's style, per front and overall, each citing its evidence.

The rules (``docs/alerts.md``) compare the month with the covered months among the previous
``BASELINE_MONTHS``. They count only events between the two countries
(``analysis.scope``), normalise each source's counts by what it read and combine the
sources with their measured precision (``analysis.reading``). A month in which a side of
the pair has no coverage is judged "insufficient coverage", never "unchanged".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from dyadwatch.analysis.evidence import Contributor, contributor_dict, top_events
from dyadwatch.analysis.fronts import front_keys
from dyadwatch.analysis.index import index_rows_expr
from dyadwatch.analysis.reading import (
    Reading,
    Weight,
    document_streams,
    load_reading,
    source_weights,
)
from dyadwatch.analysis.scope import relationship_pairs, relationship_spec
from dyadwatch.analysis.series import dyadic_systems
from dyadwatch.errors import ConfigError
from dyadwatch.settings import Settings
from dyadwatch.store import Store
from dyadwatch.store.tables import Tables, tables_of

BASELINE_MONTHS = 6
MIN_BASELINE_MONTHS = 3  # covered months among the previous six needed for a baseline
MIN_EVENTS = 5  # fewer events in the month and its baseline together: too few to judge
SHIFT_Z = 1.0  # net cooperation moved this many baseline standard deviations
ESCALATION = ("THREATEN", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT", "SANCTION")
SETTLEMENT = ("AGREE", "CONCEDE", "RETREAT", "COOPERATE")
SURGE_MIN, SURGE_RATIO = 3, 2.0  # a surge: at least 3 events and twice the baseline
INSUFFICIENT = "insufficient coverage"
MEASURE_KEYS = ("events", "cooperation", "conflict", "net_cooperation", "escalation", "settlement")
COUNTED = ("events", "cooperation", "conflict", "escalation", "settlement")  # not net


@dataclass(frozen=True, slots=True)
class Coverage:
    """What one source read on one side in the judged month, and its weight."""

    stream: str
    side: str | None
    documents: int
    units: int
    unit: str
    weight: float
    weight_basis: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict on one front (or ``all``) for one month, with its numbers and evidence."""

    month: str
    front: str
    verdict: str  # deteriorated, improved, unchanged, insufficient coverage
    flags: tuple[str, ...]  # "conflict risk alert", "resolution opportunity"
    sources: tuple[str, ...]
    numbers: dict[str, float]
    reasons: tuple[str, ...]
    events: tuple[Contributor, ...] = field(default=())
    coverage: tuple[Coverage, ...] = field(default=())
    judged: bool = False


def parse_month(text: str) -> dt.date:
    """``YYYY-MM`` as the first day of that month, or a clear error."""
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise ConfigError(f"month must look like 2025-03, got {text!r}") from exc


def latest_month(source: Store | Tables, settings: Settings) -> dt.date | None:
    """The latest month that both sides of the pair cover, with the sources that carry
    events between the two countries."""
    systems = dyadic_systems(source, settings.dyad_countries)
    return load_reading(source, settings).last_covered(systems)


def monthly_verdicts(
    store: Store,
    settings: Settings,
    month: dt.date,
    *,
    events: Any = None,
    tables: Tables | None = None,
) -> list[Verdict]:
    """The overall verdict, then one per front, for ``month``, each with its evidence.

    Everything is read from ``tables`` (default: the store's DuckDB tables;
    ``store.spark.spark_tables`` for Spark); ``events`` replaces only the table the
    counts come from."""
    month = month.replace(day=1)
    tables = tables if tables is not None else store.tables
    context = VerdictContext.load(tables, settings, month, month, events=events)
    return [context.judge(month, front, tables=tables) for front in ("all", *front_keys())]


def verdict_history(
    store: Store,
    settings: Settings,
    first: dt.date,
    last: dt.date,
    *,
    events: Any = None,
    tables: Tables | None = None,
) -> list[Verdict]:
    """Every month's verdicts from ``first`` to ``last`` (no evidence: for evaluation)."""
    tables = tables if tables is not None else store.tables
    context = VerdictContext.load(tables, settings, first, last, events=events)
    months = pd.date_range(first.replace(day=1), last.replace(day=1), freq="MS")
    return [
        context.judge(m.date(), front, tables=None)
        for m in months
        for front in ("all", *front_keys())
    ]


@dataclass(frozen=True, slots=True)
class VerdictContext:
    """Counts per front, stream and month, with the reading and weights to judge them."""

    settings: Settings
    reading: Reading
    weights: dict[str, Weight]
    systems: tuple[str, ...]
    counts: dict[str, pd.DataFrame]  # front -> rows (period, stream) x measure columns

    @classmethod
    def load(
        cls,
        source: Store | Tables,
        settings: Settings,
        first: dt.date,
        last: dt.date,
        *,
        events: Any,
    ) -> VerdictContext:
        tables = tables_of(source)
        events = events if events is not None else tables.events
        reading = load_reading(tables, settings)
        systems = dyadic_systems(tables, settings.dyad_countries)
        start = (pd.Timestamp(first) - pd.DateOffset(months=BASELINE_MONTHS)).date()
        end = (pd.Timestamp(last) + pd.DateOffset(months=1) - pd.Timedelta(days=1)).date()
        streams = document_streams(tables, reading)
        counts = {
            front: _stream_counts(events, settings, front, systems, start, end, streams)
            for front in ("all", *front_keys())
        }
        return cls(settings, reading, source_weights(reading), systems, counts)

    def judge(self, month: dt.date, front: str, *, tables: Tables | None) -> Verdict:
        """The verdict on ``front`` in ``month``, citing evidence read from ``tables``
        (None: no evidence)."""
        streams = self._streams(month)
        missing = self.reading.missing_sides(month, streams)
        coverage = self._coverage(month, streams)
        if missing or not streams:
            return self._insufficient(month, front, coverage, _no_side_reason(month, missing))
        baseline = self._baseline_months(month, streams)
        if len(baseline) < MIN_BASELINE_MONTHS:
            reason = (
                f"only {len(baseline)} of the {BASELINE_MONTHS} previous months are covered "
                f"by the same sources ({', '.join(streams)}); at least {MIN_BASELINE_MONTHS} "
                "are needed for a baseline"
            )
            return self._insufficient(month, front, coverage, reason)
        numbers = self._numbers(front, month, baseline, streams)
        verdict, reasons = _trend(numbers)
        flags, flag_reasons = _flags(numbers, verdict)
        systems = tuple(sorted({s.split(":")[0] for s in streams}))
        evidence: list[Contributor] = []
        if tables is not None:
            evidence = top_events(
                tables,
                directions=relationship_pairs(self.settings.dyad_countries),
                start=month,
                end=_month_end(month),
                measure=_evidence_measure(verdict, flags),
                front=front,
                sources=systems,
                limit=3,
            )
        return Verdict(
            month=month.strftime("%Y-%m"),
            front=front,
            verdict=verdict,
            flags=tuple(flags),
            sources=systems,
            numbers=numbers,
            reasons=tuple(reasons + flag_reasons),
            events=tuple(evidence),
            coverage=coverage,
            judged=_enough(numbers),
        )

    def _streams(self, month: dt.date) -> tuple[str, ...]:
        return tuple(s for s in self.reading.covering(month) if s.split(":")[0] in self.systems)

    def _baseline_months(self, month: dt.date, streams: tuple[str, ...]) -> list[dt.date]:
        previous = pd.date_range(
            pd.Timestamp(month) - pd.DateOffset(months=BASELINE_MONTHS),
            pd.Timestamp(month) - pd.DateOffset(months=1),
            freq="MS",
        )
        return [
            m.date() for m in previous if all(self.reading.covered(s, m.date()) for s in streams)
        ]

    def _coverage(self, month: dt.date, streams: tuple[str, ...]) -> tuple[Coverage, ...]:
        rows = []
        for stream in self.reading.streams():
            row = self.reading.row(stream, month)
            if row is None or stream.split(":")[0] not in self.systems:
                continue
            weight = self.weights[stream]
            used = weight.weight if stream in streams else 0.0
            rows.append(
                Coverage(stream, row.side, row.documents, row.units, row.unit, used, weight.basis)
            )
        return tuple(rows)

    def _numbers(
        self, front: str, month: dt.date, baseline: list[dt.date], streams: tuple[str, ...]
    ) -> dict[str, float]:
        table = self.counts[front]
        raw_now = _raw(table, month, streams)
        raw_base = pd.DataFrame([_raw(table, m, streams) for m in baseline])
        norm_now = self._normalised(table, month, streams)
        norm_base = pd.DataFrame([self._normalised(table, m, streams) for m in baseline])
        observed, expected, variance = self._expected(table, month, baseline, streams)
        numbers = {key: float(raw_now[key]) for key in MEASURE_KEYS}
        for key in MEASURE_KEYS:
            numbers[f"{key}_baseline"] = round(float(raw_base[key].mean()), 3)
            numbers[f"{key}_norm"] = round(float(norm_now[key]), 3)
            numbers[f"{key}_norm_baseline"] = round(float(norm_base[key].mean()), 3)
            numbers[f"{key}_weighted"] = round(observed[key], 3)
            numbers[f"{key}_expected"] = round(expected[key], 3)
        dispersion = self._dispersion(table, baseline, streams)
        spread = math.sqrt(dispersion * max(variance["net_cooperation"], 1e-9))
        z = (observed["net_cooperation"] - expected["net_cooperation"]) / spread
        numbers["net_cooperation_z"] = round(z, 3)
        numbers["dispersion"] = round(dispersion, 3)
        numbers["baseline_months"] = float(len(baseline))
        return numbers

    def _expected(
        self, table: pd.DataFrame, month: dt.date, baseline: list[dt.date], streams: Sequence[str]
    ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
        """Weighted counts of ``month``: observed, expected from each stream's baseline rate
        (Jeffreys: (count + 0.5) / reading) at this month's reading, and their Poisson
        variance. Net cooperation's are cooperation's minus conflict's (variances add)."""
        observed = dict.fromkeys(MEASURE_KEYS, 0.0)
        expected = dict.fromkeys(MEASURE_KEYS, 0.0)
        variance = dict.fromkeys(MEASURE_KEYS, 0.0)
        for stream in streams:
            weight = self.weights[stream].weight
            reading = self._units(stream, month)
            read_before = sum(self._units(stream, m) for m in baseline)
            now = _row(table, month, stream)
            before = sum((_row(table, m, stream) for m in baseline), _zeros())
            for key in COUNTED:
                rate = (float(before[key]) + 0.5) / max(read_before, 1.0)
                observed[key] += weight * float(now[key])
                expected[key] += weight * rate * reading
                variance[key] += weight**2 * rate * reading
        for totals in (observed, expected):
            totals["net_cooperation"] = totals["cooperation"] - totals["conflict"]
        variance["net_cooperation"] = variance["cooperation"] + variance["conflict"]
        return observed, expected, variance

    def _dispersion(
        self, table: pd.DataFrame, baseline: list[dt.date], streams: Sequence[str]
    ) -> float:
        """Quasi-Poisson dispersion of net cooperation over the baseline months: the mean
        squared Pearson residual of each month against the others' rate, at least 1."""
        residuals = []
        for month in baseline:
            others = [m for m in baseline if m != month]
            obs, exp, var = self._expected(table, month, others, streams)
            residuals.append(
                (obs["net_cooperation"] - exp["net_cooperation"]) ** 2
                / max(var["net_cooperation"], 1e-9)
            )
        return max(1.0, sum(residuals) / len(residuals)) if residuals else 1.0

    def _units(self, stream: str, month: dt.date) -> float:
        row = self.reading.row(stream, month)
        return float(row.units) if row is not None else 0.0

    def _normalised(self, table: pd.DataFrame, month: dt.date, streams: Sequence[str]) -> pd.Series:
        total = pd.Series(0.0, index=list(MEASURE_KEYS))
        for stream in streams:
            factor = self.reading.factor(stream, month) or 0.0
            total += self.weights[stream].weight * factor * _row(table, month, stream)
        return total

    def _insufficient(
        self, month: dt.date, front: str, coverage: tuple[Coverage, ...], reason: str
    ) -> Verdict:
        return Verdict(
            month=month.strftime("%Y-%m"),
            front=front,
            verdict=INSUFFICIENT,
            flags=(),
            sources=(),
            numbers={},
            reasons=(reason,),
            coverage=coverage,
            judged=False,
        )


def _stream_counts(
    events: Any,
    settings: Settings,
    front: str,
    systems: tuple[str, ...],
    start: dt.date,
    end: dt.date,
    streams: dict[str, str],
) -> pd.DataFrame:
    """Counted events of the relationship per month and stream, one column per measure."""
    spec = relationship_spec(
        settings.dyad_countries,
        front=None if front == "all" else front,
        sources=systems or ("none",),
        since=start,
        until=end,
    )
    t = index_rows_expr(events, spec)
    keys = ["period", "source_system", "doc_id", "plover_type", "quad_class"]
    frame = t.group_by(keys).aggregate(n=t.count()).to_pandas()
    if frame.empty:
        return pd.DataFrame(columns=list(MEASURE_KEYS))
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    frame["stream"] = [
        streams.get(str(doc), "coded:unknown") if system == "coded" else str(system)
        for system, doc in zip(frame["source_system"], frame["doc_id"], strict=True)
    ]
    quad, n = frame["quad_class"].fillna(0), frame["n"]
    measures = pd.DataFrame(
        {
            "period": frame["period"],
            "stream": frame["stream"],
            "events": n,
            "cooperation": n.where(quad.isin((1, 2)), 0),
            "conflict": n.where(quad.isin((3, 4)), 0),
            "escalation": n.where(frame["plover_type"].isin(ESCALATION), 0),
            "settlement": n.where(frame["plover_type"].isin(SETTLEMENT), 0),
        }
    )
    measures["net_cooperation"] = measures["cooperation"] - measures["conflict"]
    return measures.groupby(["period", "stream"])[list(MEASURE_KEYS)].sum().astype("float64")


def _row(table: pd.DataFrame, month: dt.date, stream: str) -> pd.Series:
    if (month, stream) in table.index:
        return table.loc[(month, stream)]
    return pd.Series(0.0, index=list(MEASURE_KEYS))


def _zeros() -> pd.Series:
    return pd.Series(0.0, index=list(MEASURE_KEYS))


def _raw(table: pd.DataFrame, month: dt.date, streams: Sequence[str]) -> pd.Series:
    total = pd.Series(0.0, index=list(MEASURE_KEYS))
    for stream in streams:
        total += _row(table, month, stream)
    return total


def _month_end(month: dt.date) -> dt.date:
    return (pd.Timestamp(month) + pd.DateOffset(months=1) - pd.Timedelta(days=1)).date()


def _no_side_reason(month: dt.date, missing: list[str]) -> str:
    if not missing:
        return f"no source covers {month:%Y-%m}"
    sides = " and ".join(missing)
    return (
        f"no source covers the {sides} side in {month:%Y-%m} (a side needs at least 2 coded "
        "documents of its government, or an event dataset covering the month)"
    )


def _enough(n: dict[str, float]) -> bool:
    return n["events"] + n["events_baseline"] >= MIN_EVENTS


def _evidence_measure(verdict: str, flags: list[str]) -> str:
    """Which events a verdict cites: the most conflictual for a deterioration or a conflict
    risk alert, the most cooperative for an improvement or a resolution opportunity."""
    if verdict == "deteriorated" or "conflict risk alert" in flags:
        return "conflict"
    if verdict == "improved" or "resolution opportunity" in flags:
        return "cooperation"
    return "events"


def _trend(n: dict[str, float]) -> tuple[str, list[str]]:
    if not _enough(n):
        return "unchanged", [
            f"too few events to judge: {n['events']:.0f} this month, "
            f"{n['events_baseline']:.1f} a month before"
        ]
    z = n["net_cooperation_z"]
    rose = n["conflict_weighted"] > n["conflict_expected"]
    summary = (
        f"net cooperation {n['net_cooperation']:+.0f} counted "
        f"({n['net_cooperation_weighted']:+.1f} weighted by precision) against "
        f"{n['net_cooperation_expected']:+.1f} expected from "
        f"the rate of {n['baseline_months']:.0f} covered months before at this month's reading "
        f"(z {z:+.2f}); conflict {n['conflict']:.0f} counted ({n['conflict_weighted']:.1f} "
        f"weighted, {n['conflict_expected']:.1f} expected); per month of typical reading, "
        f"net cooperation {n['net_cooperation_norm']:+.1f} against a mean of "
        f"{n['net_cooperation_norm_baseline']:+.1f}"
    )
    if z <= -SHIFT_Z and rose:
        return "deteriorated", [summary]
    if z >= SHIFT_Z and not rose:
        return "improved", [summary]
    return "unchanged", [summary]


def _flags(n: dict[str, float], verdict: str) -> tuple[list[str], list[str]]:
    flags: list[str] = []
    reasons: list[str] = []
    if not _enough(n):
        return flags, reasons
    if _surge(n["escalation"], n["escalation_weighted"], n["escalation_expected"]):
        flags.append("conflict risk alert")
        reasons.append(
            f"escalatory events ({', '.join(ESCALATION)}) surged to {n['escalation']:.0f} "
            f"({n['escalation_weighted']:.1f} weighted, against "
            f"{n['escalation_expected']:.1f} expected)"
        )
    if verdict != "deteriorated" and _surge(
        n["settlement"], n["settlement_weighted"], n["settlement_expected"]
    ):
        flags.append("resolution opportunity")
        reasons.append(
            f"settling events ({', '.join(SETTLEMENT)}) surged to {n['settlement']:.0f} "
            f"({n['settlement_weighted']:.1f} weighted, against "
            f"{n['settlement_expected']:.1f} expected)"
        )
    return flags, reasons


def _surge(raw: float, now: float, expected: float) -> bool:
    return raw >= SURGE_MIN and now >= SURGE_RATIO * (expected + 0.5)


def verdicts_as_dicts(verdicts: list[Verdict]) -> list[dict[str, Any]]:
    """Verdicts as JSON-ready dictionaries (dates as ISO strings)."""
    import dataclasses

    out = []
    for verdict in verdicts:
        row = dataclasses.asdict(verdict)
        row["events"] = [contributor_dict(e) for e in verdict.events]
        out.append(row)
    return out
