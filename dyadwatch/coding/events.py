"""Layer L3: does a sentence report an event, and of which PLOVER type?

:class:`EventTyper` is a hybrid of two parts:

1. **Triggers** (:mod:`dyadwatch.coding.triggers`): a bilingual lexicon of the words that
   perform an act, with speech-act rules (governing threats, demands, promises, refusals
   and accusations; negation; modals; future tense). When it fires it decides the type.
2. **A classifier** (:mod:`dyadwatch.coding.classifier`, TF-IDF + logistic loss, labels
   = 19 PLOVER types + NONE). It is the "is event" gate and the fallback:

   * a sentence with a hand-written trigger is an event without consulting the
     classifier (a NONE ≥ 0.9 veto fired on 2 of about 1,100 dev sentences and cost a
     third of the run time); one with only derived (PETRARCH) triggers only when NONE <
     :data:`WEAK_GATE`; derived triggers get confidence :data:`WEAK_CONFIDENT` when a hand-written
     trigger fired too or NONE < :data:`CONFIDENT_NONE`, else :data:`WEAK_UNSURE`;
   * the act coded (listed first, with the highest confidence) is the first usable
     trigger in sentence order: the main clause's verb in news style, as PETRARCH codes
     it. In Spanish, hand-written triggers go first (the derived lexicon is noisier);
     the other triggers follow, scaled by :data:`SECONDARY`;
   * with no trigger, a sentence of ≥ :data:`MIN_TOKENS` words is an event only when the
     classifier's top label is a type with probability ≥ :data:`FALLBACK_MIN`; the trigger
     then spans a guess at the main verb (:func:`~dyadwatch.coding.triggers.main_verb`),
     or is empty at 0, with confidence scaled by :data:`FALLBACK_SCALE`.

Type decisions for the U.S.–Mexico cases (PLOVER manual, documented in
``data/triggers/PROVENANCE.md`` too):

* impose / raise tariffs → SANCTION ``discontinue`` (manual: economic sanctions are
  SANCTION discontinue; a tariff cuts existing commercial exchange); pausing or lifting
  them → RETREAT ``ease``; a threat of tariffs → THREATEN;
* designate cartels as terrorist organizations → COERCE ``ban`` (CAMEO's own pattern "add
  to list of banned parties", 1722, maps to COERCE ban; the target is a criminal group, not
  a relation being reduced);
* extradite / hand over to the United States → COOPERATE (manual: "cooperation on judicial
  matters, such as extraditions"); deport → COERCE ``deport``;
* sign an agreement → SUPPORT (manual: SUPPORT covers "ratify, sign, or finalize an
  agreement"; *promises* to sign are AGREE); agree / reach a deal / pledge → AGREE;
* deploy or send troops, National Guard → MOBILIZE ``troops``; agents, police → ``police``;
* spoke by phone / call → CONSULT ``phone``; meet, talks → CONSULT; visit → ``visit``;
* drone strike → FIGHT ``drone``; airstrikes, strikes on camps → FIGHT ``aerial``; armed
  clashes, ambushes (CAMEO 190/193) → FIGHT ``firearms``; killings → FIGHT here, and
  ASSAULT in the pipeline unless the killer or the killed is an organized armed force;
  massacres, assassinations, bombings, attacks on civilians → ASSAULT; kidnapping →
  ASSAULT ``abduct``;
* arrest, detain, charge → COERCE ``arrest``; seize drugs, raid labs → COERCE ``seize``;
* smuggle, traffic, extort, launder → CRIME; protest, march, blockade → PROTEST.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from dyadwatch.coding.classifier import NONE, SentenceClassifier, load_classifier
from dyadwatch.coding.triggers import CONFIDENCE, main_verb, scan
from dyadwatch.coding.types import Trigger

WEAK_GATE = 0.5
MIN_TOKENS = 5
FALLBACK_MIN = 0.6
FALLBACK_SCALE = 0.6
MAX_TRIGGERS = 3
# Derived (PETRARCH) triggers: confidence by kind, when the classifier is confident the
# sentence reports an event (NONE < CONFIDENT_NONE) or not.
CONFIDENT_NONE = 0.3
WEAK_CONFIDENT = {"pattern": 0.75, "verb": 0.65}
WEAK_UNSURE = {"pattern": 0.6, "verb": 0.5}
SECONDARY = 0.9


@dataclass(frozen=True, slots=True)
class EventTyper:
    """Detects the events a sentence reports. Build it with :func:`load_event_typer`."""

    classifier: SentenceClassifier

    def detect(self, sentence: str, *, lang: str) -> list[Trigger]:
        """Triggers of the events a sentence reports, best first; [] when it reports none."""
        return self.detect_many([sentence], lang=lang)[0]

    def detect_many(self, sentences: Sequence[str], *, lang: str) -> list[list[Trigger]]:
        """:meth:`detect` for many sentences; the classifier runs once, on candidates only."""
        scanned = [scan(s, lang=lang) for s in sentences]
        todo = [i for i, s in enumerate(sentences) if _needs_classifier(s, scanned[i])]
        probs = dict(zip(todo, self.classifier.proba([sentences[i] for i in todo]), strict=True))
        return [
            _decide(sentence, scanned[i], probs.get(i), lang=lang)
            for i, sentence in enumerate(sentences)
        ]


@functools.cache
def load_event_typer() -> EventTyper:
    """The event typer with the bundled lexicons and classifier (cached)."""
    return EventTyper(classifier=load_classifier())


def _needs_classifier(sentence: str, triggers: list[Trigger]) -> bool:
    if any(t.confidence >= CONFIDENCE["hand"] for t in triggers):
        return False  # a hand-written trigger decides alone (see the module docstring)
    return bool(triggers) or len(sentence.split()) >= MIN_TOKENS


def _decide(
    sentence: str, triggers: list[Trigger], probs: dict[str, float] | None, *, lang: str
) -> list[Trigger]:
    strong = any(t.confidence >= CONFIDENCE["hand"] for t in triggers)
    if probs is None and not strong:
        return []
    if not triggers:
        return _fallback(sentence, probs, lang=lang) if probs is not None else []
    if probs is not None and probs[NONE] >= WEAK_GATE:
        return []
    # a hand-written trigger, or the classifier, vouches that the sentence reports an event
    confident = probs is None or probs[NONE] < CONFIDENT_NONE
    weak_conf = WEAK_CONFIDENT if confident else WEAK_UNSURE
    calibrated = [
        t if t.confidence >= CONFIDENCE["hand"] else _with(t, weak_conf[_source(t)])
        for t in triggers
    ]
    usable = [t for t in calibrated if not t.negated and _codable(t)]
    if lang == "es":
        # The Spanish derived lexicon has no lemmatizer and is noisier: hand triggers first.
        usable = [t for t in usable if t.confidence >= CONFIDENCE["hand"]] or usable
    if not usable:
        return _dedupe(calibrated)
    # The act coded is the first one the sentence reports (the main clause's verb comes
    # first in news style: "X said on Monday it would send troops, after Y attacked ...").
    primary = usable[0]
    others = [_with(t, min(t.confidence, primary.confidence) * SECONDARY) for t in calibrated]
    return _dedupe([primary, *(t for t in others if t.start != primary.start)])


def _codable(trigger: Trigger) -> bool:
    return not trigger.hypothetical or trigger.plover_type == "THREATEN"


def _source(trigger: Trigger) -> str:
    return "pattern" if trigger.confidence >= CONFIDENCE["pattern"] else "verb"


def _dedupe(triggers: list[Trigger]) -> list[Trigger]:
    """One trigger per type, the primary first; at most MAX_TRIGGERS."""
    seen: dict[str, Trigger] = {}
    for trigger in triggers:
        seen.setdefault(trigger.plover_type, trigger)
    return list(seen.values())[:MAX_TRIGGERS]


def _fallback(sentence: str, probs: dict[str, float], *, lang: str) -> list[Trigger]:
    """No trigger: the classifier's top type, when confident, on the sentence's main verb."""
    label, prob = max(probs.items(), key=lambda item: item[1])
    if label == NONE or prob < FALLBACK_MIN:
        return []
    start, end = main_verb(sentence, lang=lang)
    trigger = Trigger(start, end, sentence[start:end], str(label), None, float(prob))
    return [_scaled(trigger, FALLBACK_SCALE)]


def _with(trigger: Trigger, confidence: float) -> Trigger:
    return replace(trigger, confidence=round(confidence, 3))


def _scaled(trigger: Trigger, factor: float) -> Trigger:
    return replace(trigger, confidence=round(trigger.confidence * factor, 3))
