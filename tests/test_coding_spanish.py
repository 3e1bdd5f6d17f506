"""Spanish morphology and speech acts in the trigger layer (sentences written for dyadwatch)."""

from __future__ import annotations

import pytest

from dyadwatch.coding.events import load_event_typer
from dyadwatch.coding.lexicon import spanish_forms, spanish_plural
from dyadwatch.coding.triggers import scan


@pytest.fixture(scope="module")
def typer():
    return load_event_typer()


def test_nouns_get_their_plural_and_verbs_their_clitic_forms() -> None:
    assert {"calle", "calles"} <= set(spanish_forms("calle"))
    assert "militares" in spanish_forms("militar")  # the noun, beside the verb
    assert {"matarlo", "secuestrarlas", "asesinandolos"} <= {
        *spanish_forms("matar"),
        *spanish_forms("secuestrar"),
        *spanish_forms("asesinar"),
    }
    assert [spanish_plural(w) for w in ("rehen", "luz", "crisis")] == ["rehenes", "luces", "crisis"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the personal "a" marks a person as the object of ejecutar: a killing
        ("Hombres armados ejecutaron en una vereda a tres campesinos", "FIGHT"),
        ("Un comando ejecutó frente a su casa a un comerciante", "FIGHT"),
        # abduction as Spanish news writes it
        ("Desconocidos se llevaron con rumbo desconocido a un ganadero", "ASSAULT"),
        ("Delincuentes privaron de la libertad a una empresaria en Puebla", "ASSAULT"),
        ("Una banda plagió al hijo de un empresario en Toluca", "ASSAULT"),
        # a threat received, reported as a noun
        ("La alcaldesa recibió amenazas de muerte por teléfono", "THREATEN"),
        # "entre sí" is the pronoun sí, not "if": the act is real
        ("Dos primos entre sí fueron secuestrados por hombres armados", "ASSAULT"),
        # an irregular future announces the act: a threat
        ("México impondrá aranceles a los productos chinos", "THREATEN"),
        ("El gobierno dijo que impondría sanciones a la empresa", "THREATEN"),
        # roads are cut and blocked with burning tyres; toll booths are taken
        ("Vecinos cortaron la circulación en el bulevar durante dos horas", "PROTEST"),
        ("Manifestantes quemaron neumáticos frente a la sede del congreso", "PROTEST"),
        ("Productores tomaron las casetas de la autopista en Sonora", "PROTEST"),
        # an announced march is a threat of protest (CAMEO 133, THREATEN 'restrict')
        ("Los maestros marcharán el jueves hacia el Zócalo", "THREATEN"),
        # an object pronoun on the infinitive
        ("Los sicarios intentaron secuestrarlo a la salida de su oficina", "ASSAULT"),
    ],
)
def test_spanish_acts(typer, sentence: str, expected: str) -> None:
    triggers = typer.detect(sentence, lang="es")
    assert triggers, sentence
    assert triggers[0].plover_type == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "La empresa ejecutó el proyecto a tiempo",
        "El municipio ejecutó el presupuesto a los pocos meses",
    ],
)
def test_ejecutar_with_a_thing_is_no_killing(sentence: str) -> None:
    assert all(t.plover_type != "FIGHT" for t in scan(sentence, lang="es"))


def test_entre_si_is_not_a_modal() -> None:
    (trigger,) = [t for t in scan("Dos hermanos entre sí fueron asesinados", lang="es")]
    assert not trigger.hypothetical


def test_a_negated_adjective_does_not_negate_the_act() -> None:
    (trigger,) = scan("Dos turistas, no identificados, fueron secuestrados en la sierra", lang="es")
    assert (trigger.plover_type, trigger.negated) == ("ASSAULT", False)


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("es", "El gobierno no lo detuvo"),
        ("en", "Police did not immediately arrest the men"),
    ],
)
def test_negation_reaches_past_auxiliaries_clitics_and_adverbs(lang: str, sentence: str) -> None:
    assert all(t.plover_type != "COERCE" for t in scan(sentence, lang=lang))
