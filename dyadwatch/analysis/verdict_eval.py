"""``dyadwatch evaluate verdicts``: the verdicts and alerts scored against the record of
documented shifts (``analysis.shift_record``), beside a naive rule.

- **Recall**: a shift is found when its front has a verdict or flag in its direction
  (worse: *deteriorated* or a *conflict risk alert*; better: *improved* or a *resolution
  opportunity*) in the month of the shift or the month after.
- **False-alarm share**: front-months judged *deteriorated*, out of all front-months from
  ``FALSE_ALARM_FROM`` to the latest month both sides cover.
- **Lead time of alerts**: for each shift, the earliest event alert (level *alert* or
  above) on its front or on all fronts, moving in its direction, that starts between
  ``LEAD_BEFORE`` months before and one month after the shift; lead = shift month minus
  alert start, in months.
- **Naive rule**: flag a front-month whenever its count of events between the two
  countries exceeds 1.5 times the mean of the previous six months (no direction).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from dyadwatch.analysis.alerts import Alert, find_alerts
from dyadwatch.analysis.fronts import front_keys
from dyadwatch.analysis.index import index_rows_expr
from dyadwatch.analysis.scope import relationship_spec
from dyadwatch.analysis.series import dyadic_systems
from dyadwatch.analysis.shift_record import Shift
from dyadwatch.analysis.verdicts import INSUFFICIENT, Verdict, verdict_history
from dyadwatch.errors import ConfigError
from dyadwatch.settings import Settings
from dyadwatch.store import Store

FALSE_ALARM_FROM = dt.date(2021, 1, 1)
LEAD_BEFORE = 3  # months before a shift an alert may start and still count as leading it
NAIVE_RATIO, NAIVE_MONTHS = 1.5, 6
ALERT_LEVELS = ("alert", "red alert")
WORSE_FLAG, BETTER_FLAG = "conflict risk alert", "resolution opportunity"


@dataclass(frozen=True, slots=True)
class ShiftOutcome:
    """How one documented shift fared."""

    shift: Shift
    covered: bool  # the front had a judged or too-few-events verdict in the month or after
    found: bool
    naive_found: bool
    lead_months: int | None  # None: no alert led or followed it
    why: str = ""  # found, no coverage, too few events, or judged otherwise


@dataclass(frozen=True, slots=True)
class VerdictScores:
    """Every number ``EVALUATION.md`` reports about the verdicts."""

    first: dt.date
    last: dt.date
    outcomes: tuple[ShiftOutcome, ...]
    front_months: int
    deteriorated: int
    judged_front_months: int
    insufficient_front_months: int
    naive_flagged: int
    months_without_coverage: tuple[str, ...]

    def recall(
        self, *, naive: bool = False, covered_only: bool = False, split: str | None = None
    ) -> float:
        chosen = [
            o
            for o in self.outcomes
            if (o.covered or not covered_only) and split in (None, o.shift.split)
        ]
        hits = [o for o in chosen if (o.naive_found if naive else o.found)]
        return len(hits) / len(chosen) if chosen else 0.0

    @property
    def false_alarm_share(self) -> float:
        return self.deteriorated / self.front_months if self.front_months else 0.0

    @property
    def naive_share(self) -> float:
        return self.naive_flagged / self.front_months if self.front_months else 0.0


def score_verdicts(store: Store, settings: Settings, record: list[Shift]) -> VerdictScores:
    """Judge every month from the record's first to the latest month both sides cover."""
    from dyadwatch.analysis.reading import load_reading

    if not record:
        raise ConfigError("the record of documented shifts is empty")
    reading = load_reading(store, settings)
    last = reading.last_covered(dyadic_systems(store, settings.dyad_countries))
    if last is None:
        raise ConfigError(
            f"{store.path} has no month that both sides cover; build the store first "
            "(make demo, or dyadwatch demo)"
        )
    first = min(s.month for s in record)
    verdicts = {(v.month, v.front): v for v in verdict_history(store, settings, first, last)}
    naive = naive_flags(store, settings, first, last)
    alerts = [a for a in find_alerts(store, settings, since=first) if a.level in ALERT_LEVELS]
    outcomes = tuple(
        _outcome(shift, verdicts, naive, alerts) for shift in record if shift.month <= last
    )
    window = [
        v
        for (month, front), v in verdicts.items()
        if front != "all" and month >= f"{FALSE_ALARM_FROM:%Y-%m}"
    ]
    uncovered = sorted(
        {v.month for v in window if v.verdict == INSUFFICIENT and v.front == front_keys()[0]}
    )
    return VerdictScores(
        first=first,
        last=last,
        outcomes=outcomes,
        front_months=len(window),
        deteriorated=sum(v.verdict == "deteriorated" for v in window),
        judged_front_months=sum(v.judged for v in window),
        insufficient_front_months=sum(v.verdict == INSUFFICIENT for v in window),
        naive_flagged=sum(naive.get((v.month, v.front), False) for v in window),
        months_without_coverage=tuple(uncovered),
    )


def naive_flags(
    store: Store, settings: Settings, first: dt.date, last: dt.date
) -> dict[tuple[str, str], bool]:
    """The naive rule per (month, front): the month's count above 1.5 × its 6-month mean."""
    start = (pd.Timestamp(first) - pd.DateOffset(months=NAIVE_MONTHS)).date()
    end = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()
    months = pd.date_range(start, last, freq="MS")
    out: dict[tuple[str, str], bool] = {}
    events = store.ibis.table("events")
    for front in front_keys():
        spec = relationship_spec(settings.dyad_countries, front=front, since=start, until=end)
        t = index_rows_expr(events, spec)
        counts = t.group_by("period").aggregate(n=t.count()).to_pandas()
        series = pd.Series(0.0, index=months)
        for period, n in zip(pd.to_datetime(counts["period"]), counts["n"], strict=True):
            series[period] = float(n)
        mean = series.shift(1).rolling(NAIVE_MONTHS, min_periods=NAIVE_MONTHS).mean()
        for month, value in series.items():
            out[(f"{month:%Y-%m}", front)] = bool(value > NAIVE_RATIO * mean[month])
    return out


def _outcome(
    shift: Shift,
    verdicts: dict[tuple[str, str], Verdict],
    naive: dict[tuple[str, str], bool],
    alerts: list[Alert],
) -> ShiftOutcome:
    months = [f"{shift.month:%Y-%m}", f"{_add_months(shift.month, 1):%Y-%m}"]
    chosen = [verdicts[(m, shift.front)] for m in months if (m, shift.front) in verdicts]
    found = any(_matches(v, shift.direction) for v in chosen)
    return ShiftOutcome(
        shift=shift,
        covered=any(v.verdict != INSUFFICIENT for v in chosen),
        found=found,
        naive_found=any(naive.get((m, shift.front), False) for m in months),
        lead_months=_lead(shift, alerts),
        why=_why(found, chosen),
    )


def _why(found: bool, chosen: list[Verdict]) -> str:
    if found:
        return "found"
    if all(v.verdict == INSUFFICIENT for v in chosen):
        return "no coverage"
    if not any(v.judged for v in chosen):
        return "too few events"
    return "judged otherwise"


def _matches(verdict: Verdict, direction: str) -> bool:
    if direction == "worse":
        return verdict.verdict == "deteriorated" or WORSE_FLAG in verdict.flags
    return verdict.verdict == "improved" or BETTER_FLAG in verdict.flags


def _lead(shift: Shift, alerts: list[Alert]) -> int | None:
    earliest = _add_months(shift.month, -LEAD_BEFORE)
    latest = _add_months(shift.month, 1)
    leads = [
        _months_between(alert.start.replace(day=1), shift.month)
        for alert in alerts
        if alert.kind == "events"
        and alert.front in (shift.front, "all")
        and earliest <= alert.start <= latest + dt.timedelta(days=30)
        and _alert_direction(alert) == shift.direction
    ]
    return max(leads) if leads else None


def _alert_direction(alert: Alert) -> str:
    conflict = alert.series.startswith("conflict")
    rose = alert.value > alert.baseline
    return "worse" if conflict == rose else "better"


def _add_months(month: dt.date, n: int) -> dt.date:
    return (pd.Timestamp(month) + pd.DateOffset(months=n)).date()


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def lead_summary(scores: VerdictScores) -> tuple[int, float | None]:
    """How many shifts an alert led or followed, and the median lead in months."""
    leads = [o.lead_months for o in scores.outcomes if o.lead_months is not None]
    return len(leads), (statistics.median(leads) if leads else None)


def by_front(scores: VerdictScores) -> dict[str, tuple[int, int, int]]:
    """Per front: shifts, found by the verdicts, found by the naive rule."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for o in scores.outcomes:
        row = out[o.shift.front]
        row[0] += 1
        row[1] += o.found
        row[2] += o.naive_found
    return {front: (a, b, c) for front, (a, b, c) in sorted(out.items())}
