"""FIGHT or ASSAULT, by who uses force against whom (sentences written for dyadwatch).

CAMEO 19 (FIGHT) is "all uses of conventional force and acts of war typically by organized
armed groups"; CAMEO 18 (ASSAULT) is unconventional violence: murders, assassinations and
kidnappings by gunmen, criminals or unknown attackers of people who are not combatants.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coding import RuleCoder, TextInput, load_rule_coder

KILLINGS = [
    # an organized armed force kills, or is killed: an act of war
    ("es", "Guerrilleros del ELN asesinaron a dos soldados en Arauca.", "FIGHT"),
    ("es", "Paramilitares dieron muerte a tres campesinos en el Cauca.", "FIGHT"),
    ("es", "Un policía fue asesinado por sicarios en Celaya.", "FIGHT"),
    ("es", "Soldados del Ejército mataron a cuatro delincuentes en Tamaulipas.", "FIGHT"),
    ("en", "Soldiers killed four militants near the border.", "FIGHT"),
    # nobody armed and organized on either side: one-sided violence
    ("es", "Desconocidos asesinaron a un periodista en Veracruz.", "ASSAULT"),
    ("es", "Asesinaron a una activista ambiental en su domicilio.", "ASSAULT"),
    ("en", "Unidentified attackers murdered a journalist in Veracruz.", "ASSAULT"),
]


@pytest.fixture(scope="module")
def coder() -> RuleCoder:
    return load_rule_coder()


@pytest.mark.parametrize(("lang", "sentence", "expected"), KILLINGS)
def test_killing_type_depends_on_who_kills_whom(coder, lang, sentence, expected) -> None:
    events = coder.code(TextInput("k", sentence, dt.date(2024, 5, 1), lang))
    assert [e.event_type for e in events] == [expected]
    assert events[0].quad_class == 4


def test_passive_trigger_takes_the_agent_after_por_as_source(coder) -> None:
    (event,) = coder.code(
        TextInput("p", "Un campesino fue ejecutado por guerrilleros de las FARC.", None, "es")
    )
    assert event.source.sector == "REB"
    assert event.target is not None and event.target.sector == "CVL"


def test_agent_phrase_without_auxiliary_names_the_source(coder) -> None:
    (event,) = coder.code(
        TextInput(
            "a",
            "Fue confirmada la ejecución de tres campesinos por parte de paramilitares.",
            None,
            "es",
        )
    )
    assert (event.event_type, event.source.sector) == ("FIGHT", "REB")


def test_a_death_squad_is_an_organized_armed_group(coder) -> None:
    text = "Un grupo de limpieza social asesinó a dos recicladores en Cali."
    (event,) = coder.code(TextInput("d", text, None, "es"))
    assert (event.event_type, event.source.sector) == ("FIGHT", "REB")


def test_a_capitalized_noun_inside_a_spanish_name_is_no_trigger(coder) -> None:
    text = "La vereda Nueva Granada queda a dos horas del casco urbano."
    assert coder.code(TextInput("n", text, None, "es")) == []


@pytest.mark.parametrize(
    ("lang", "sentence", "expected"),
    [
        ("en", "Police clashed with students outside the university.", "PROTEST"),
        ("es", "Policías y jóvenes se enfrentaron al término de una marcha en Bogotá.", "PROTEST"),
        ("en", "Soldiers clashed with rebels in the north.", "FIGHT"),
    ],
)
def test_a_clash_with_unarmed_people_or_at_a_protest_is_a_riot(
    coder, lang, sentence, expected
) -> None:
    (event,) = coder.code(TextInput("c", sentence, None, lang))
    assert event.event_type == expected


@pytest.mark.parametrize(
    ("lang", "sentence", "expected"),
    [
        ("en", "China protested the sale of fighter jets to Taiwan.", "DISAPPROVE"),
        ("es", "La cancillería protestó por la detención de dos connacionales.", "DISAPPROVE"),
        ("es", "Cientos de campesinos protestaron frente a la gobernación.", "PROTEST"),
    ],
)
def test_a_government_that_protests_complains_officially(coder, lang, sentence, expected) -> None:
    (event,) = coder.code(TextInput("o", sentence, None, lang))
    assert event.event_type == expected
