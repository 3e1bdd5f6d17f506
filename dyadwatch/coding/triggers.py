"""The trigger layer: find the words that report an event, and apply speech-act rules.

Two lexicons, both data under ``dyadwatch/data/triggers/`` (see its PROVENANCE.md):

* ``supplement.tsv``: hand-written English and Spanish triggers for the U.S.–Mexico domain
  (confidence 0.9). They win over derived triggers on overlapping spans.
* ``derived_{en,es}.tsv.gz``: verbs and verb+object patterns derived from the PETRARCH
  dictionaries by :mod:`dyadwatch.coding.lexicon` (verb 0.55, verb+object 0.7).

Text is normalized character by character (lower case, accents stripped, punctuation to
blanks), so offsets into the normalized text are offsets into the sentence. There is no
lemmatizer: every inflected form is listed in the lexicons.

Speech-act rules, applied in this order to the triggers of one sentence:

1. **Governors.** A trigger with role ``governor`` (threaten, warn, urge, call on, demand,
   pledge, promise, agree to, refuse, reject, accuse, condemn; amenazar, exigir, pedir,
   comprometerse, rechazar, acusar, ...) absorbs every event trigger that starts within
   :data:`GOVERNED_WINDOW` tokens after it: "threatened to impose tariffs" is THREATEN
   (not SANCTION), "urged Mexico to deploy troops" is DEMAND, "pledged to provide aid" is
   AGREE (not AID), "accused Mexico of smuggling" is DISAPPROVE, "rechazó cualquier
   intervención" is REJECT.
2. **Negation.** "not", "n't", "never", "no", "nunca", "jamás", "ni" up to
   :data:`MODIFIER_WINDOW` tokens before a trigger negate it. A negated cooperative act
   (AGREE, SUPPORT, CONSULT, COOPERATE, AID, CONCEDE, RETREAT) becomes REJECT ("did not
   agree", "no aceptó"); any other negated act is dropped ("did not arrest").
3. **Speculative modals.** "could", "may", "might", "if", "podría", ... before a trigger
   make it hypothetical: a conflict act (SANCTION, COERCE, MOBILIZE, ASSAULT, FIGHT) is
   coded THREATEN with ``hypothetical=True``; any other act is dropped (speculation).
4. **Announced acts.** "will", "would", "plans to", "ready to", "va a", a Spanish future
   or conditional form ("enviará", "enviaría") before a trigger mark an intention (CAMEO
   03x): CONSULT, SUPPORT, COOPERATE, AID become AGREE; RETREAT becomes CONCEDE (PLOVER
   manual); SANCTION, COERCE, ASSAULT, FIGHT become THREATEN; an announced deployment
   stays MOBILIZE. A promise governor (pledge, vow) over a conflict act is THREATEN.
5. **Control verbs.** A derived verb followed by "to"/"a"/"de" and another trigger
   ("decided to send troops") gives way to that trigger.
6. **FIGHT vs ASSAULT** (:func:`armed_clashes`): killings are FIGHT (CAMEO 190/193);
   attacks on armed forces, or in a sentence reporting an armed clash, are FIGHT; attacks
   on civilians, massacres, kidnappings, bombings stay ASSAULT.

7. **Press-briefing non-events.** Acts after legal drafting words ("shall", "hereby",
   "pursuant": :data:`DEONTIC`) are dropped ("the Secretary shall submit a report"); a
   "fight" word (:data:`_FIGHT_WORDS`) followed by "for"/"to" or by an abstract ill
   (:data:`ABSTRACT`: "fought for American workers", "the fight against corruption",
   "combatir la pobreza") is not FIGHT; noun triggers in a statistic (:data:`STATISTICS`:
   "homicides fell 20 percent") are dropped. A promise governor over a DEMAND ("agreed to
   call for a ceasefire") is DEMAND, and only the first act a governor takes decides its
   type ("agreed to cooperate in fighting terrorism" stays AGREE). Ambiguous derived verbs
   (:data:`DERIVED_NOISE`: "going to", "served", "heard", "order", "el último") are not
   triggers.

Noun triggers (role ``noun`` in ``supplement.tsv``: "aid", "protesta", "combates") count
only when no hand-written verb trigger fires in the sentence. Matching is on lower-cased
tokens, so ALL-CAPS wire copy is read like normal text.

A governed THREATEN takes a mode from the act threatened (:data:`THREAT_MODES`).
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib.resources import files

from dyadwatch.coding.types import Trigger

GAP = 5
GOVERNED_WINDOW = 8
MODIFIER_WINDOW = 3
CONFIDENCE = {"hand": 0.9, "noun": 0.9, "pattern": 0.7, "verb": 0.55}

NEGATORS = frozenset({"not", "t", "never", "no", "nunca", "jamas", "ni", "neither", "nor"})
# Speculative modals: a cooperative act under one is dropped (pure speculation, "analysts
# said tariffs could fall"); a conflict act under one is a THREATEN.
MODALS = frozenset(
    {
        "could",
        "may",
        "might",
        "podria",
        "podrian",
        "puede",
        "pueden",
        "quiza",
        "quizas",
        "possibly",
        "posiblemente",
        "if",
        "si",
        "considering",
        "considera",
        "consider",
        "evalua",
        "evaluating",
    }
)
# Intent markers (reported future, plans, readiness): the act is announced by its actor.
# CAMEO 03x / PLOVER AGREE: a cooperative act announced for the future is AGREE; a
# retreat announced for the future is CONCEDE (manual); a conflict act is THREATEN.
FUTURES = frozenset(
    {
        "will",
        "ll",
        "would",
        "va",
        "van",
        "vamos",
        "podra",
        "podran",
        "plans",
        "planned",
        "planning",
        "intends",
        "intended",
        "ready",
        "willing",
        "prepared",
        "expected",
        "going",
    }
)
COOPERATIVE = frozenset({"AGREE", "SUPPORT", "CONSULT", "COOPERATE", "AID", "CONCEDE", "RETREAT"})
FUTURE_TO_AGREE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
CONFLICT_ACTS = frozenset({"SANCTION", "COERCE", "MOBILIZE", "ASSAULT", "FIGHT"})
THREAT_MODES = {
    "SANCTION": "restrict",
    "COERCE": "restrict",
    "MOBILIZE": "violence",
    "ASSAULT": "violence",
    "FIGHT": "violence",
    "deport": "expel",
    "arrest": "arrest",
    "ban": "ban",
}

# Frequent words that the derived (not the hand-written) lexicon gets wrong.
DERIVED_STOP = frozenset(
    {
        "want",
        "wants",
        "wanted",
        "thank",
        "thanks",
        "thanked",
        "thanking",
        "import",
        "imports",
        "imported",
        "like",
        "hope",
        "need",
        "needs",
        "see",
        "look",
        "think",
        "know",
        "make",
        "get",
        "go",
        "come",
        "take",
        "give",
        "put",
        "keep",
        "let",
        "mean",
        "seem",
        "tell",
        "ask",
        "asked",
        "work",
        "use",
        "used",
        "find",
        "show",
        "feel",
        "leave",
        "call",
        "lead",
        "leads",
        "led",
        "leading",
        "head",
        "heads",
        "headed",
        "heading",
        "face",
        "faces",
        "faced",
        "facing",
        "state",
        "states",
        "stated",
        "going",
        "gone",
        "goes",
        "went",
        "expect",
        "expects",
        "expected",
        "expecting",
        "issue",
        "issued",
        "issues",
        "took",
        "taken",
        "taking",
        "holding",
        "plan",
        "plans",
        "planned",
        "planning",
        "intend",
        "intends",
        "intended",
        "ready",
        "prepared",
        "gracias",
        "agradezco",
        "agradecemos",
        "quiero",
        "queremos",
        "hay",
        "ser",
        "estar",
        "tener",
        "hacer",
        "dar",
        "ver",
        "saber",
        "decir",
        "ir",
        "poder",
        "estados",
        "unidos",
        "united",
        "nacional",
        "mexico",
        "buenos",
        "dias",
        "buenas",
        "tardes",
        "creo",
        "paro",
        "tomo",
        "pregunto",
        "dijo",
        "hablo",
        "trato",
        "informo",
        "espero",
        "pienso",
        "cambio",
        "cuido",
        "apoyo",
        "respeto",
        "paso",
        "presento",
        "quedo",
        "llevo",
        "senalo",
        "comento",
        "explico",
        "menciono",
        "planteo",
        "indico",
        "anuncio",
        # Spanish nouns and adjectives that look like a preterite or participle
        "barrio",
        "proceso",
        "estado",
        "sitio",
        "patio",
        "largo",
        "pasado",
        "pasaron",
        "para",
        "uso",
        "arma",
        "armado",
        "armados",
        "adjunto",
        "marcado",
        "cargo",
        "caso",
        "centro",
        "grupo",
        "medio",
        "resto",
        "puesto",
        "cuerpo",
        "lado",
        "mercado",
        "juzgado",
        "abogado",
        "diputado",
        "senado",
        "soldado",
        "legado",
        "partido",
        "sentido",
        "contenido",
        "apartado",
        "resultado",
        "encargado",
        "empleado",
        "pago",
        "gasto",
        "registro",
        "retiro",
        "trabajo",
        "acuerdo",
        "control",
        "costo",
        "precio",
        "principio",
        "termino",
        "animo",
        "policia",
        "policias",
        "ejecuto",
        "ejecutaron",
        "ejecutado",
        "ejecutados",
        "realizaron",
        "realizo",
        "llevaron",
        "iniciaron",
        "inicio",
        "continuaron",
        "continuo",
    }
)


# Ambiguous derived verbs that, in press briefings, are mostly not acts between parties
# ("going to", "served", "heard", "means", "executive order", "tax bill", "el último"):
# dropped as verbs and as the verb of a verb+object pattern.
DERIVED_NOISE = frozenset(
    {
        "going to",
        "clear",
        "serve",
        "serves",
        "served",
        "serving",
        "hear",
        "heard",
        "best",
        "approach",
        "relate",
        "relates",
        "related",
        "means",
        "appropriate",
        "reason",
        "better",
        "found",
        "given",
        "back",
        "order",
        "bill",
        "tax",
        "trade",
        "funding",
        "campaign",
        "passed",
        "challenges",
        "directed",
        "engaged",
        "ultimo",
        "ultima",
        "esto",
        "haciendo",
        "deporte",
        "enfrente",
    }
)

_TOKEN = re.compile(r"[a-z0-9]+|%")


def _fold(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 and (base.isalnum() or base == "%") else " "


_FOLD = {code: _fold(chr(code)) for code in range(0x300)}


def normalize(text: str) -> str:
    """Lower-case, strip accents, blank punctuation; the result has the same length."""
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Normalized tokens with offsets into ``text``."""
    return [Token(m.start(), m.end(), m[0]) for m in _TOKEN.finditer(normalize(text))]


@dataclass(frozen=True, slots=True)
class Entry:
    """What a matched pattern means."""

    plover: str
    mode: str | None
    source: str  # "hand" | "noun" | "pattern" | "verb"
    governor: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """Alternatives for one pattern position, indexed by their first word."""

    gap: bool  # may skip up to GAP tokens before it
    by_first: dict[str, tuple[tuple[str, ...], ...]]


def make_step(alts: list[tuple[str, ...]], *, gap: bool) -> Step:
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for alt in sorted(set(alts), key=len, reverse=True):
        by_first.setdefault(alt[0], []).append(alt)
    return Step(gap, {key: tuple(value) for key, value in by_first.items()})


@dataclass(frozen=True, slots=True)
class Pattern:
    rest: tuple[Step, ...]  # steps after the first
    entry: Entry


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Patterns indexed by the first token of their first step.

    Derived verb+object patterns are shared by every verb of their dictionary block:
    ``blocks`` maps a one-word verb form to its blocks, ``block_patterns`` a block to its
    patterns (indexing every form × pattern pair would take seconds to build).
    """

    index: dict[str, tuple[tuple[tuple[str, ...], Pattern], ...]]
    blocks: dict[str, tuple[str, ...]]
    block_objects: dict[str, dict[str, tuple[tuple[tuple[str, ...], Entry], ...]]]


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # token index
    end: int  # token index, exclusive
    entry: Entry


# ---------------------------------------------------------------- lexicon loading


@functools.cache
def load_lexicon(lang: str) -> Lexicon:
    """Build the matcher for ``lang`` ("en" or "es") from the bundled lexicon files."""
    index: dict[str, list[tuple[tuple[str, ...], Pattern]]] = {}
    rows = [line.split("\t") for line in _data(f"derived_{lang}.tsv.gz").splitlines()[1:]]
    for first, pattern in (*_supplement(lang), *_derived_verbs(rows, lang=lang)):
        for alt in first:
            index.setdefault(alt[0], []).append((alt, pattern))
    blocks: dict[str, set[str]] = {}
    for kind, block, forms, *_ in rows:
        for form in forms.split("|") if kind == "verb" else ():
            if form in DERIVED_NOISE:
                continue
            blocks.setdefault(form, set()).add(block)
    return Lexicon(
        index={key: tuple(value) for key, value in index.items()},
        blocks={form: tuple(sorted(b)) for form, b in blocks.items() if " " not in form},
        block_objects=_derived_patterns(rows),
    )


def _data(name: str) -> str:
    path = files("dyadwatch") / "data" / "triggers" / name
    if name.endswith(".gz"):
        return gzip.decompress(path.read_bytes()).decode("utf-8")
    return path.read_text(encoding="utf-8")


def _alternatives(spec: str, *, lang: str) -> list[tuple[str, ...]]:
    from dyadwatch.coding.lexicon import english_forms, spanish_forms

    alts: set[str] = set()
    for alt in spec.split("|"):
        if alt.endswith("+"):
            inflect = english_forms if lang == "en" else spanish_forms
            alts.update(inflect(alt[:-1].replace("_", " ")))
        else:
            alts.add(alt.replace("_", " "))
    return [tuple(a.split()) for a in sorted(alts) if a.strip()]


def _steps(spec: str, *, lang: str) -> list[Step]:
    """Split a pattern into steps; ``*`` lets the next step skip up to GAP tokens."""
    steps: list[Step] = []
    gap = False
    for word in spec.split():
        if word == "*":
            gap = True
            continue
        steps.append(make_step(_alternatives(word, lang=lang), gap=gap))
        gap = False
    return steps


def _supplement(lang: str) -> Iterator[tuple[list[tuple[str, ...]], Pattern]]:
    for line in _data("supplement.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        row_lang, spec, plover, mode, role = line.split("\t")
        if row_lang != lang:
            continue
        first, *rest = _steps(spec, lang=lang)
        source = "noun" if role == "noun" else "hand"
        entry = Entry(plover, mode or None, source, governor=role == "governor")
        alts = [alt for group in first.by_first.values() for alt in group]
        yield alts, Pattern(tuple(rest), entry)


def _derived_verbs(
    rows: list[list[str]], *, lang: str
) -> Iterator[tuple[list[tuple[str, ...]], Pattern]]:
    for kind, _block, forms, _obj, _code, plover, mode in rows:
        if kind == "verb" and plover:
            alts = [tuple(f.split()) for f in _usable(forms.split("|"), lang=lang)]
            yield alts, Pattern((), Entry(plover, mode or None, "verb"))


_ES_PRETERITE = ("o", "aron", "io", "ieron")


def _usable(forms: list[str], *, lang: str) -> list[str]:
    """Drop stop words; of a Spanish conjugation keep only the preterite (news tense).

    Generated present and subjunctive forms collide with frequent words ("para" from
    parar, "una" from unir, "este" from estar); the preterite is distinctive enough.
    """
    kept = [f for f in forms if f not in DERIVED_STOP and f not in DERIVED_NOISE and len(f) > 2]
    if lang == "es" and len(forms) > 1:
        kept = [f for f in kept if f.split()[0].endswith(_ES_PRETERITE)]
    return kept


def _derived_patterns(rows: list[list[str]]) -> dict[str, dict[str, tuple]]:
    """Per block: the objects of its patterns, indexed by first word (first pattern wins)."""
    objects: dict[str, dict[str, list]] = {}
    for kind, block, _forms, obj, _code, plover, mode in rows:
        if kind != "pattern":
            continue
        words = tuple(obj.split())
        entry = Entry(plover, mode or None, "pattern")
        table = objects.setdefault(block, {})
        for alt in (words, (*words[:-1], words[-1] + "s")):
            table.setdefault(alt[0], []).append((alt, entry))
    return {b: {w: tuple(v) for w, v in t.items()} for b, t in objects.items()}


# ---------------------------------------------------------------- matching


def find_matches(tokens: list[str], lexicon: Lexicon) -> list[Match]:
    """Every pattern match over the token texts."""
    found: list[Match] = []
    for i, token in enumerate(tokens):
        for first, pattern in lexicon.index.get(token, ()):
            if tuple(tokens[i : i + len(first)]) != first:
                continue
            end = _match_rest(tokens, i + len(first), pattern.rest)
            if end is not None:
                found.append(Match(i, end, pattern.entry))
        for block in lexicon.blocks.get(token, ()):
            match = _block_match(tokens, i, lexicon.block_objects.get(block, {}))
            if match is not None:
                found.append(match)
    return found


def _block_match(tokens: list[str], i: int, objects: dict[str, tuple]) -> Match | None:
    for start in range(i + 1, min(i + 1 + GAP, len(tokens))):
        for words, entry in objects.get(tokens[start], ()):
            if tuple(tokens[start : start + len(words)]) == words:
                return Match(i, start + len(words), entry)
    return None


def _match_rest(tokens: list[str], pos: int, rest: tuple[Step, ...]) -> int | None:
    for step in rest:
        found = _match_step(tokens, pos, step)
        if found is None:
            return None
        pos = found
    return pos


def _match_step(tokens: list[str], pos: int, step: Step) -> int | None:
    stop = min(pos + (GAP if step.gap else 0), len(tokens) - 1)
    for start in range(pos, stop + 1):
        for words in step.by_first.get(tokens[start], ()):
            if tuple(tokens[start : start + len(words)]) == words:
                return start + len(words)
    return None


def _rank(match: Match) -> tuple[int, int, int]:
    source = {"hand": 2, "noun": 2, "pattern": 1, "verb": 0}[match.entry.source]
    return (source, match.end - match.start, -match.start)


def select(matches: list[Match]) -> list[Match]:
    """Keep the best match per region: hand > pattern > verb, then longer, then earlier."""
    kept: list[Match] = []
    for match in sorted(matches, key=_rank, reverse=True):
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
        elif match.entry.source in ("hand", "noun") and not any(
            k.start == match.start for k in kept
        ):
            kept = [k for k in kept if k.entry.source != "verb" or _disjoint(k, match)]
            if all(_disjoint(k, match) for k in kept):
                kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def _disjoint(a: Match, b: Match) -> bool:
    return a.end <= b.start or a.start >= b.end


# ---------------------------------------------------------------- speech-act rules


@dataclass(frozen=True, slots=True)
class Act:
    """A match after the speech-act rules."""

    start: int
    end: int
    plover: str
    mode: str | None
    source: str
    negated: bool = False
    hypothetical: bool = False


def apply_rules(tokens: list[str], matches: list[Match], *, lang: str) -> list[Act]:
    """Apply governors, negation, modals and future tense (see the module docstring)."""
    acts: list[Act] = []
    governed_until = -1
    first_governed = False
    for match in matches:
        if match.start < governed_until and acts:
            acts[-1] = _absorb(acts[-1], match, first=first_governed)
            first_governed = False
            continue
        act = _modify(tokens, match, lang=lang)
        if act is not None:
            acts.append(act)
            if match.entry.governor:
                governed_until = match.end + GOVERNED_WINDOW
                first_governed = True
    return acts


def _absorb(governor: Act, governed: Match, *, first: bool = True) -> Act:
    """Extend a governor over an act it introduces; only the first act governed can turn a
    promise into a threat ("agreed to cooperate in fighting terrorism" stays AGREE)."""
    mode = governor.mode
    plover = governor.plover
    kind = governed.entry.mode or governed.entry.plover
    if first and plover == "AGREE" and governed.entry.plover == "DEMAND":
        # "agreed to call for a ceasefire", "pledged to seek his release": the act is a call
        plover, mode = "DEMAND", governed.entry.mode
    if first and plover == "AGREE" and governed.entry.plover in CONFLICT_ACTS:
        # "vowed to retaliate", "se comprometió a atacar": a promised conflict act is a threat
        plover, mode = "THREATEN", None
    if plover == "THREATEN" and mode is None:
        mode = THREAT_MODES.get(kind) or THREAT_MODES.get(governed.entry.plover)
    return replace(governor, end=max(governor.end, governed.end), plover=plover, mode=mode)


def _modify(tokens: list[str], match: Match, *, lang: str) -> Act | None:
    before = set(tokens[max(0, match.start - MODIFIER_WINDOW) : match.start])
    entry = match.entry
    act = Act(match.start, match.end, entry.plover, entry.mode, entry.source)
    if before & NEGATORS:
        return _negated(act)
    if before & MODALS:
        return _hypothetical(act)
    verb = entry.source != "noun"  # "balacera", "frontera" are nouns, not futures
    if (
        before & FUTURES
        or (verb and _future(tokens[match.start], lang=lang))
        or (verb and _conditional(tokens[match.start], lang=lang))
    ):
        return _intended(act)
    return act


def _negated(act: Act) -> Act | None:
    if act.plover in COOPERATIVE:
        return replace(act, plover="REJECT", mode=None)
    return None


def _hypothetical(act: Act) -> Act | None:
    """Speculation: a conflict act is a threat; anything else is not an event."""
    if act.plover in CONFLICT_ACTS:
        return _threat(act)
    return None


def _intended(act: Act) -> Act:
    """An announced act (future, "would", "plans to"): CAMEO 03x / 13x, PLOVER AGREE rules.

    An announced deployment stays MOBILIZE: announcing it is already the show of force."""
    if act.plover in CONFLICT_ACTS and act.plover != "MOBILIZE":
        return _threat(act)
    if act.plover in FUTURE_TO_AGREE:
        return replace(act, plover="AGREE", mode=None)
    if act.plover == "RETREAT":
        return replace(act, plover="CONCEDE", mode=None)
    return act


def _threat(act: Act) -> Act:
    mode = THREAT_MODES.get(act.mode or "") or THREAT_MODES.get(act.plover)
    return replace(act, plover="THREATEN", mode=mode, hypothetical=True)


def _conditional(token: str, *, lang: str) -> bool:
    return lang == "es" and token.endswith(("aria", "arian", "eria", "erian", "iria", "irian"))


def _future(token: str, *, lang: str) -> bool:
    return (
        lang == "es"
        and len(token) > 5
        and token.endswith(("ara", "aran", "era", "eran", "ira", "iran"))
    )


# ---------------------------------------------------------------- public


def scan(sentence: str, *, lang: str) -> list[Trigger]:
    """Triggers of one sentence after the speech-act rules (no classifier).

    Matching is on normalized (lower-cased) tokens, so ALL-CAPS wire copy matches like
    normal text; the proper-noun check is skipped for a sentence written in capitals.
    """
    tokens = tokenize(sentence)
    words = [t.text for t in tokens]
    found = find_matches(words, load_lexicon(_lang(lang)))
    if any(m.entry.source in ("pattern", "verb") for m in found) and not is_upper_case(sentence):
        found = [m for m in found if not _proper_noun(sentence, tokens, m)]
    matches = _drop_control_verbs(words, select(found))
    matches = [m for m in matches if not _metaphorical_fight(words, m)]
    acts = armed_clashes(words, apply_rules(words, matches, lang=lang))
    acts = [a for a in acts if not _deontic(words, a)]
    if any(a.source == "hand" for a in acts) or not STATISTICS.isdisjoint(words):
        # a verb trigger beats a noun one; a noun in a statistic ("homicides fell 20
        # percent", "el promedio diario de homicidios") counts cases, it reports no event
        acts = [a for a in acts if a.source != "noun"]
    return [_trigger(sentence, tokens, act) for act in acts]


_INFINITIVE = frozenset({"to", "a", "de"})
STATISTICS = frozenset(
    """percent % ciento average promedio rate tasa incidencia statistics estadisticas
    indice""".split()
)

# Legal and regulatory drafting: "the Secretary shall submit a report within 90 days of the
# date of this order" prescribes a duty; it does not report an act.
DEONTIC = frozenset({"shall", "hereby", "hereinafter", "thereof", "herein", "pursuant"})


def _deontic(words: list[str], act: Act) -> bool:
    return not DEONTIC.isdisjoint(words[: act.start])


# "fight for American workers", "the fight against corruption", "combatir la pobreza": a
# campaign for or against an abstract cause, not armed force between parties.
_FIGHT_CAUSE = frozenset({"for", "to"})
_FIGHT_FILLER = frozenset(
    """against the a an our this that every their its contra la el los las al a del de
    lo su sus nuestra nuestro""".split()
)
ABSTRACT = frozenset(
    """poverty corruption inflation crime injustice discrimination racism hunger climate
    disease diseases cancer addiction addictions crisis epidemic pandemic scourge
    disinformation misinformation impunity inequality illiteracy unemployment drugs drug
    fentanyl opioids opioid overdoses overdose trafficking antisemitism hate
    terrorism extremism fraud waste abuse tyranny censorship socialism communism
    pobreza corrupcion inflacion delincuencia inseguridad impunidad desigualdad hambre
    desempleo racismo discriminacion adicciones adiccion epidemia pandemia crisis
    narcotrafico huachicol huachicoleo fentanilo drogas droga contrabando evasion
    extorsion violencia delito delitos crimen""".split()
)


_FIGHT_WORDS = frozenset(
    """fight fights fought fighting battle battles battled battling combat combats
    combating combatting combated war wage waged waging
    combatir combate combaten combatimos combatiendo combatio combatiremos lucha luchar
    luchamos luchando enfrentar enfrentamos enfrentando""".split()
)


def _metaphorical_fight(words: list[str], act: Match) -> bool:
    """A "fight" word (not a strike or an attack) for a cause or against an abstract ill."""
    if (
        act.entry.plover != "FIGHT"
        or act.end >= len(words)
        or _FIGHT_WORDS.isdisjoint(words[act.start : act.end])
    ):
        return False
    if words[act.end] in _FIGHT_CAUSE:
        return True
    pos = act.end
    while pos < len(words) and pos < act.end + 4 and words[pos] in _FIGHT_FILLER:
        pos += 1
    return pos < len(words) and words[pos] in ABSTRACT


def _drop_control_verbs(words: list[str], matches: list[Match]) -> list[Match]:
    """A derived verb followed by "to"/"a"/"de" and another trigger ("decided to send
    troops", "led efforts to ...", "decidió enviar") introduces that act: the act is coded."""
    kept = []
    for i, match in enumerate(matches):
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if (
            match.entry.source == "verb"
            and nxt is not None
            and match.end < len(words)
            and words[match.end] in _INFINITIVE
            and nxt.start - match.end <= MODIFIER_WINDOW
        ):
            continue
        kept.append(match)
    return kept


# FIGHT vs ASSAULT (PLOVER): FIGHT is organised armed force against armed opponents;
# ASSAULT is violence against civilians or unconventional, one-sided attacks.
ARMED = frozenset(
    """soldier soldiers troop troops army armies military militaries police policeman
    policemen policewoman guerrilla guerrillas rebel rebels militant militants insurgent
    insurgents fighters militia militias militiamen paramilitary paramilitaries gunmen
    marines combatants jihadists garrison patrol patrols convoy checkpoint base bases
    positions battalion brigade
    soldado soldados militar militares tropa tropas ejercito policia policias policial
    policiales patrulla patrullas guerrilla guerrillas guerrillero guerrilleros rebelde
    rebeldes insurgente insurgentes paramilitar paramilitares combatiente combatientes
    uniformado uniformados infante infantes batallon brigada cuartel convoy sicarios
    pistoleros estacion subversivos disidencias""".split()
)
CIVILIAN = frozenset(
    """civilian civilians villager villagers child children boy boys girl girls woman women
    journalist journalists resident residents worker workers student students farmer
    farmers family families worshippers pilgrims shoppers passengers protesters
    demonstrators refugees tourists teacher teachers doctor doctors
    civil civiles campesino campesinos poblador pobladores habitante habitantes nino ninos
    nina ninas menor menores mujer mujeres indigena indigenas lider lideres periodista
    periodistas trabajador trabajadores estudiante estudiantes familia familias
    comerciante comerciantes conductor conductores joven jovenes profesor profesores
    maestro maestros docente docentes sindicalista sindicalistas manifestantes
    pasajeros turistas desplazados""".split()
)
_ONE_SIDED = frozenset({"abduct", "torture", "sexual", "beat"})
VICTIM_WINDOW = 8


def armed_clashes(words: list[str], acts: list[Act]) -> list[Act]:
    """Split killings and attacks between FIGHT and ASSAULT.

    * A killing verb (kill, murder, shoot dead, matar, asesinar, ejecutar a; mode ``kill``
      in the lexicon) is FIGHT: the CAMEO dictionaries code them 190/193 ("use
      conventional military force", "fight with small arms"), whoever the victims are.
      Massacres (CAMEO 202), assassinations (186), kidnapping, torture and bombings stay
      ASSAULT.
    * An ASSAULT (attack, atentado, ataque) whose victims are armed forces (:data:`ARMED`
      within :data:`VICTIM_WINDOW` tokens), or in a sentence that also reports an armed
      clash, is FIGHT, unless civilians (:data:`CIVILIAN`) are named as its victims.
    """
    clash = any(
        a.plover == "FIGHT" and a.mode != "kill" and a.source in ("hand", "noun") for a in acts
    )
    recoded = []
    for act in acts:
        if act.mode == "kill":
            act = replace(act, mode="firearms" if act.plover == "FIGHT" else None)
        elif act.plover == "ASSAULT" and act.mode not in _ONE_SIDED:
            window = set(words[act.start : act.end + VICTIM_WINDOW])
            if not window & CIVILIAN and (clash or window & ARMED):
                act = replace(act, plover="FIGHT", mode=act.mode or "firearms")
        recoded.append(act)
    return recoded


_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_LOWER = re.compile(r"[a-zß-öø-ÿ]")


def is_upper_case(sentence: str) -> bool:
    """Whether a sentence is written (mostly) in capitals, as in old wire copy."""
    upper = len(_UPPER.findall(sentence))
    return upper >= 8 and upper >= 4 * len(_LOWER.findall(sentence))


def _proper_noun(sentence: str, tokens: list[Token], match: Match) -> bool:
    """A derived trigger on a capitalized word inside the sentence ("United") is a name."""
    token = tokens[match.start]
    return (
        match.entry.source not in ("hand", "noun")
        and match.start > 0
        and sentence[token.start].isupper()
    )


def _lang(lang: str) -> str:
    return "es" if lang.lower().startswith("es") else "en"


def _trigger(sentence: str, tokens: list[Token], act: Act) -> Trigger:
    start, end = tokens[act.start].start, tokens[act.end - 1].end
    return Trigger(
        start=start,
        end=end,
        text=sentence[start:end],
        plover_type=act.plover,
        mode=act.mode,
        confidence=CONFIDENCE[act.source],
        negated=act.negated,
        hypothetical=act.hypothetical,
    )


_REPORTING = frozenset(
    {
        "said",
        "reported",
        "added",
        "stated",
        "noted",
        "told",
        "explained",
        "informed",
        "dijo",
        "informo",
        "indico",
        "senalo",
        "agrego",
        "explico",
        "afirmo",
        "aseguro",
        "preciso",
    }
)


def main_verb(sentence: str, *, lang: str) -> tuple[int, int]:
    """Offsets of a cheap guess at the main verb: the first past-tense form that is not a
    reporting verb (English "-ed"; Spanish preterite "-aron", "-ieron", "-ó"), else (0, 0)."""
    spanish = _lang(lang) == "es"
    for token in tokenize(sentence)[1:]:
        word = token.text
        if len(word) < 5 or word in _REPORTING or word in DERIVED_STOP:
            continue
        if spanish:
            if word.endswith(("aron", "ieron")) or sentence[token.end - 1] in "óÓ":
                return token.start, token.end
        elif word.endswith("ed"):
            return token.start, token.end
    return 0, 0
