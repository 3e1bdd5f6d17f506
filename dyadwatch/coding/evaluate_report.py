"""EVALUATION.md and JSON from :class:`~dyadwatch.coding.evaluate.EvaluationReport`.

The first report is the coder under test; the others (the majority baseline) are shown
beside it in every table. Targets are checked on the first report only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from dyadwatch.coding.devsets import DEVSET_FILES, ENGLISH_NEWS_SETS, SPANISH_SETS
from dyadwatch.coding.evaluate import OVERALL, EvaluationReport, SetScore
from dyadwatch.coding.evaluate import __doc__ as DEFINITIONS


@dataclass(frozen=True, slots=True)
class Target:
    """A goal from the issue: ``metric`` of ``scope`` compared with ``bound``."""

    label: str
    scope: str  # a group or set name, or "process" for memory
    metric: str
    bound: float
    higher_is_better: bool


@dataclass(frozen=True, slots=True)
class TargetCheck:
    target: Target
    value: float | None
    met: bool | None  # None: the scope was not evaluated


TARGETS: tuple[Target, ...] = (
    Target("event type accuracy, English news", "english_news", "type_accuracy", 0.80, True),
    Target("quad class accuracy, English news", "english_news", "quad_accuracy", 0.90, True),
    Target("event type accuracy, Spanish", "spanish", "type_accuracy", 0.75, True),
    Target(
        "false events, share of all inputs (the issue's measure)",
        OVERALL,
        "false_event_share",
        0.10,
        False,
    ),
    Target(
        "false events, share of no-event sentences (stricter)",
        OVERALL,
        "false_event_rate",
        0.10,
        False,
    ),
    Target("throughput (sentences/s), all sets", OVERALL, "sentences_per_second", 300, True),
    Target("peak memory (MB)", "process", "peak_rss_mb", 2048, False),
)

_ROWS: tuple[tuple[str, str], ...] = (
    ("sentences coded", "n_inputs"),
    ("scored (labelled, distinct)", "n_scored"),
    ("with a PLOVER event / without", "n_event_split"),
    ("event type accuracy", "type_accuracy"),
    ("event type macro-F1", "type_macro_f1"),
    ("any-match accuracy", "any_match_accuracy"),
    ("quad class accuracy", "quad_accuracy"),
    ("source country accuracy (n)", "source_country"),
    ("target country accuracy (n)", "target_country"),
    ("false-event rate (of no-event sentences)", "false_event_rate"),
    ("false events (share of scored)", "false_event_share"),
    ("miss rate (of event sentences)", "miss_rate"),
    ("sentences/s", "sentences_per_second"),
)

_SET_NOTES = f"""\
## About the sets

- **English news** pools `{"`, `".join(ENGLISH_NEWS_SETS)}`. `gigaword` has no codings of
  its own: PETR2_GSR's codings were made from it, so a gigaword sentence takes the GSR
  gold of the same text, and a sentence both files hold counts once in the pool. Of the
  78 GSR records only 18 are AFP news; the rest (and part of gigaword) are short test
  sentences, which is why `plovigy` (289 Reuters sentences) carries most of the pool.
- **`petr_unit` is reported on its own**, outside the English news targets: it is
  PETRARCH's unit-test suite, stylised sentences about fictional countries (Arnor, Gondor)
  with PETRARCH's private test codes (2xx, 345, 802, 9xx, left unscored) and records whose
  expected output depends on parser options. It tests a pattern engine, not news reading.
- **`plovigy_dedi`** (30 protest records, CAMEO code only, no actors) is reported on its
  own and joins `overall` only.
- **Spanish** pools `{"`, `".join(SPANISH_SETS)}`.
- The majority baseline answers, on each set, the most frequent primary gold type of that
  set (fitted on the set it is scored on, so it is an optimistic reference), with no
  actors; it reports an event on every sentence, so its false-event rate is 1 and its
  miss rate 0.
"""


def check_targets(report: EvaluationReport) -> tuple[TargetCheck, ...]:
    """Each target of the issue, met or not on this report (None when not evaluated)."""
    return tuple(_check(target, report) for target in TARGETS)


def report_to_dict(report: EvaluationReport) -> dict[str, object]:
    """A JSON-ready dict of the report (without the per-sentence outcomes)."""
    return {
        "coder": {"name": report.coder_name, "version": report.coder_version},
        "peak_rss_mb": round(report.peak_rss_mb, 1),
        "sets": [_score_dict(score) for score in report.sets],
        "groups": [_score_dict(score) for score in report.groups],
        "targets": [
            {"target": check.target.label, "value": check.value, "met": check.met}
            for check in check_targets(report)
        ],
    }


def write_evaluation_md(
    reports: Sequence[EvaluationReport],
    path: Path,
    *,
    command: str,
    today: dt.date,
    extra: Sequence[str] = (),
) -> Path:
    """Write EVALUATION.md for ``reports`` (coder first, baselines after) and return its path.

    ``extra`` sections (Markdown) go after the scores, before the notes.
    """
    path = Path(path)
    text = evaluation_markdown(reports, command=command, today=today, extra=extra)
    path.write_text(text, encoding="utf-8")
    return path


def evaluation_markdown(
    reports: Sequence[EvaluationReport],
    *,
    command: str,
    today: dt.date,
    extra: Sequence[str] = (),
) -> str:
    """The text of EVALUATION.md."""
    main = reports[0]
    parts = [
        _header(reports, command=command, today=today),
        _targets_section(reports),
        *(_score_section(reports, score.name, "Group") for score in main.groups),
        *(_score_section(reports, score.name, "Set") for score in main.sets),
        _confusion_section(main),
        *extra,
        _SET_NOTES,
        "## Definitions\n\n" + (DEFINITIONS or "").strip() + "\n",
    ]
    return "\n".join(parts)


# -- sections ----------------------------------------------------------------------------


def _header(reports: Sequence[EvaluationReport], *, command: str, today: dt.date) -> str:
    coders = ", ".join(f"`{r.coder_name}` {r.coder_version}" for r in reports)
    files = ", ".join(f"`{name}` ({DEVSET_FILES[name]})" for name in _set_names(reports[0]))
    return (
        "# Coder evaluation\n\n"
        f"Generated on {today.isoformat()} by:\n\n```console\n{command}\n```\n\n"
        f"Coders: {coders}. Dev sets (`shared/data/devsets`): {files}.\n"
    )


def _targets_section(reports: Sequence[EvaluationReport]) -> str:
    names = [r.coder_name for r in reports]
    lines = [
        "## Targets\n",
        "| target | bound | " + " | ".join(names) + " | met |",
        "|---|---:|" + "---:|" * len(names) + ":-:|",
    ]
    checks = [check_targets(r) for r in reports]
    for index, target in enumerate(TARGETS):
        sign = "≥" if target.higher_is_better else "≤"
        values = " | ".join(_fmt(c[index].value) for c in checks)
        lines.append(
            f"| {target.label} | {sign} {target.bound:g} | {values} | {_met(checks[0][index])} |"
        )
    return "\n".join(lines) + "\n"


def _score_section(reports: Sequence[EvaluationReport], name: str, kind: str) -> str:
    scores = [_maybe_score(r, name) for r in reports]
    lines = [
        f"## {kind} `{name}`\n",
        "| measure | " + " | ".join(r.coder_name for r in reports) + " |",
        "|---|" + "---:|" * len(reports),
    ]
    for label, key in _ROWS:
        lines.append(f"| {label} | " + " | ".join(_cell(s, key) for s in scores) + " |")
    return "\n".join(lines) + "\n"


def _confusion_section(report: EvaluationReport) -> str:
    lines = [f"## Top confusions of `{report.coder_name}`\n"]
    for score in (*report.groups, *report.sets):
        if not score.confusions:
            continue
        pairs = ", ".join(f"{c.gold} → {c.predicted} ({c.count})" for c in score.confusions)
        lines.append(f"- **{score.name}**: {pairs}")
    if len(lines) == 1:
        lines.append("- none")
    return "\n".join(lines) + "\n"


# -- cells -------------------------------------------------------------------------------


def _cell(score: SetScore | None, key: str) -> str:
    if score is None:
        return "–"
    metrics = score.metrics
    if key == "n_inputs":
        return str(score.n_inputs)
    if key == "n_event_split":
        return f"{metrics.n_event} / {metrics.n_no_event}"
    if key == "sentences_per_second":
        return _fmt(score.sentences_per_second, digits=0)
    if key in ("source_country", "target_country"):
        value = getattr(metrics, f"{key}_accuracy")
        return f"{_fmt(value)} ({getattr(metrics, f'n_{key}')})"
    value = getattr(metrics, key)
    return str(value) if isinstance(value, int) else _fmt(value)


def _fmt(value: float | None, *, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if digits == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _met(check: object) -> str:
    met = getattr(check, "met", None)
    return "n/a" if met is None else ("yes" if met else "**no**")


# -- helpers -----------------------------------------------------------------------------


def _check(target: Target, report: EvaluationReport) -> TargetCheck:
    value = _target_value(target, report)
    if value is None:
        return TargetCheck(target, None, None)
    met = value >= target.bound if target.higher_is_better else value <= target.bound
    return TargetCheck(target, value, met)


def _target_value(target: Target, report: EvaluationReport) -> float | None:
    if target.scope == "process":
        return report.peak_rss_mb
    score = _maybe_score(report, target.scope)
    if score is None and target.scope == OVERALL and len(report.sets) == 1:
        score = report.sets[0]
    if score is None:
        return None
    getter: Callable[[SetScore], float | None] = (
        (lambda s: s.sentences_per_second)
        if target.metric == "sentences_per_second"
        else (lambda s: getattr(s.metrics, target.metric))
    )
    return getter(score)


def _maybe_score(report: EvaluationReport, name: str) -> SetScore | None:
    try:
        return report.score(name)
    except KeyError:
        return None


def _set_names(report: EvaluationReport) -> list[str]:
    return [score.name for score in report.sets]


def _score_dict(score: SetScore) -> dict[str, object]:
    return {
        "name": score.name,
        "sets": list(score.sets),
        "n_inputs": score.n_inputs,
        "seconds": round(score.seconds, 4),
        "sentences_per_second": score.sentences_per_second,
        "metrics": asdict(score.metrics),
        "confusions": [asdict(c) for c in score.confusions],
    }
