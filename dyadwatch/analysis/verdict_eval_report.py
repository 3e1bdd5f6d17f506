"""The verdicts' section of ``EVALUATION.md``, from :class:`VerdictScores`."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from dyadwatch.analysis.verdict_eval import (
    FALSE_ALARM_FROM,
    LEAD_BEFORE,
    ShiftOutcome,
    VerdictScores,
    by_front,
    lead_summary,
)

TARGET_RECALL, TARGET_FALSE_ALARMS = 0.8, 0.20


def render(scores: VerdictScores, *, command: str, today: dt.date) -> str:
    lines = [
        "## Verdicts against the record of documented shifts",
        "",
        f"Produced by `{command}` on the store built by `make demo`, {today}. The record",
        "(`dyadwatch/data/eval/documented_shifts.csv`, described in its README) was written",
        "from the public record and is read only here: no month, date or event from it",
        "reaches the detector or its thresholds. Its shifts are split in two by a hash of",
        "their date, front and direction: changes to the detector may be checked on the dev",
        "half; the test half is frozen and reported as it comes out.",
        "",
        *_record_lines(scores),
        "",
        *_main_table(scores),
        "",
        *_targets(scores),
        "",
        *_why_lines(scores),
        "",
        "### Per front",
        "",
        "| front | shifts | found by the verdicts | found by the naive rule |",
        "|---|---:|---:|---:|",
        *(f"| {f} | {n} | {a} | {b} |" for f, (n, a, b) in by_front(scores).items()),
        "",
        "### Each shift",
        "",
        "| date | front | direction | actor | split | verdicts | naive | alert lead |",
        "|---|---|---|---|---|---|---|---:|",
        *(_shift_row(o) for o in scores.outcomes),
        "",
        *_coverage_lines(scores),
    ]
    return "\n".join(lines) + "\n"


def _record_lines(scores: VerdictScores) -> list[str]:
    shifts = [o.shift for o in scores.outcomes]
    fronts = Counter(s.front for s in shifts)
    actors = Counter(s.actor for s in shifts)
    directions = Counter(s.direction for s in shifts)
    return [
        f"The record holds {len(shifts)} shifts up to {scores.last:%Y-%m}, the latest month "
        f"both sides cover ({directions['worse']} worse, {directions['better']} better); "
        f"by front {_counts(fronts)}; by actor {_counts(actors)}.",
    ]


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {n}" for key, n in sorted(counter.items()))


def _main_table(scores: VerdictScores) -> list[str]:
    n = len(scores.outcomes)
    covered = sum(o.covered for o in scores.outcomes)
    led, median = lead_summary(scores)
    median_text = "n/a" if median is None else f"{median:+.1f}"
    splits = {k: sum(o.shift.split == k for o in scores.outcomes) for k in ("dev", "test")}
    return [
        "| measure | verdicts | naive rule |",
        "|---|---:|---:|",
        *(
            f"| recall, {k} split ({splits[k]} shifts{'; frozen' if k == 'test' else ''}) | "
            f"{scores.recall(split=k):.2f} | {scores.recall(naive=True, split=k):.2f} |"
            for k in ("dev", "test")
        ),
        f"| recall, all {n} shifts | {scores.recall():.2f} | {scores.recall(naive=True):.2f} |",
        f"| recall, the {covered} shifts whose front-month has coverage of both sides | "
        f"{scores.recall(covered_only=True):.2f} | "
        f"{scores.recall(naive=True, covered_only=True):.2f} |",
        f"| share of front-months flagged, {FALSE_ALARM_FROM:%Y-%m} to {scores.last:%Y-%m} "
        f"({scores.front_months} front-months; verdicts: *deteriorated*) | "
        f"{scores.false_alarm_share:.3f} | {scores.naive_share:.3f} |",
        f"| front-months judged *insufficient coverage* | {scores.insufficient_front_months} | |",
        f"| front-months with enough events to judge | {scores.judged_front_months} | |",
        f"| shifts with an event alert from {LEAD_BEFORE} months before to 1 after, "
        f"in their direction; median lead in months (+: before) | {led} of {n}; "
        f"{median_text} | |",
    ]


def _why_lines(scores: VerdictScores) -> list[str]:
    why = Counter(o.why for o in scores.outcomes)
    n = len(scores.outcomes)
    return [
        f"**Why.** Of the {n} shifts, {why['found']} were found; {why['no coverage']} fell in "
        f"front-months (the shift's and the next) without coverage of both sides, "
        f"{why['too few events']} in front-months with too few events to judge, and "
        f"{why['judged otherwise']} were judged but not in the shift's direction. Only "
        f"{scores.judged_front_months} of the {scores.front_months} front-months from "
        f"{FALSE_ALARM_FROM:%Y-%m} hold enough events between the two countries to judge: the "
        "coder finds about one in five of the events between the two countries "
        "(its recall in the coder's part above), and few of those fall on any one front in "
        f"a month. The naive rule flags {scores.naive_share:.0%} of all front-months, with no "
        "direction, which buys its recall.",
    ]


def _targets(scores: VerdictScores) -> list[str]:
    recall, share = scores.recall(), scores.false_alarm_share
    better = recall > scores.recall(naive=True) and share < scores.naive_share
    return [
        "**Targets.** "
        f"Recall at least {TARGET_RECALL}: {'met' if recall >= TARGET_RECALL else 'not met'} "
        f"({recall:.2f}). At most {TARGET_FALSE_ALARMS:.2f} of front-months flagged "
        f"*deteriorated*: {'met' if share <= TARGET_FALSE_ALARMS else 'not met'} ({share:.3f}). "
        f"Better than the naive rule on both: {'yes' if better else 'no'}.",
    ]


def _shift_row(o: ShiftOutcome) -> str:
    s = o.shift
    lead = "" if o.lead_months is None else f"{o.lead_months:+d}"
    return (
        f"| {s.date} | {s.front} | {s.direction} | {s.actor} | {s.split} "
        f"| {o.why} | {'found' if o.naive_found else 'missed'} "
        f"| {lead} |"
    )


def _coverage_lines(scores: VerdictScores) -> list[str]:
    months = scores.months_without_coverage
    if not months:
        return ["Every month from 2021-01 has coverage of both sides."]
    return [
        f"**Months judged insufficient coverage** ({len(months)}, from "
        f"{FALSE_ALARM_FROM:%Y-%m}): {', '.join(months)}.",
    ]


def scores_to_dict(scores: VerdictScores, *, command: str, today: dt.date) -> dict[str, object]:
    """The headline numbers as data (bundled as ``data/eval/verdict_scores.json`` for the
    methods page, which reads only package data)."""
    led, median = lead_summary(scores)
    n = len(scores.outcomes)

    def both(split: str | None = None, covered_only: bool = False) -> dict[str, float]:
        ours = scores.recall(split=split, covered_only=covered_only)
        naive = scores.recall(naive=True, split=split, covered_only=covered_only)
        return {"verdicts": round(ours, 3), "naive": round(naive, 3)}

    return {
        "date": today.isoformat(),
        "command": command,
        "first": scores.first.isoformat(),
        "last": f"{scores.last:%Y-%m}",
        "shifts": n,
        "covered_shifts": sum(o.covered for o in scores.outcomes),
        "recall": {
            "dev": both(split="dev"),
            "test": both(split="test"),
            "all": both(),
            "covered": both(covered_only=True),
        },
        "flagged_share": {
            "from": f"{FALSE_ALARM_FROM:%Y-%m}",
            "front_months": scores.front_months,
            "verdicts": round(scores.false_alarm_share, 3),
            "naive": round(scores.naive_share, 3),
        },
        "judged_front_months": scores.judged_front_months,
        "insufficient_front_months": scores.insufficient_front_months,
        "alert_lead": {"shifts_led": led, "median_months": median},
        "targets": {"recall": TARGET_RECALL, "flagged_share": TARGET_FALSE_ALARMS},
    }
