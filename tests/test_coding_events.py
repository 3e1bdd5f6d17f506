"""The event typer: golden sentences written for dyadwatch (not taken from any dev set)."""

from __future__ import annotations

import pytest

from dyadwatch.coding import TextInput, load_rule_coder
from dyadwatch.coding.events import load_event_typer
from dyadwatch.coding.trigger_lexicon import normalize, tokenize
from dyadwatch.coding.triggers import scan
from dyadwatch.ontology import PLOVER_TYPES

GOLDEN = [
    ("en", "Trump threatened to impose 25% tariffs on Mexican imports", "THREATEN"),
    ("en", "The U.S. imposed 25% tariffs on imports from Mexico", "SANCTION"),
    ("en", "Mexico deployed 10,000 National Guard troops to the border", "MOBILIZE"),
    # COERCE 'ban': CAMEO 1722 "add to list of banned parties" (events.py docstring)
    (
        "en",
        "The State Department designated six cartels as foreign terrorist organizations",
        "COERCE",
    ),
    ("en", "The Pentagon sent 1,500 troops to the southern border", "MOBILIZE"),
    # PLOVER manual: extraditions are judicial cooperation
    ("en", "Mexico extradited 29 cartel figures to the United States", "COOPERATE"),
    # PLOVER manual: SUPPORT covers "ratify, sign, or finalize an agreement"
    ("en", "The two countries signed a security agreement", "SUPPORT"),
    ("en", "The two countries agreed to a new security framework", "AGREE"),
    ("en", "President Sheinbaum spoke by phone with President Trump", "CONSULT"),
    (
        "en",
        "Trump said the U.S. could carry out unilateral strikes against cartels in Mexico",
        "THREATEN",
    ),
    ("en", "Washington urged Mexico to deploy more soldiers along the border", "DEMAND"),
    ("en", "Mexico pledged to provide aid to the flood victims", "AGREE"),
    ("en", "The foreign minister accused Washington of smuggling weapons", "DISAPPROVE"),
    ("en", "Police arrested three suspected cartel members in Sonora", "COERCE"),
    ("en", "Gunmen smuggled fentanyl pills across the border near Nogales", "CRIME"),
    ("en", "Hundreds of farmers protested in front of the governor's office", "PROTEST"),
    ("en", "A U.S. drone strike hit a cartel camp in the mountains", "FIGHT"),
    ("es", "México desplegó 10 mil elementos de la Guardia Nacional en la frontera", "MOBILIZE"),
    ("es", "Sheinbaum rechazó cualquier intervención militar", "REJECT"),
    ("es", "Estados Unidos amenazó con imponer aranceles", "THREATEN"),
    ("es", "La presidenta sostuvo una llamada con el presidente Trump", "CONSULT"),
    ("es", "México extraditó a 29 narcotraficantes a Estados Unidos", "COOPERATE"),
    ("es", "El gobierno exigió a Washington frenar el tráfico de armas", "DEMAND"),
    ("es", "Soldados detuvieron a cinco integrantes del cártel en Culiacán", "COERCE"),
    ("es", "El gobierno no aceptó la propuesta de Washington", "REJECT"),
    ("es", "Estados Unidos impuso aranceles al acero mexicano", "SANCTION"),
    ("es", "Hombres armados dieron muerte a un comerciante en Culiacán", "FIGHT"),
    ("es", "Sicarios ejecutaron con varios disparos a un policía", "FIGHT"),
    ("es", "Un agente fue ejecutado por un comando armado", "FIGHT"),
    ("es", "Sicarios ejecutaron al director de la policía municipal", "FIGHT"),
    # UniversalPetrarch's Spanish dictionary codes dynamiting as 193 (FIGHT)
    ("es", "Guerrilleros dinamitaron un oleoducto en Arauca", "FIGHT"),
    ("es", "Cientos de presos se amotinaron en el penal de Cadereyta", "PROTEST"),
    ("en", "Rioters set cars on fire in the capital", "PROTEST"),
    ("en", "Parliament approved a plan to deploy troops to the border", "MOBILIZE"),
    ("en", "Israel released 20 Palestinian prisoners on Monday", "RETREAT"),
]

NON_EVENTS = [
    ("en", "Good morning, everyone."),
    ("es", "Buenos días."),
    ("en", "Thank you very much."),
    ("es", "Muchas gracias, presidenta."),
    ("en", "Next question, please."),
    ("es", "Vamos a pasar a las preguntas."),
    ("es", "La empresa ejecutó el proyecto de la carretera."),
]
# Words that look like acts but are not (the coder reports nothing).
NOT_ACTS = [
    "The ministry released a statement on Tuesday.",
    "Many settlers live in the Israeli-occupied West Bank.",
    "Security forces were present at the ceremony.",
]


@pytest.fixture(scope="module")
def typer():
    return load_event_typer()


@pytest.mark.parametrize(("lang", "sentence", "expected"), GOLDEN)
def test_golden_sentence_gets_its_type(typer, lang, sentence, expected) -> None:
    triggers = typer.detect(sentence, lang=lang)
    assert triggers, sentence
    assert triggers[0].plover_type == expected
    assert all(t.plover_type in PLOVER_TYPES for t in triggers)


@pytest.mark.parametrize(("lang", "sentence"), NON_EVENTS)
def test_non_events_give_nothing(typer, lang, sentence) -> None:
    assert typer.detect(sentence, lang=lang) == []


def test_threat_of_tariffs_is_not_coded_as_sanction(typer) -> None:
    types = {t.plover_type for t in typer.detect("Trump threatened to impose tariffs", lang="en")}
    assert types == {"THREATEN"}


def test_hypothetical_strike_is_a_threat_marked_hypothetical(typer) -> None:
    sentence = "Trump said the U.S. could carry out unilateral strikes against cartels in Mexico"
    (trigger,) = typer.detect(sentence, lang="en")
    assert trigger.hypothetical and trigger.plover_type == "THREATEN"


def test_negated_agreement_is_no_agree(typer) -> None:
    types = [t.plover_type for t in typer.detect("Mexico did not agree to the proposal", lang="en")]
    assert "AGREE" not in types


def test_negated_arrest_is_dropped() -> None:
    assert scan("Police did not arrest anyone", lang="en") == []


def test_trigger_offsets_point_into_the_sentence(typer) -> None:
    sentence = "México desplegó 10 mil elementos de la Guardia Nacional"
    (trigger,) = typer.detect(sentence, lang="es")
    assert sentence[trigger.start : trigger.end] == trigger.text
    assert trigger.text.startswith("desplegó")


def test_normalize_keeps_length() -> None:
    text = "Intervención “militar” — ¿sí?"
    assert len(normalize(text)) == len(text)
    assert [t.text for t in tokenize(text)] == ["intervencion", "militar", "si"]


def test_detect_many_matches_detect(typer) -> None:
    sentences = [s for lang, s, _ in GOLDEN if lang == "en"] + ["Thank you."]
    many = typer.detect_many(sentences, lang="en")
    assert many == [typer.detect(s, lang="en") for s in sentences]


# ---------------------------------------------------------------- general rules (own sentences)

RULES = [
    # ALL-CAPS wire copy is matched like normal text
    ("en", "CANADA SAID ON FRIDAY IT WOULD SEND FOOD AID TO THE REFUGEE CAMPS", "AGREE"),
    ("en", "THE TWO ARMIES EXCHANGED ARTILLERY FIRE ACROSS THE FRONT LINE", "FIGHT"),
    ("en", "THE PRIME MINISTER REJECTED CALLS FOR HIS RESIGNATION", "REJECT"),
    # announced cooperative acts are AGREE (CAMEO 03x, PLOVER AGREE)
    ("en", "The ministry said it was ready to share intelligence with its neighbours", "AGREE"),
    ("en", "Brazil will host talks between the two parties next month", "AGREE"),
    # an announced retreat is CONCEDE (PLOVER manual), a promised attack a THREATEN
    ("en", "The government said it would withdraw troops from the valley", "CONCEDE"),
    ("en", "The rebel leader vowed to attack the capital", "THREATEN"),
    # REJECT and DEMAND verbs
    ("en", "The council vetoed the draft resolution", "REJECT"),
    ("en", "The minister turned down the invitation to the summit", "REJECT"),
    ("en", "Aid agencies appealed for more donations for the camps", "DEMAND"),
    ("en", "The opposition called on the president to resign", "DEMAND"),
    ("es", "El sindicato se negó a firmar el acuerdo salarial", "REJECT"),
    ("es", "Los alcaldes exigieron al gobierno más recursos para la salud", "DEMAND"),
    # FIGHT vs ASSAULT
    ("en", "Rebels and government troops clashed near the northern town", "FIGHT"),
    ("en", "Insurgents ambushed an army convoy on the highway", "FIGHT"),
    ("en", "Militiamen massacred dozens of villagers in a remote hamlet", "ASSAULT"),
    ("en", "Gunmen kidnapped two aid workers near the border", "ASSAULT"),
    ("es", "El ejército y la guerrilla sostuvieron combates en la zona rural", "FIGHT"),
    ("es", "Guerrilleros atacaron una patrulla del ejército en la vereda", "FIGHT"),
    ("es", "Hombres armados secuestraron a un comerciante en la carretera", "ASSAULT"),
    # protest and coercion in Spanish
    ("es", "Cientos de maestros marcharon hasta la plaza principal", "PROTEST"),
    ("es", "El paro de transportadores cumple tres días", "PROTEST"),
    ("es", "La policía capturó a cuatro integrantes de una banda", "COERCE"),
]


@pytest.mark.parametrize(("lang", "sentence", "expected"), RULES)
def test_general_rules(typer, lang, sentence, expected) -> None:
    triggers = typer.detect(sentence, lang=lang)
    assert triggers, sentence
    assert triggers[0].plover_type == expected, [(t.text, t.plover_type) for t in triggers]


def test_all_caps_gives_the_same_type_as_normal_case(typer) -> None:
    sentence = "Japan said on Monday it would send medical teams to the stricken region"
    normal = typer.detect(sentence, lang="en")
    caps = typer.detect(sentence.upper(), lang="en")
    assert normal and caps
    assert [t.plover_type for t in normal] == [t.plover_type for t in caps]


def test_speculation_about_cooperation_is_not_coded() -> None:
    assert scan("Analysts said the government could send aid next year", lang="en") == []


def test_types_are_plain_str_and_fallback_span_is_in_the_sentence(typer) -> None:
    sentences = [s for _, s, _ in RULES if _ == "en"] + [
        "The storm flooded several districts of the coastal province overnight"
    ]
    for sentence, triggers in zip(sentences, typer.detect_many(sentences, lang="en"), strict=True):
        for trigger in triggers:
            assert type(trigger.plover_type) is str
            assert sentence[trigger.start : trigger.end] == trigger.text


# Press-briefing commentary, legal drafting and statistics report no event.
BRIEFING_NON_EVENTS = [
    ("en", "This is something the President has fought for his entire career."),
    ("en", "She has spent years fighting against corruption and poverty."),
    ("en", "The Secretary shall submit a report within 90 days of the date of this order."),
    ("en", "Nothing in this order shall be construed to impair any authority granted by law."),
    ("en", "We are going to do a lot of things for the people."),
    ("es", "Vamos a seguir combatiendo la corrupción y la pobreza."),
    ("es", "Los homicidios bajaron 25 por ciento en el último año."),
    ("es", "Fue el último día del año."),
]


@pytest.mark.parametrize(("lang", "sentence"), BRIEFING_NON_EVENTS)
def test_briefing_commentary_is_no_trigger(lang, sentence) -> None:
    assert scan(sentence, lang=lang) == [], sentence


BRIEFING_RULES = [
    # a fight word without an abstract cause, or an attack, stays FIGHT
    ("en", "A U.S. drone strike hit a cartel camp in the mountains", "FIGHT"),
    ("es", "Soldados y sicarios se enfrentaron en Culiacán", "FIGHT"),
    # a promise to call for something is the call
    ("en", "The ministers agreed to call for an immediate ceasefire", "DEMAND"),
    # the first act governed decides: a promise to cooperate stays AGREE
    ("en", "The two countries agreed to cooperate in fighting drug trafficking", "AGREE"),
    ("en", "Russia massed troops on the border", "MOBILIZE"),
    ("en", "The government placed the army on high alert", "MOBILIZE"),
]


@pytest.mark.parametrize(("lang", "sentence", "expected"), BRIEFING_RULES)
def test_briefing_rules(lang, sentence, expected) -> None:
    triggers = scan(sentence, lang=lang)
    assert triggers, sentence
    assert triggers[0].plover_type == expected, [(t.text, t.plover_type) for t in triggers]


@pytest.mark.parametrize("sentence", NOT_ACTS)
def test_words_that_only_look_like_acts_code_nothing(sentence: str) -> None:
    assert load_rule_coder().code(TextInput("n", sentence, lang="en")) == []
