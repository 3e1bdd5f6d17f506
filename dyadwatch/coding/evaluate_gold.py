"""Scores of a coder on the labelled corpus's splits (``dev`` for development, ``test`` frozen).

A sentence is coded with its context (language, publisher, speaker, date). The coder
*counts* an event when it codes one that is asserted with confidence at or above
:data:`~dyadwatch.coding.learned.COUNT_THRESHOLD` (a coder without factuality, such as the
rule baseline, counts every event it codes). Measures:

* **event**: precision and recall of counted events against gold events;
* **dyadic**: precision and recall of counted events between the pair; of the true hits,
  the share with the right direction and the share with the right PLOVER type;
* **type** and **quad**: accuracy on gold events the coder counted (and, end to end, on
  all gold events, a missed event counting as wrong);
* a type confusion matrix, and a reliability table of confidence against correctness.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dyadwatch.coding.gold import GoldSentence
from dyadwatch.coding.learned import COUNT_THRESHOLD, LearnedCoder, build_view
from dyadwatch.coding.protocol import Coder
from dyadwatch.coding.types import CodedEvent, TextInput
from dyadwatch.ontology import quad_class_for_plover


@dataclass(frozen=True, slots=True)
class Prediction:
    gold: GoldSentence
    event: CodedEvent | None
    counted: bool

    def direction(self, pair: tuple[str, str]) -> str:
        if self.event is None or self.event.target is None:
            return "none"
        key = (self.event.source.country, self.event.target.country)
        return "A>B" if key == pair else "B>A" if key == pair[::-1] else "none"


@dataclass(frozen=True, slots=True)
class CoderRun:
    """One coder's predictions on one split, and how fast it made them."""

    coder: str
    split: str
    predictions: Sequence[Prediction]
    sentences_per_second: float


def run_coder(coder: Coder, gold: Sequence[GoldSentence], *, name: str, split: str) -> CoderRun:
    """Predict every sentence of ``gold`` and time it."""
    start = time.perf_counter()
    predictions = predict(coder, gold)
    elapsed = max(time.perf_counter() - start, 1e-9)
    return CoderRun(name, split, predictions, len(gold) / elapsed)


@dataclass(frozen=True, slots=True)
class Scores:
    """The measures over one group of sentences (None where undefined)."""

    n: int
    gold_events: int
    event_precision: float | None
    event_recall: float | None
    gold_dyadic: int
    dyadic_precision: float | None
    dyadic_recall: float | None
    dyadic_direction: float | None
    dyadic_type: float | None
    type_accuracy: float | None
    quad_accuracy: float | None
    type_end_to_end: float | None


def predict(
    coder: Coder, gold: Sequence[GoldSentence], *, threshold: float = COUNT_THRESHOLD
) -> list[Prediction]:
    """The coder's top event for every gold sentence, and whether it is counted."""
    if isinstance(coder, LearnedCoder):
        views = [
            build_view(
                coder.actors,
                g.text,
                lang=g.lang,
                publisher=g.publisher,
                speaker=g.speaker,
                date=g.date,
            )
            for g in gold
        ]
        events = coder.code_views(views)
    else:
        inputs = [
            TextInput(id=g.id, text=g.text, date=g.date, lang=g.lang, country=g.publisher)
            for g in gold
        ]
        events = [
            max(evs, key=lambda e: e.confidence, default=None) for evs in coder.code_many(inputs)
        ]
    return [
        Prediction(g, e, e is not None and e.factuality == "asserted" and e.confidence >= threshold)
        for g, e in zip(gold, events, strict=True)
    ]


def score(predictions: Sequence[Prediction], pair: tuple[str, str]) -> Scores:
    """Every measure over ``predictions``."""
    counted = [p for p in predictions if p.counted]
    gold_events = [p for p in predictions if p.gold.event]
    hits = [p for p in counted if p.gold.event]
    pred_dyadic = [p for p in counted if p.direction(pair) != "none"]
    gold_dyadic = [p for p in predictions if p.gold.direction(pair) != "none"]
    dyadic_hits = [p for p in pred_dyadic if p.gold.direction(pair) != "none"]
    return Scores(
        n=len(predictions),
        gold_events=len(gold_events),
        event_precision=_share(len(hits), len(counted)),
        event_recall=_share(len(hits), len(gold_events)),
        gold_dyadic=len(gold_dyadic),
        dyadic_precision=_share(len(dyadic_hits), len(pred_dyadic)),
        dyadic_recall=_share(len(dyadic_hits), len(gold_dyadic)),
        dyadic_direction=_share(
            sum(p.direction(pair) == p.gold.direction(pair) for p in dyadic_hits), len(dyadic_hits)
        ),
        dyadic_type=_share(sum(_type_right(p) for p in dyadic_hits), len(dyadic_hits)),
        type_accuracy=_share(sum(_type_right(p) for p in hits), len(hits)),
        quad_accuracy=_share(sum(_quad_right(p) for p in hits), len(hits)),
        type_end_to_end=_share(
            sum(p.counted and _type_right(p) for p in gold_events), len(gold_events)
        ),
    )


def _type_right(p: Prediction) -> bool:
    return p.event is not None and p.event.event_type == p.gold.event_type


def _quad_right(p: Prediction) -> bool:
    if p.event is None or p.gold.event_type is None:
        return False
    return p.event.quad_class == quad_class_for_plover(p.gold.event_type)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def grouped(
    predictions: Sequence[Prediction], key: Callable[[GoldSentence], str], pair: tuple[str, str]
) -> dict[str, Scores]:
    """Scores per group (by language, corpus or year)."""
    groups: dict[str, list[Prediction]] = defaultdict(list)
    for p in predictions:
        groups[key(p.gold)].append(p)
    return {k: score(v, pair) for k, v in sorted(groups.items())}


def year_group(g: GoldSentence) -> str:
    """Year bands of the documents (wire sentences have old or no dates)."""
    year = g.year
    if g.corpus == "endev" or year is None:
        return "news wire"
    return "2019-2020" if year <= 2020 else "2021-2024" if year <= 2024 else "2025-2026"


def confusion(predictions: Iterable[Prediction]) -> Counter[tuple[str, str]]:
    """(gold type, coded type) counts over gold events; "-" where none was counted."""
    out: Counter[tuple[str, str]] = Counter()
    for p in predictions:
        if p.gold.event and p.gold.event_type:
            coded = p.event.event_type if (p.counted and p.event) else "-"
            out[(p.gold.event_type, coded)] += 1
    return out


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    low: float
    high: float
    n: int
    mean_confidence: float | None
    share_correct: float | None


def reliability(predictions: Sequence[Prediction], *, bins: int = 5) -> list[ReliabilityBin]:
    """Confidence against correctness (gold event and right type) over every coded event."""
    coded = [(p, p.event.confidence) for p in predictions if p.event is not None]
    out = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        last = b == bins - 1
        inside = [(p, c) for p, c in coded if low <= c < high or (last and c == 1.0)]
        right = sum(1 for p, _ in inside if p.gold.event and _type_right(p))
        mean = sum(c for _, c in inside) / len(inside) if inside else None
        out.append(ReliabilityBin(low, high, len(inside), mean, _share(right, len(inside))))
    return out


def petrarch_agreement(predictions: Sequence[Prediction]) -> float | None:
    """On the English dev texts: the share of gold events whose type PETRARCH-2 also coded."""
    rows = [p for p in predictions if p.gold.corpus == "endev" and p.gold.event]
    return _share(sum(p.gold.event_type in p.gold.petrarch_types for p in rows), len(rows))
