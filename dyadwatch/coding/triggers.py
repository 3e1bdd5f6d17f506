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
   :data:`MODIFIER_WINDOW` tokens before a trigger negate it when only auxiliaries,
   clitics, adverbs or a light verb stand between (:data:`NEGATION_SCOPE`: "did not
   immediately agree", "no lo mataron"; not "no identificados, fueron asesinados"). A
   negated cooperative act
   (AGREE, SUPPORT, CONSULT, COOPERATE, AID, CONCEDE, RETREAT) becomes REJECT ("did not
   agree", "no aceptó"); any other negated act is dropped ("did not arrest").
3. **Speculative modals.** "could", "may", "might", "if", "podría", ... before a trigger
   make it hypothetical: a conflict act (SANCTION, COERCE, MOBILIZE, ASSAULT, FIGHT,
   PROTEST) is coded THREATEN with ``hypothetical=True``; any other act is dropped
   (speculation).
4. **Announced acts.** "will", "would", "plans to", "ready to", "va a", a Spanish future
   or conditional form ("enviará", "enviaría") before a trigger mark an intention (CAMEO
   03x): CONSULT, SUPPORT, COOPERATE, AID become AGREE; RETREAT becomes CONCEDE (PLOVER
   manual); SANCTION, COERCE, ASSAULT, FIGHT, PROTEST become THREATEN (an announced
   strike or march is CAMEO 133); an announced deployment stays MOBILIZE. A promise
   governor (pledge, vow) over a conflict act is THREATEN, over a deployment MOBILIZE.
5. **Control verbs.** A derived verb followed by "to"/"a"/"de" and another trigger
   ("decided to send troops") gives way to that trigger.
6. **FIGHT vs ASSAULT** (:func:`armed_clashes`): killings are FIGHT here, marked
   ``killing`` so that the pipeline can settle them by who killed whom (an act of war by
   or against organized armed forces is FIGHT, any other killing ASSAULT); attacks on
   armed forces, or in a sentence reporting an armed clash, are FIGHT; attacks on
   civilians, massacres, kidnappings, bombings stay ASSAULT.

7. **Press-briefing non-events.** Acts after legal drafting words ("shall", "hereby",
   "pursuant": :data:`DEONTIC`) are dropped ("the Secretary shall submit a report"); a
   "fight" word (:data:`_FIGHT_WORDS`) followed by "for"/"to" or by an abstract ill
   (:data:`ABSTRACT`: "fought for American workers", "the fight against corruption",
   "combatir la pobreza") is not FIGHT; noun triggers in a statistic (:data:`STATISTICS`:
   "homicides fell 20 percent") are dropped. A promise governor over a DEMAND ("agreed to
   call for a ceasefire") is DEMAND, and only the first act a governor takes decides its
   type ("agreed to cooperate in fighting terrorism" stays AGREE); a promised refusal is
   REJECT ("vowed to defy the government"), a promise not to act stays AGREE ("pledged not
   to raise tariffs"), and a derived verb+object pattern that spans a negator is negated
   ("said he would not provide support"). A control verb reaches its "to" past time and
   manner adverbials (:data:`ADVERBIALS`: "decided on Friday to send troops"). Ambiguous
   derived verbs (:data:`DERIVED_NOISE`: "going to", "served", "heard", "order", "el
   último") are not triggers.

Noun triggers (role ``noun`` in ``supplement.tsv``: "aid", "protesta", "combates") count
only when no hand-written verb trigger fires in the sentence. Matching is on lower-cased
tokens, so ALL-CAPS wire copy is read like normal text.

A governed THREATEN takes a mode from the act threatened (:data:`THREAT_MODES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from dyadwatch.coding.trigger_lexicon import (
    DERIVED_STOP,
    Match,
    Token,
    find_matches,
    load_lexicon,
    select,
    tokenize,
)
from dyadwatch.coding.types import Trigger

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
# Acts that, announced, promised or hypothetical, are threats. PROTEST is one: CAMEO 133
# "threaten with political dissent, protest", and PLOVER's THREATEN 'restrict' names
# strikes and blockades ("los maestros marcharán el jueves", "unions could strike").
CONFLICT_ACTS = frozenset({"SANCTION", "COERCE", "MOBILIZE", "ASSAULT", "FIGHT", "PROTEST"})
THREAT_MODES = {
    "SANCTION": "restrict",
    "COERCE": "restrict",
    "PROTEST": "restrict",
    "MOBILIZE": "violence",
    "ASSAULT": "violence",
    "FIGHT": "violence",
    "deport": "expel",
    "arrest": "arrest",
    "ban": "ban",
}


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
    killing: bool = False


def apply_rules(tokens: list[str], matches: list[Match], *, lang: str) -> list[Act]:
    """Apply governors, negation, modals and future tense (see the module docstring)."""
    acts: list[Act] = []
    governed_until = -1
    first_governed = False
    for match in matches:
        if match.start < governed_until and acts:
            restraint = not NEGATORS.isdisjoint(tokens[max(0, match.start - 2) : match.start])
            acts[-1] = _absorb(acts[-1], match, first=first_governed and not restraint)
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
    promise into a threat ("agreed to cooperate in fighting terrorism" stays AGREE), and
    not a negated one ("pledged not to raise tariffs" is a promise of restraint)."""
    mode = governor.mode
    plover = governor.plover
    kind = governed.entry.mode or governed.entry.plover
    if first and plover == "AGREE" and governed.entry.plover == "DEMAND":
        # "agreed to call for a ceasefire", "pledged to seek his release": the act is a call
        plover, mode = "DEMAND", governed.entry.mode
    if first and plover == "AGREE" and governed.entry.plover == "MOBILIZE":
        # "agreed to send 3,000 more troops": as for an announced deployment (rule 4),
        # committing the forces is already the show of force
        plover, mode = "MOBILIZE", governed.entry.mode
    elif first and plover == "AGREE" and governed.entry.plover in CONFLICT_ACTS:
        # "vowed to retaliate", "se comprometió a atacar": a promised conflict act is a threat
        plover, mode = "THREATEN", None
    if first and plover == "AGREE" and governed.entry.plover == "REJECT":
        # "vowed to defy the government", "prometió rechazar": a promised refusal refuses
        plover, mode = "REJECT", None
    if plover == "THREATEN" and mode is None:
        mode = THREAT_MODES.get(kind) or THREAT_MODES.get(governed.entry.plover)
    return replace(governor, end=max(governor.end, governed.end), plover=plover, mode=mode)


# "entre sí", "para sí", "de por sí": the pronoun "sí" (accents are stripped), not "if"
_SI_PREPOSITIONS = frozenset("entre para de en por a sobre hacia ante contra".split())


def _modifiers(tokens: list[str], start: int) -> set[str]:
    """The words just before a trigger, without a "si" that is the pronoun "sí"."""
    first = max(0, start - MODIFIER_WINDOW)
    return {
        word
        for i, word in enumerate(tokens[first:start], start=first)
        if word != "si" or i == 0 or tokens[i - 1] not in _SI_PREPOSITIONS
    }


def _modify(tokens: list[str], match: Match, *, lang: str) -> Act | None:
    before = _modifiers(tokens, match.start)
    entry = match.entry
    act = Act(match.start, match.end, entry.plover, entry.mode, entry.source)
    if _negated_before(tokens, match.start) or _negated_inside(tokens, match):
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


# What may stand between a negator and the act it negates: auxiliaries, clitics, adverbs,
# and a light verb with its article before a noun trigger ("did not immediately agree",
# "no se ha detenido", "no lo mataron", "would not give a guarantee", "no dio ninguna
# garantía"). Any other word ends its scope: in "dos comerciantes, no identificados, fueron
# asesinados" the "no" negates "identificados", not the killing.
NEGATION_SCOPE = frozenset(
    """do does did have has had be been being was were is are will would could should can
    to yet ever even also already formally publicly officially
    give gave given make made take took hold held use used reach reached provide provided
    a an the any
    se lo la los las le les me te nos ha han he hemos habia habian hubo haber fue fueron
    sido ser es son era eran esta estan estaba estaban va van ya aun todavia tampoco
    dar dio dieron hacer hizo hicieron tener tuvo tuvieron un una el ningun ninguna""".split()
)


def _negated_before(tokens: list[str], start: int) -> bool:
    """A negator within :data:`MODIFIER_WINDOW` tokens before a trigger, with only
    auxiliaries, clitics or adverbs between them."""
    for i in range(start - 1, max(-1, start - 1 - MODIFIER_WINDOW), -1):
        word = tokens[i]
        if word in NEGATORS:
            return True
        if word not in NEGATION_SCOPE and not word.endswith(("ly", "mente")):
            return False
    return False


def _negated_inside(tokens: list[str], match: Match) -> bool:
    """A derived verb+object pattern spanning a negator ("said he would not provide
    support") is negated; hand-written phrases are not ("pledged not to raise tariffs" is
    a promise of restraint)."""
    return match.entry.source == "pattern" and not NEGATORS.isdisjoint(
        tokens[match.start + 1 : match.end - 1]
    )


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
    """A Spanish conditional: regular ("enviaría") or with an irregular "-dr-" stem
    ("impondría", "mantendría", "saldría")."""
    return lang == "es" and token.endswith(
        ("aria", "arian", "eria", "erian", "iria", "irian", "dria", "drian")
    )


def _future(token: str, *, lang: str) -> bool:
    """A Spanish future: regular ("enviará") or with an irregular "-dr-" stem
    ("impondrá", "tendrá", "vendrán")."""
    return (
        lang == "es"
        and len(token) > 5
        and token.endswith(("ara", "aran", "era", "eran", "ira", "iran", "dra", "dran"))
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
    if not is_upper_case(sentence):
        found = [m for m in found if not _proper_noun(sentence, tokens, m, lang=lang)]
    matches = _drop_control_verbs(words, select(found))
    matches = [
        m for m in matches if not _metaphorical_fight(words, m) and not _not_an_act(words, m)
    ]
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


# "released a statement" publishes a text (no prisoner is freed); "Israeli-occupied
# territories" describes a place (no occupation is reported in the sentence).
_PUBLISHED = frozenset(
    """statement statements report reports video videos footage figures data details
    results communique photos photographs images document documents list transcript
    findings plan plans letter letters text book album song comunicado informe""".split()
)
_OCCUPIED_PLACES = frozenset(
    "territory territories land lands west gaza golan areas area zone east kashmir".split()
)


def _not_an_act(words: list[str], act: Match) -> bool:
    """A release of a text, or "occupied" used as an adjective of a place."""
    head = words[act.start]
    following = words[act.end : act.end + 3]
    if head.startswith("releas") and act.entry.plover in ("RETREAT", "CONCEDE"):
        return not _PUBLISHED.isdisjoint(following)
    if head == "occupied":
        return bool(following) and following[0] in _OCCUPIED_PLACES
    return False


_CONTROL_NOUNS = frozenset(
    "plan plans proposal proposals decision measure measures order orders".split()
)


def _controls(words: list[str], match: Match) -> bool:
    """A derived verb, or a derived verb + object pattern whose object is a plan or a
    decision ("approved a plan", "adopted a proposal"): it can introduce another act."""
    if match.entry.source == "verb":
        return True
    return match.entry.source == "pattern" and words[match.end - 1] in _CONTROL_NOUNS


# When and how, between a control verb and its "to" ("decided on Friday to", "agreed
# today to", "decidió el lunes"): skipped when looking for the infinitive.
ADVERBIALS = frozenset(
    """today yesterday tonight on monday tuesday wednesday thursday friday saturday sunday
    formally unanimously also finally again later earlier tentatively quickly now this
    week weekend hoy ayer el este lunes martes miercoles jueves viernes sabado domingo
    tambien finalmente unanimemente""".split()
)


def _infinitive_after(words: list[str], end: int) -> int | None:
    """Index of the "to"/"a"/"de" that follows a verb, past time and manner adverbials."""
    pos = end
    while pos < len(words) and pos < end + MODIFIER_WINDOW and words[pos] in ADVERBIALS:
        pos += 1
    return pos if pos < len(words) and words[pos] in _INFINITIVE else None


def _drop_control_verbs(words: list[str], matches: list[Match]) -> list[Match]:
    """A derived verb followed by "to"/"a"/"de" and another trigger ("decided to send
    troops", "decided on Friday to demand", "led efforts to ...", "approved a plan to
    deploy troops") introduces that act: the act is coded."""
    kept = []
    for i, match in enumerate(matches):
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        to = _infinitive_after(words, match.end) if _controls(words, match) else None
        if nxt is not None and to is not None and nxt.start - to <= MODIFIER_WINDOW:
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
      in the lexicon) is FIGHT ``firearms`` marked ``killing``: the pipeline, which knows
      the perpetrator and the victim, keeps it FIGHT when either is an organized armed
      force and makes it ASSAULT otherwise (``pipeline._killing``). Massacres (CAMEO
      202), assassinations (186), kidnapping, torture and bombings stay ASSAULT.
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
            killing = act.plover == "FIGHT"
            act = replace(act, mode="firearms" if killing else None, killing=killing)
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


def _proper_noun(sentence: str, tokens: list[Token], match: Match, *, lang: str) -> bool:
    """A derived trigger on a capitalized word inside the sentence ("United") is a name, and
    so is a capitalized Spanish noun trigger that continues a name ("vereda Nueva Granada",
    "Puerto Asalto"); a named event stays an event ("el Paro Nacional")."""
    start = match.start
    if start == 0 or not sentence[tokens[start].start].isupper():
        return False
    if match.entry.source in ("pattern", "verb"):
        return True
    return (
        match.entry.source == "noun"
        and _lang(lang) == "es"
        and start > 1
        and sentence[tokens[start - 1].start].isupper()
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
        killing=act.killing,
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
