"""The learned coder: document → sentences → relevance → parse → type, factuality, direction.

1. **Segment** each document into sentences with their speaker (:mod:`coding.segment`).
2. **Relevance** for every sentence: is it a specific, asserted, current act? A calibrated
   classifier over words, character n-grams, trigger hits, actors and cues
   (:mod:`coding.features`). Sentences below :data:`GATE_MIN` stop here.
3. **Parse** the rest (spaCy): the subject and objects of the act's governing verb, its
   tense, mood, auxiliaries and negation; relevance again with them. Sentences below
   :data:`CANDIDATE_MIN` stop here.
4. **Type, factuality, direction** from the same features plus the parse's roles.
5. **Actors**: the dictionaries turn the subject and object spans into actors; the
   publisher resolves "we", "nosotros", "the President"; the direction stage decides
   whether the act is between the pair and which way, and the actors follow it.

Every candidate becomes a :class:`CodedEvent` with ``confidence`` (the calibrated P(event))
and ``factuality`` (``asserted`` when P(event) ≥ :data:`COUNT_THRESHOLD`, else the
factuality stage's reason: hypothetical, negated, historical or generic). Downstream counts
only asserted events (``docs/coder.md``); the store keeps the rest for the explorer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from dyadwatch.coding.actors import ActorMatcher, load_actor_matcher, resolve_mentions
from dyadwatch.coding.features import SentenceView, actors_in, dict_features, text_input
from dyadwatch.coding.fronts import fronts_for
from dyadwatch.coding.gazetteer import Gazetteer, load_gazetteer
from dyadwatch.coding.parse import ClauseRoles, clause_roles, parse_many
from dyadwatch.coding.pipeline import MAX_TEXT_CHARS, event_date, first_place, infer_countries
from dyadwatch.coding.roles import as_coded, assign_roles, default_actor
from dyadwatch.coding.segment import segment
from dyadwatch.coding.stages import StageModels, load_models
from dyadwatch.coding.text import detect_lang
from dyadwatch.coding.triggers import scan
from dyadwatch.coding.types import (
    COUNT_THRESHOLD,
    ActorMention,
    CodedActor,
    CodedDocument,
    CodedEvent,
    TextInput,
)
from dyadwatch.ontology import quad_class_for_plover
from dyadwatch.ontology.pairs import DEFAULT_COUNTRIES, Pair, load_pair

CODER_NAME = "dyadwatch-learned"
CODER_VERSION = "0.2.0"
# P(event) without the parse below which a sentence is not parsed; on dev, gates from 0.15
# to 0.4 count the same events, and 0.4 parses a third as many sentences
GATE_MIN = 0.4
CANDIDATE_MIN = 0.3  # P(event) with the parse below which a sentence is not kept
DYADIC_MIN = 0.5  # P(A>B) + P(B>A) at or above which an event is between the pair
# The labelled corpus was drawn from sentences of 6 to 90 words (labels/README.md); shorter
# ones (greetings, "Thank you.", headings) are outside what the stages were trained and
# tested on, and are read but not coded.
MIN_WORDS = 6


@dataclass(slots=True)
class _Sentence:
    doc: int
    index: int
    item: TextInput
    view: SentenceView
    p_event: float = 0.0


@dataclass(frozen=True, slots=True)
class LearnedCoder:
    """Learned relevance, type, factuality and direction; dictionaries and a parse for roles."""

    models: StageModels
    actors: ActorMatcher
    places: Gazetteer
    pair: tuple[str, str] = DEFAULT_COUNTRIES
    config: Pair | None = None  # the pair's fronts and mention words; default: by ``pair``
    name: str = CODER_NAME
    version: str = CODER_VERSION
    candidate_min: float = CANDIDATE_MIN

    def code(self, item: TextInput) -> list[CodedEvent]:
        """Every candidate event of one text (with confidence and factuality)."""
        return self.code_documents([item])[0].events

    def code_document(self, item: TextInput) -> CodedDocument:
        """The events of one text, with the number of sentences read."""
        return self.code_documents([item])[0]

    def code_many(self, items: Sequence[TextInput]) -> list[list[CodedEvent]]:
        """Every candidate event of each text."""
        return [doc.events for doc in self.code_documents(items)]

    def code_documents(self, items: Sequence[TextInput]) -> list[CodedDocument]:
        """Each text coded; each stage runs once over the batch's sentences."""
        sentences, counts = self._read(items)
        candidates, x = self._candidates(sentences)
        events = self._code_candidates(candidates, x)
        per_doc: list[list[CodedEvent]] = [[] for _ in items]
        for sentence, event in zip(candidates, events, strict=True):
            per_doc[sentence.doc].append(event)
        return [CodedDocument(evs, n) for evs, n in zip(per_doc, counts, strict=True)]

    def code_views(self, views: Sequence[SentenceView]) -> list[CodedEvent | None]:
        """Code single sentences given as views (the evaluation's entry point): the event
        of each candidate sentence, None below :data:`CANDIDATE_MIN`."""
        sentences = [
            _Sentence(i, 0, TextInput(id=str(i), text=v.text, lang=v.lang), v)
            for i, v in enumerate(views)
        ]
        candidates, x = self._candidates(sentences)
        out: list[CodedEvent | None] = [None] * len(views)
        for sentence, event in zip(candidates, self._code_candidates(candidates, x), strict=True):
            out[sentence.doc] = event
        return out

    def _config(self) -> Pair:
        return self.config or load_pair("-".join(self.pair))

    def _read(self, items: Sequence[TextInput]) -> tuple[list[_Sentence], list[int]]:
        sentences: list[_Sentence] = []
        counts = []
        for d, item in enumerate(items):
            text = item.text[:MAX_TEXT_CHARS]
            lang = item.lang or detect_lang(text)
            previous: list[ActorMention] = []
            segments = segment(text, lang)
            counts.append(len(segments))
            for seg in segments:
                view = build_view(
                    self.actors,
                    seg.text,
                    lang=lang,
                    publisher=item.country,
                    speaker=seg.speaker,
                    date=item.date,
                    previous=previous,
                )
                item_lang = item if item.lang else replace(item, lang=lang)
                sentences.append(_Sentence(d, seg.index, item_lang, view))
        return sentences, counts

    def _candidates(self, sentences: Sequence[_Sentence]) -> tuple[list[_Sentence], Any]:
        """The gate over every sentence, the parse of what passes, and P(event) again with
        the parse: the sentences at or above :attr:`candidate_min`, and their feature rows
        (with the parse) for the later stages."""
        sentences = [s for s in sentences if len(s.view.text.split()) >= MIN_WORDS]
        self._score_relevance(sentences, self.models.relevance, self._matrix(sentences))
        gated = [s for s in sentences if s.p_event >= GATE_MIN]
        for sentence, view in zip(gated, with_roles([s.view for s in gated]), strict=True):
            sentence.view = view
        x = self._matrix(gated)
        self._score_relevance(gated, self.models.relevance_parsed, x)
        keep = [i for i, s in enumerate(gated) if s.p_event >= self.candidate_min]
        return [gated[i] for i in keep], (x[keep] if keep else None)

    def _score_relevance(self, sentences: Sequence[_Sentence], stage: Any, x: Any) -> None:
        if not sentences:
            return
        column = stage.labels.index("event")
        for sentence, p in zip(sentences, stage.proba(x)[:, column], strict=True):
            sentence.p_event = float(p)

    def _matrix(self, sentences: Sequence[_Sentence]) -> Any:
        if not sentences:
            return None
        views = [s.view for s in sentences]
        texts = [text_input(v) for v in views]
        dicts = [dict_features(v, self.pair) for v in views]
        return self.models.featurizer.matrix(texts, dicts)

    def _code_candidates(self, candidates: Sequence[_Sentence], x: Any) -> list[CodedEvent]:
        if not candidates:
            return []
        types = _ranked(self.models.event_type, x)
        facts = _ranked(self.models.factuality, x)
        directions = self.models.direction.proba(x)
        labels = self.models.direction.labels
        return [
            self._event(
                s,
                types[i],
                _factuality(s.p_event, facts[i]),
                dict(zip(labels, directions[i], strict=True)),
            )
            for i, s in enumerate(candidates)
        ]

    def _event(
        self,
        sentence: _Sentence,
        type_ranking: list[tuple[str, float]],
        factuality: str,
        direction: dict[str, float],
    ) -> CodedEvent:
        view, item = sentence.view, sentence.item
        event_type, p_type = type_ranking[0]
        places = self.places.find(view.text, lang=view.lang)
        actors = infer_countries(view.actors, places, view.publisher)
        present = {a.country for a in actors} | {p.country for p in places} | {view.publisher}
        source, target = self._roles(view, actors, event_type, direction, present)
        p_dyadic = direction.get("A>B", 0.0) + direction.get("B>A", 0.0)
        return CodedEvent(
            doc_id=item.id,
            event_type=event_type,
            mode=_mode(view, event_type),
            quad_class=quad_class_for_plover(event_type),
            source=source,
            target=target,
            fronts=fronts_for(
                view.text, lang=view.lang, plover_type=event_type, pair=self._config()
            ),
            location=first_place(places),
            date=event_date(view.text, item.date),
            confidence=round(sentence.p_event, 3),
            evidence=view.text,
            lang=view.lang,
            sentence_index=sentence.index,
            trigger=_trigger_text(view, event_type),
            factuality=factuality,
            extra=(("p_type", f"{p_type:.3f}"), ("p_dyadic", f"{p_dyadic:.3f}")),
        )

    def _roles(
        self,
        view: SentenceView,
        actors: Sequence[ActorMention],
        event_type: str,
        direction: dict[str, float],
        present: set[str | None],
    ) -> tuple[CodedActor, CodedActor | None]:
        """Between the pair when the direction stage says so and both sides are there (an
        actor or a place of each, or the publisher as the speaker: codebook §2-3)."""
        a, b = self.pair
        dyadic = direction.get("A>B", 0.0) + direction.get("B>A", 0.0) >= DYADIC_MIN
        if dyadic and {a, b} <= present:
            src, tgt = (a, b) if direction.get("A>B", 0.0) >= direction.get("B>A", 0.0) else (b, a)
            return _actor_of(src, view, actors, "subject"), _actor_of(tgt, view, actors, "object")
        source, target, parsed = _parsed_roles(view, actors, event_type)
        if not parsed and target is not None and {source.country, target.country} == {a, b}:
            target = None  # a guessed pair the direction stage says is not one
        return source, target


def build_view(
    matcher: ActorMatcher,
    text: str,
    *,
    lang: str,
    publisher: str | None,
    speaker: str | None,
    date: dt.date | None,
    previous: list[ActorMention] | None = None,
) -> SentenceView:
    """A sentence with its trigger hits and resolved actors; ``previous`` (the document's
    earlier actors, for pronouns) grows by this sentence's."""
    found = matcher.find(text, lang=lang)
    actors = resolve_mentions(found, doc_country=publisher, date=date, previous=previous or [])
    if previous is not None:
        previous.extend(actors)
    return SentenceView(
        text=text,
        lang=lang,
        publisher=publisher,
        speaker=speaker,
        year=date.year if date else None,
        triggers=tuple(scan(text, lang=lang)),
        actors=tuple(actors),
    )


def _ranked(stage: Any, x: Any) -> list[list[tuple[str, float]]]:
    proba = stage.proba(x)
    order = np.argsort(-proba, axis=1)
    return [
        [(stage.labels[j], float(proba[i, j])) for j in order[i][:3]] for i in range(len(proba))
    ]


def _factuality(p_event: float, ranking: list[tuple[str, float]]) -> str:
    """``asserted`` exactly when the event is counted (P(event) ≥ the threshold); otherwise
    the factuality stage's best other answer says why not."""
    if p_event >= COUNT_THRESHOLD:
        return "asserted"
    return next((label for label, _ in ranking if label != "asserted"), "generic")


def with_roles(views: Sequence[SentenceView]) -> list[SentenceView]:
    """The views with their clause roles from the parse (batched per language), anchored
    on each sentence's first trigger that is not negated."""
    out = list(views)
    for lang in {v.lang for v in views}:
        idx = [i for i, v in enumerate(views) if v.lang == lang]
        docs = parse_many([views[i].text for i in idx], lang=lang)
        for i, doc in zip(idx, docs, strict=True):
            anchor = next((t.start for t in views[i].triggers if not t.negated), None)
            out[i] = replace(views[i], roles=clause_roles(doc, anchor))
    return out


def _speaker_actor(view: SentenceView) -> CodedActor:
    return default_actor(view.publisher)


def _parsed_roles(
    view: SentenceView, actors: Sequence[ActorMention], event_type: str
) -> tuple[CodedActor, CodedActor | None, bool]:
    """Source and target from the parse's subject and objects (the speaker for "we"),
    filled in by the nearest-actor rule; and whether both came from the parse."""
    roles: ClauseRoles | None = view.roles
    subject = actors_in(actors, roles.subject) if roles else []
    objects = [a for span in (roles.objects if roles else ()) for a in actors_in(actors, span)]
    if roles is not None and roles.speaker_subject and view.publisher:
        source: CodedActor | None = _speaker_actor(view)
    else:
        source = as_coded(subject[0]) if subject else None
    target = as_coded(objects[0]) if objects else None
    parsed = source is not None and target is not None
    if source is None or (target is None and len(actors) > 1):
        trigger = next((t for t in view.triggers if t.plover_type == event_type), None)
        if trigger is not None:
            fallback = assign_roles(view.text, trigger, actors)
            source = source or (as_coded(fallback.source) if fallback.source else None)
            target = target or (as_coded(fallback.target) if fallback.target else None)
    return source or _speaker_actor(view), target, parsed


def _actor_of(
    country: str, view: SentenceView, actors: Sequence[ActorMention], role: str
) -> CodedActor:
    """The sentence's actor of ``country``, preferring the parse's subject (or objects)."""
    roles = view.roles
    spans: list[tuple[int, int] | None] = []
    if roles is not None:
        spans = [roles.subject] if role == "subject" else list(roles.objects)
    for span in spans:
        found = [m for m in actors_in(actors, span) if m.country == country]
        if found:
            return as_coded(found[0])
    if role == "subject" and roles is not None and roles.speaker_subject:
        if view.publisher == country:
            return default_actor(country)
    named = [m for m in actors if m.country == country]
    return as_coded(named[0]) if named else default_actor(country)


def _mode(view: SentenceView, event_type: str) -> str | None:
    return next((t.mode for t in view.triggers if t.plover_type == event_type), None)


def _trigger_text(view: SentenceView, event_type: str) -> str:
    found = next((t.text for t in view.triggers if t.plover_type == event_type), None)
    if found is not None:
        return found
    return view.roles.verb if view.roles is not None else ""


def load_coder(
    pair: tuple[str, str] = DEFAULT_COUNTRIES, *, config: Pair | None = None
) -> LearnedCoder:
    """The learned coder with the bundled stages, dictionaries and gazetteer; ``config``
    (``settings.pair``) gives the pair's fronts, else the bundled file for ``pair``."""
    models, actors, places = load_models(), load_actor_matcher(), load_gazetteer()
    return LearnedCoder(models, actors, places, pair=pair, config=config)
