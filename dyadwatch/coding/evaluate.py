"""Measure a coder on the labelled dev sets, beside the majority baseline.

Each set is coded with one ``code_many`` call over all its sentences (wall clock timed).
Scores are then computed on the *scored* sentences: the labelled ones (see
:mod:`dyadwatch.coding.devsets`), each distinct (language, text, gold) counted once. A
scored sentence is an *event sentence* when its gold has a PLOVER event (set E) and a
*no-event sentence* otherwise (set N: ``noevents``, no coding, a discard, or only 01x/02x
codes). For a sentence, *top* is the coded event with the highest confidence (the first
one on ties) and *primary* is its first gold event with a PLOVER type.

* ``type_accuracy``: share of E where top's type equals primary's type (no event: wrong).
* ``type_macro_f1``: over E, gold = primary type, prediction = top's type or none; the
  unweighted mean of per-type F1 = 2tp / (2tp + fp + fn) over every type that is a gold
  or predicted label. A missing prediction is a false negative of the gold type, not a
  class of its own.
* ``any_match_accuracy``: share of E where any coded type equals any gold type.
* ``quad_accuracy``: share of E where top's quad class equals primary's (no event: wrong).
* ``source_country_accuracy`` / ``target_country_accuracy``: over the sentences of E
  whose primary gold actor has a country, the share where top's actor has that country.
* ``false_event_rate``: share of N on which the coder reports at least one event.
  ``false_event_share`` divides the same count by every scored sentence instead.
* ``miss_rate``: share of E on which the coder reports no event.
* throughput: sentences coded (all loaded sentences, labelled or not) per second of
  ``code_many`` wall clock; ``peak_rss_mb``: the process's peak resident memory
  (``getrusage`` max RSS) after the last set, models and dev sets included.

A metric whose denominator is empty is None. Groups pool the outcomes of their sets with
the same de-duplication: ``english_news`` (petr2_gsr, gigaword, plovigy; the gigaword
sentences GSR also holds count once), ``spanish`` (es_validation, es_fight) and
``overall`` (every evaluated set). A group is reported only when all its sets were.
"""

from __future__ import annotations

import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from dyadwatch.coding.baseline import MajorityCoder
from dyadwatch.coding.devsets import (
    ENGLISH_NEWS_SETS,
    SPANISH_SETS,
    LabelledSentence,
    normalised_text,
)
from dyadwatch.coding.protocol import Coder
from dyadwatch.coding.types import CodedEvent
from dyadwatch.ontology import quad_class_for_plover

GROUPS: dict[str, tuple[str, ...]] = {"english_news": ENGLISH_NEWS_SETS, "spanish": SPANISH_SETS}
OVERALL = "overall"
TOP_CONFUSIONS = 10
NO_EVENT = "(none)"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the coder answered on one sentence, beside the gold."""

    set_name: str
    sentence_id: str
    key: tuple[str, str, tuple[str | None, ...]]  # (lang, normalised text, gold codes)
    labelled: bool
    gold_type: str | None
    gold_types: tuple[str, ...]
    gold_source_country: str | None
    gold_target_country: str | None
    coded_types: tuple[str, ...]
    top_type: str | None
    top_quad: int | None
    top_source_country: str | None
    top_target_country: str | None


@dataclass(frozen=True, slots=True)
class Metrics:
    """Scores over one set or group (definitions in the module docstring)."""

    n_scored: int
    n_event: int
    n_no_event: int
    type_accuracy: float | None
    type_macro_f1: float | None
    any_match_accuracy: float | None
    quad_accuracy: float | None
    source_country_accuracy: float | None
    n_source_country: int
    target_country_accuracy: float | None
    n_target_country: int
    false_event_rate: float | None
    false_event_share: float | None
    miss_rate: float | None


@dataclass(frozen=True, slots=True)
class Confusion:
    """How often a gold type got another top type (``(none)``: no event coded)."""

    gold: str
    predicted: str
    count: int


@dataclass(frozen=True, slots=True)
class SetScore:
    """The scores of one dev set, or of a group of sets pooled."""

    name: str
    sets: tuple[str, ...]
    n_inputs: int
    seconds: float
    metrics: Metrics
    confusions: tuple[Confusion, ...]

    @property
    def sentences_per_second(self) -> float | None:
        return self.n_inputs / self.seconds if self.seconds > 0 else None


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """One coder measured on some dev sets."""

    coder_name: str
    coder_version: str
    sets: tuple[SetScore, ...]
    groups: tuple[SetScore, ...]
    peak_rss_mb: float
    outcomes: tuple[Outcome, ...]

    def score(self, name: str) -> SetScore:
        """The score of a set or group by name; KeyError if it was not evaluated."""
        for score in (*self.sets, *self.groups):
            if score.name == name:
                return score
        raise KeyError(name)


def evaluate(
    coder: Coder,
    sets: Mapping[str, Sequence[LabelledSentence]],
    *,
    clock: Callable[[], float] = time.perf_counter,
) -> EvaluationReport:
    """Code every set with ``coder`` and score it, per set and per group."""
    return _evaluate(lambda _rows: coder, sets, clock=clock, identity=coder)


def evaluate_majority(
    sets: Mapping[str, Sequence[LabelledSentence]],
    *,
    clock: Callable[[], float] = time.perf_counter,
) -> EvaluationReport:
    """The majority baseline: on each set, :meth:`MajorityCoder.fit` to that set's gold."""
    fitted = MajorityCoder.fit(())
    return _evaluate(_majority_for, sets, clock=clock, identity=fitted)


def evaluate_with_baseline(
    coder: Coder,
    sets: Mapping[str, Sequence[LabelledSentence]],
    *,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[EvaluationReport, EvaluationReport]:
    """``(coder's report, majority baseline's report)`` on the same sets."""
    return evaluate(coder, sets, clock=clock), evaluate_majority(sets, clock=clock)


def score_outcomes(outcomes: Iterable[Outcome]) -> Metrics:
    """Scores of a list of outcomes (unlabelled ones and repeats are skipped)."""
    scored = _dedupe(o for o in outcomes if o.labelled)
    events = [o for o in scored if o.gold_type is not None]
    quiet = [o for o in scored if o.gold_type is None]
    sources = [o for o in events if o.gold_source_country]
    targets = [o for o in events if o.gold_target_country]
    false_events = sum(bool(o.coded_types) for o in quiet)
    return Metrics(
        n_scored=len(scored),
        n_event=len(events),
        n_no_event=len(quiet),
        type_accuracy=_share(events, lambda o: o.top_type == o.gold_type),
        type_macro_f1=macro_f1([(o.gold_type or "", o.top_type) for o in events]),
        any_match_accuracy=_share(events, lambda o: bool(set(o.coded_types) & set(o.gold_types))),
        quad_accuracy=_share(events, _quad_match),
        source_country_accuracy=_share(
            sources, lambda o: o.top_source_country == o.gold_source_country
        ),
        n_source_country=len(sources),
        target_country_accuracy=_share(
            targets, lambda o: o.top_target_country == o.gold_target_country
        ),
        n_target_country=len(targets),
        false_event_rate=false_events / len(quiet) if quiet else None,
        false_event_share=false_events / len(scored) if scored else None,
        miss_rate=_share(events, lambda o: not o.coded_types),
    )


def macro_f1(pairs: Sequence[tuple[str, str | None]]) -> float | None:
    """Macro-F1 of ``(gold, predicted-or-None)`` pairs over every gold or predicted label."""
    labels = {gold for gold, _ in pairs} | {pred for _, pred in pairs if pred is not None}
    if not labels:
        return None
    scores = []
    for label in sorted(labels):
        tp = sum(gold == label and pred == label for gold, pred in pairs)
        fp = sum(gold != label and pred == label for gold, pred in pairs)
        fn = sum(gold == label and pred != label for gold, pred in pairs)
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def confusions(outcomes: Iterable[Outcome], *, top: int = TOP_CONFUSIONS) -> tuple[Confusion, ...]:
    """The most frequent (gold type → other top type) errors on event sentences."""
    counts = Counter(
        (o.gold_type, o.top_type or NO_EVENT)
        for o in _dedupe(o for o in outcomes if o.labelled)
        if o.gold_type is not None and o.top_type != o.gold_type
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Confusion(gold, pred, n) for (gold, pred), n in ranked[:top])


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- internals ---------------------------------------------------------------------------


def _majority_for(rows: Sequence[LabelledSentence]) -> Coder:
    return MajorityCoder.fit(
        row.primary.plover_type for row in rows if row.has_event and row.primary
    )


def _evaluate(
    coder_for: Callable[[Sequence[LabelledSentence]], Coder],
    sets: Mapping[str, Sequence[LabelledSentence]],
    *,
    clock: Callable[[], float],
    identity: Coder,
) -> EvaluationReport:
    scores, outcomes = [], []
    for name, rows in sets.items():
        score, set_outcomes = _score_set(coder_for(rows), name, rows, clock=clock)
        scores.append(score)
        outcomes.extend(set_outcomes)
    return EvaluationReport(
        coder_name=identity.name,
        coder_version=identity.version,
        sets=tuple(scores),
        groups=_groups(scores, outcomes),
        peak_rss_mb=peak_rss_mb(),
        outcomes=tuple(outcomes),
    )


def _score_set(
    coder: Coder, name: str, rows: Sequence[LabelledSentence], *, clock: Callable[[], float]
) -> tuple[SetScore, list[Outcome]]:
    start = clock()
    coded = coder.code_many([row.to_input() for row in rows]) if rows else []
    seconds = clock() - start
    if len(coded) != len(rows):
        msg = f"{coder.name}.code_many returned {len(coded)} lists for {len(rows)} inputs"
        raise ValueError(msg)
    outcomes = [_outcome(row, events) for row, events in zip(rows, coded, strict=True)]
    return _set_score(name, (name,), outcomes, n_inputs=len(rows), seconds=seconds), outcomes


def _set_score(
    name: str, sets: tuple[str, ...], outcomes: list[Outcome], *, n_inputs: int, seconds: float
) -> SetScore:
    return SetScore(
        name=name,
        sets=sets,
        n_inputs=n_inputs,
        seconds=seconds,
        metrics=score_outcomes(outcomes),
        confusions=confusions(outcomes),
    )


def _groups(scores: list[SetScore], outcomes: list[Outcome]) -> tuple[SetScore, ...]:
    evaluated = [score.name for score in scores]
    wanted = {name: members for name, members in GROUPS.items() if set(members) <= set(evaluated)}
    if len(evaluated) > 1:
        wanted[OVERALL] = tuple(evaluated)
    return tuple(_group(name, members, scores, outcomes) for name, members in wanted.items())


def _group(
    name: str, members: tuple[str, ...], scores: list[SetScore], outcomes: list[Outcome]
) -> SetScore:
    chosen = [score for score in scores if score.name in members]
    return _set_score(
        name,
        members,
        [o for o in outcomes if o.set_name in members],
        n_inputs=sum(score.n_inputs for score in chosen),
        seconds=sum(score.seconds for score in chosen),
    )


def _outcome(row: LabelledSentence, events: Sequence[CodedEvent]) -> Outcome:
    top = max(events, key=lambda event: event.confidence) if events else None
    primary = row.primary
    return Outcome(
        set_name=row.set_name,
        sentence_id=row.id,
        key=(row.lang, normalised_text(row.text), tuple(g.cameo_code for g in row.gold)),
        labelled=row.labelled,
        gold_type=primary.plover_type if primary else None,
        gold_types=row.gold_types,
        gold_source_country=primary.source_country if primary else None,
        gold_target_country=primary.target_country if primary else None,
        coded_types=tuple(event.event_type for event in events),
        top_type=top.event_type if top else None,
        top_quad=top.quad_class if top else None,
        top_source_country=top.source.country if top else None,
        top_target_country=top.target.country if top and top.target else None,
    )


def _dedupe(outcomes: Iterable[Outcome]) -> list[Outcome]:
    seen: set[tuple[str, str, tuple[str | None, ...]]] = set()
    kept = []
    for outcome in outcomes:
        if outcome.key not in seen:
            seen.add(outcome.key)
            kept.append(outcome)
    return kept


def _share(items: Sequence[Outcome], hit: Callable[[Outcome], bool]) -> float | None:
    return sum(hit(item) for item in items) / len(items) if items else None


def _quad_match(outcome: Outcome) -> bool:
    if outcome.gold_type is None or outcome.top_quad is None:
        return False
    return outcome.top_quad == quad_class_for_plover(outcome.gold_type)
