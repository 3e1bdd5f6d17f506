"""What the learned stages see of a sentence: its words, its trigger hits, its actors, its parse.

A :class:`SentenceView` is built once per sentence and turned into two inputs: the folded
text (for TF-IDF word and character n-grams) and a dict of named features (for a
``DictVectorizer``). Countries are abstracted to the configured pair, ``A`` and ``B``
(``pair[0]`` and ``pair[1]``), so a model trained on U.S.–Mexico sentences speaks of
"the publisher's side" and "the other side", not of two literal countries.

The trigger lexicon (``coding.triggers``) contributes features only: which PLOVER types its
words would suggest, negated or hypothetical. The learned stages decide.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.coding.parse import ClauseRoles
from dyadwatch.coding.text import fold
from dyadwatch.coding.types import ActorMention, Trigger

REPORTER_SPEAKERS = ("PREGUNTA", "INTERLOCUTOR", "INTERLOCUTORA", "Q", "REPORTER", "MODERATOR")
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
_FIRST_PERSON = re.compile(
    r"\b(we|our|us|i|nosotros|nuestro|nuestra|nuestros|nuestras|hemos|vamos|estamos)\b", re.I
)
_MODAL = re.compile(
    r"\b(could|would|might|may|should|if|podr[ií]a\w*|deber[ií]a\w*|si|quiz[aá]s?|tal vez)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class SentenceView:
    """One sentence with its context, as the learned stages see it."""

    text: str
    lang: str
    publisher: str | None  # ISO3 of the publishing government, if known
    speaker: str | None
    year: int | None  # the document's year
    triggers: tuple[Trigger, ...]
    actors: tuple[ActorMention, ...]
    roles: ClauseRoles | None = None  # filled for candidates only (the parse is costly)


def side(country: str | None, pair: tuple[str, str]) -> str:
    """``A``, ``B``, ``other`` or ``none``: a country as seen from the pair."""
    if country is None:
        return "none"
    if country == pair[0]:
        return "A"
    if country == pair[1]:
        return "B"
    return "other"


def text_input(view: SentenceView) -> str:
    """The folded, lower-cased text for the n-gram vectorizers."""
    return fold(view.text.lower())


def dict_features(view: SentenceView, pair: tuple[str, str]) -> dict[str, float]:
    """Named features of one sentence (the parse's only when ``view.roles`` is set)."""
    f: dict[str, float] = {f"lang={view.lang}": 1.0, f"pub={side(view.publisher, pair)}": 1.0}
    f[f"speaker={_speaker_role(view.speaker)}"] = 1.0
    stripped = view.text.strip()
    if stripped.startswith("¿") or "?" in stripped[-3:]:
        f["question"] = 1.0
    f.update(_trigger_features(view.triggers))
    f.update(_actor_features(view.actors, view.publisher, pair))
    f.update(_cue_features(view))
    if view.roles is not None:
        f.update(_role_features(view, pair))
    return f


def _speaker_role(speaker: str | None) -> str:
    if not speaker:
        return "none"
    head = speaker.split(",")[0].strip().upper()
    return "reporter" if head in REPORTER_SPEAKERS else "official"


def _trigger_features(triggers: Sequence[Trigger]) -> dict[str, float]:
    f: dict[str, float] = {}
    for i, t in enumerate(triggers):
        state = "neg" if t.negated else "hyp" if t.hypothetical else "pos"
        f[f"trig={t.plover_type}"] = max(f.get(f"trig={t.plover_type}", 0.0), t.confidence)
        f[f"trig_{state}={t.plover_type}"] = 1.0
        if i == 0:
            f[f"trig_first={t.plover_type}"] = 1.0
    f["n_triggers"] = min(len(triggers), 4) / 4
    return f


def _actor_features(
    actors: Sequence[ActorMention], publisher: str | None, pair: tuple[str, str]
) -> dict[str, float]:
    f: dict[str, float] = {}
    sides = [side(a.country, pair) for a in actors]
    for a, s in zip(actors, sides, strict=True):
        f[f"actor={s}"] = 1.0
        f[f"actor={s}:{a.sector or 'none'}"] = 1.0
        f[f"actor_kind={a.kind}"] = 1.0
    known = [s for s in sides if s in ("A", "B")]
    if known:
        f[f"first_side={known[0]}"] = 1.0
    other = "B" if side(publisher, pair) == "A" else "A" if side(publisher, pair) == "B" else None
    if other is not None and other in sides:
        f["names_other_side"] = 1.0
    f["n_actors"] = min(len(actors), 6) / 6
    return f


def _cue_features(view: SentenceView) -> dict[str, float]:
    f: dict[str, float] = {}
    years = [int(y) for y in _YEAR.findall(view.text)]
    if years and view.year is not None:
        f["past_year"] = float(any(y < view.year - 1 for y in years))
        f["future_year"] = float(any(y > view.year for y in years))
    if _FIRST_PERSON.search(view.text):
        f["first_person"] = 1.0
    if _MODAL.search(view.text):
        f["modal"] = 1.0
    words = len(view.text.split())
    f[f"length={min(words // 10, 6)}"] = 1.0
    return f


def _role_features(view: SentenceView, pair: tuple[str, str]) -> dict[str, float]:
    roles = view.roles
    assert roles is not None
    f: dict[str, float] = {f"verb={roles.verb}": 1.0}
    f.update({f"gram:{g}": 1.0 for g in roles.grammar})
    if roles.passive:
        f["passive"] = 1.0
    subject = "speaker" if roles.speaker_subject else _span_side(view, roles.subject, pair)
    f[f"subj={subject}"] = 1.0
    for span in roles.objects[:3]:
        f[f"obj={_span_side(view, span, pair)}"] = 1.0
    f[f"subj={subject}|pub={side(view.publisher, pair)}"] = 1.0
    return f


def _span_side(view: SentenceView, span: tuple[int, int] | None, pair: tuple[str, str]) -> str:
    if span is None:
        return "missing"
    inside = [a for a in view.actors if a.start >= span[0] and a.end <= span[1]]
    known = [side(a.country, pair) for a in inside if a.country is not None]
    if not known:
        return "unknown" if inside else "no_actor"
    return known[0]


def actors_in(actors: Sequence[ActorMention], span: tuple[int, int] | None) -> list[ActorMention]:
    """The actors inside a character span, those with a country first."""
    if span is None:
        return []
    inside = [a for a in actors if a.start >= span[0] and a.end <= span[1]]
    return sorted(inside, key=lambda a: (a.country is None, a.start))
