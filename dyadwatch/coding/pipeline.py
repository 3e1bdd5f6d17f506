"""The rule-and-model coder: document → sentences → events with actors, fronts and places.

For each document the event typer runs over all sentences at once (its classifier is
batched); only sentences that report an event go on to the actor matcher and the
gazetteer. One event is coded per sentence (the most confident trigger that is neither
negated nor hypothetical, at confidence ≥ ``MIN_CONFIDENCE``), so counts stay per report.
Questions report no event, and unless a hand-written trigger fired, neither does a
sentence with no identifiable actor (no country, person, agency, group or kind of agent
such as "troops" or "protesters"): most such
sentences in press briefings are commentary, not events between parties.

Once the source is known, four acts are re-read by who performs them: a government,
army or court that "protests" complains officially (DISAPPROVE); a road blocked by
an armed actor (rebels, troops, police, a cartel) is COERCE, not PROTEST; a clash between
protesters, students or workers and anyone, or one reported in a sentence about a protest,
is a riot (PROTEST), not FIGHT; a killing is
FIGHT only when the killer or the killed is an organized armed force (troops, police, a
guerrilla or paramilitary group: CAMEO 19's "acts of war typically by organized armed
groups"), and otherwise ASSAULT (CAMEO 18: murders and assassinations by gunmen, criminals
or unknown attackers of people who are not combatants).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from dyadwatch.coding.actors import ActorMatcher, load_actor_matcher, resolve_mentions
from dyadwatch.coding.dates import explicit_date
from dyadwatch.coding.events import EventTyper, load_event_typer
from dyadwatch.coding.fronts import fronts_for
from dyadwatch.coding.gazetteer import Gazetteer, load_gazetteer
from dyadwatch.coding.roles import as_coded, assign_roles, default_actor
from dyadwatch.coding.text import Sentence, clean_text, detect_lang, split_sentences
from dyadwatch.coding.trigger_lexicon import tokenize
from dyadwatch.coding.types import (
    ActorMention,
    CodedDocument,
    CodedEvent,
    CodedLocation,
    PlaceMention,
    TextInput,
    Trigger,
)
from dyadwatch.ontology import quad_class_for_plover

RULE_CODER_NAME = "dyadwatch-rules"
MIN_CONFIDENCE = 0.6  # chosen before any evaluation; below it the typer is guessing
HAND_CONFIDENCE = 0.9  # the typer's confidence for hand-written triggers
RULE_CODER_VERSION = "0.1.0"
MAX_TEXT_CHARS = 2_000_000


@dataclass(slots=True)
class _DocState:
    item: TextInput
    lang: str
    previous: list[ActorMention] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RuleCoder:
    """Trigger lexicon + classifier gate for the event type; dictionaries for actors and places."""

    typer: EventTyper
    actors: ActorMatcher
    places: Gazetteer
    name: str = RULE_CODER_NAME
    version: str = RULE_CODER_VERSION

    def code(self, item: TextInput) -> list[CodedEvent]:
        """Every event reported in one text."""
        return self.code_document(item).events

    def code_document(self, item: TextInput) -> CodedDocument:
        """The events of one text, with the number of sentences read."""
        return self.code_documents([item])[0]

    def code_many(self, items: Sequence[TextInput]) -> list[list[CodedEvent]]:
        """Every event of each text."""
        return [document.events for document in self.code_documents(items)]

    def code_documents(self, items: Sequence[TextInput]) -> list[CodedDocument]:
        """Each text coded; the typer runs once per language over all the sentences."""
        docs = [_prepare(item) for item in items]
        triggers = self._detect_all(docs)
        return [
            CodedDocument(
                [
                    event
                    for sentence, found in zip(sentences, triggers[i], strict=True)
                    if (event := self._code_sentence(state, sentence.index, sentence.text, found))
                ],
                len(sentences),
            )
            for i, (state, sentences) in enumerate(docs)
        ]

    def _detect_all(
        self, docs: Sequence[tuple[_DocState, list[Sentence]]]
    ) -> list[list[list[Trigger]]]:
        result: list[list[list[Trigger]]] = [[] for _ in docs]
        for lang in {state.lang for state, _ in docs}:
            chosen = [i for i, (state, _) in enumerate(docs) if state.lang == lang]
            texts = [s.text for i in chosen for s in docs[i][1]]
            found = iter(self.typer.detect_many(texts, lang=lang))
            for i in chosen:
                result[i] = [next(found) for _ in docs[i][1]]
        return result

    def _code_sentence(
        self, state: _DocState, index: int, sentence: str, triggers: Sequence[Trigger]
    ) -> CodedEvent | None:
        trigger = _best(triggers)
        if trigger is None or _is_question(sentence):
            return None
        found = self.actors.find(sentence, lang=state.lang)
        actors = resolve_mentions(
            found, doc_country=state.item.country, date=state.item.date, previous=state.previous
        )
        state.previous.extend(actors)
        if trigger.confidence < HAND_CONFIDENCE and not _has_actor(actors):
            return None  # no identifiable actor: not an event between parties
        places = self.places.find(sentence, lang=state.lang)
        actors = infer_countries(actors, places, state.item.country)
        return _event(state, index, sentence, trigger, actors, first_place(places))


def _prepare(item: TextInput) -> tuple[_DocState, list[Sentence]]:
    text = clean_text(item.text[:MAX_TEXT_CHARS])
    return _DocState(item, item.lang or detect_lang(text)), split_sentences(text)


def _best(triggers: Sequence[Trigger]) -> Trigger | None:
    """The most confident usable trigger: not negated, and not a hypothetical act, except
    that a hypothetical THREATEN ("could carry out strikes") is the threat itself."""
    usable = [
        t
        for t in triggers
        if not t.negated
        and (not t.hypothetical or t.plover_type == "THREATEN")
        and t.confidence >= MIN_CONFIDENCE
    ]
    return max(usable, key=lambda t: t.confidence, default=None)


ARMED_SECTORS = frozenset({"REB", "MIL", "CRM", "COP"})


def _armed_blockade(trigger: Trigger, source: ActorMention | None) -> Trigger:
    """A road blocked by rebels, troops or a cartel is COERCE (CAMEO 191, impose a
    blockade), not a protest: protests are civilians' (PLOVER manual)."""
    if trigger.plover_type != "PROTEST" or trigger.mode != "obstruct" or source is None:
        return trigger
    if source.sector not in ARMED_SECTORS:
        return trigger
    return replace(trigger, plover_type="COERCE", mode="restrict")


UNARMED_SECTORS = frozenset({"CVL", "LAB", "EDU", "AGR", "OPP"})
CLASH_WORDS = ("clash", "enfrent", "choque", "scuffle", "trifulca", "zafarrancho")


PROTEST_WORDS = frozenset(
    """protest protests protesters demonstration demonstrations demonstrators rally march
    marchers protesta protestas manifestacion manifestaciones manifestantes marcha marchas
    marchistas mitin""".split()
)


def _civilian_clash(trigger: Trigger, actors: Sequence[ActorMention], sentence: str) -> Trigger:
    """A clash in a sentence that names protesters, students or workers, or that reports a
    protest ("police and youths clashed at the end of a march"), is a riot (CAMEO 145,
    PROTEST): FIGHT is armed force between organized armed groups (PLOVER manual)."""
    if trigger.plover_type != "FIGHT":
        return trigger
    if not any(word in trigger.text.lower() for word in CLASH_WORDS):
        return trigger
    unarmed = any(a.sector in UNARMED_SECTORS for a in actors)
    if not unarmed and PROTEST_WORDS.isdisjoint(t.text for t in tokenize(sentence)):
        return trigger
    return replace(trigger, plover_type="PROTEST", mode="riot")


ORGANIZED_ARMED = frozenset({"MIL", "REB", "COP"})


def _killing(trigger: Trigger, source: ActorMention | None, target: ActorMention | None) -> Trigger:
    """A killing is FIGHT when it is an act of war: CAMEO 19 is "all uses of conventional
    force and acts of war typically by organized armed groups", so a killing by troops,
    police or an armed group, or of troops or police, is FIGHT. A killing by an
    unidentified or unorganized perpetrator of someone who is not a combatant is ASSAULT
    (CAMEO 18: 186 assassinate, 1823 kill by physical assault)."""
    if not trigger.killing:
        return trigger
    armed = [a.sector for a in (source, target) if a is not None]
    if ORGANIZED_ARMED.intersection(armed):
        return trigger
    return replace(trigger, plover_type="ASSAULT", mode=None)


STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG"})
# past forms of the verb only: "protesta", "protests" are also the noun
PROTESTED = frozenset({"protested", "protesto", "protestaron", "protestaba", "protestaban"})


def _official_protest(trigger: Trigger, source: ActorMention | None) -> Trigger:
    """A government, army or court that "protests" ("China protested the arms sale", "el
    ejército protestó contra ...") complains officially (CAMEO 114, DISAPPROVE): PROTEST
    is civilians' collective action (PLOVER manual)."""
    if trigger.plover_type != "PROTEST" or source is None:
        return trigger
    if tokenize(trigger.text)[0].text not in PROTESTED:
        return trigger
    if source.sector not in STATE_SECTORS and source.kind != "country":
        return trigger
    return replace(trigger, plover_type="DISAPPROVE", mode="disapprove")


def event_date(sentence: str, doc_date: dt.date | None) -> dt.date | None:
    """A date written in the sentence, unless it is after the document's (a deadline)."""
    written = explicit_date(sentence)
    if written is None or (doc_date is not None and written > doc_date):
        return doc_date
    return written


def infer_countries(
    actors: Sequence[ActorMention], places: Sequence[PlaceMention], doc_country: str | None
) -> list[ActorMention]:
    """Give a kind of agent with no country ("el Ejército", "troops") the country the
    sentence is about: a country it names, else a place it names, else the publisher's."""
    named = next((a.country for a in actors if a.kind == "country" and a.country), None)
    context = named or next((p.country for p in places if p.country), None) or doc_country
    if context is None:
        return list(actors)
    return [
        replace(a, country=context) if a.country is None and a.sector is not None else a
        for a in actors
    ]


def _has_actor(actors: Sequence[ActorMention]) -> bool:
    return any(a.country or a.code or a.sector for a in actors)


def _is_question(sentence: str) -> bool:
    """A question (a reporter's, at a press conference) reports no event."""
    text = sentence.strip()
    return text.endswith("?") or text.startswith("¿")


def first_place(places: Sequence[PlaceMention]) -> CodedLocation | None:
    if not places:
        return None
    p = places[0]
    return CodedLocation(p.name, p.country, p.admin1, p.lat, p.lon)


def _event(
    state: _DocState,
    index: int,
    sentence: str,
    trigger: Trigger,
    actors: Sequence[ActorMention],
    place: CodedLocation | None,
) -> CodedEvent:
    roles = assign_roles(sentence, trigger, actors)
    trigger = _armed_blockade(trigger, roles.source)
    trigger = _civilian_clash(trigger, actors, sentence)
    trigger = _official_protest(trigger, roles.source)
    trigger = _killing(trigger, roles.source, roles.target)
    source = as_coded(roles.source) if roles.source else default_actor(state.item.country)
    confidence = trigger.confidence * (1.0 if roles.source else 0.7)
    confidence *= 1.0 if roles.target else 0.9
    return CodedEvent(
        doc_id=state.item.id,
        event_type=trigger.plover_type,
        mode=trigger.mode,
        quad_class=quad_class_for_plover(trigger.plover_type),
        source=source,
        target=as_coded(roles.target) if roles.target else None,
        fronts=fronts_for(sentence, lang=state.lang, plover_type=trigger.plover_type),
        location=place,
        date=event_date(sentence, state.item.date),
        confidence=round(min(max(confidence, 0.0), 1.0), 3),
        evidence=sentence,
        lang=state.lang,
        sentence_index=index,
        trigger=trigger.text,
    )


def load_rule_coder() -> RuleCoder:
    """The rule-based coder (the baseline), with its lexicons, dictionaries and classifier."""
    return RuleCoder(load_event_typer(), load_actor_matcher(), load_gazetteer())
