"""Fronts from bilingual keywords (sentences written for dyadwatch)."""

from __future__ import annotations

import pytest

from dyadwatch.coding.fronts import front_patterns, fronts_for
from dyadwatch.ontology import FRONT_KEYS

CASES = [
    ("en", "Police seized fentanyl precursors bound for the cartel", "fentanyl"),
    ("es", "Aseguraron precursores de fentanilo del cártel", "fentanyl"),
    ("en", "The government restarted the Remain in Mexico program for asylum seekers", "migration"),
    ("es", "Cientos de migrantes esperan una cita de CBP One para pedir asilo", "migration"),
    ("en", "Washington announced new tariffs on steel under the USMCA", "trade"),
    ("es", "Los aranceles afectan el comercio bajo el T-MEC", "trade"),
    ("en", "The National Guard sent more troops to the border", "militarization"),
    ("es", "La Guardia Nacional reforzó la vigilancia con más soldados", "militarization"),
    ("en", "Trump floated unilateral drone strikes on Mexican soil", "military_action"),
    ("es", "Sheinbaum defendió la soberanía ante cualquier intervención", "military_action"),
    ("en", "Both governments expanded intelligence sharing and joint operations", "cooperation"),
    ("es", "Ambos países anunciaron un acuerdo de seguridad y más cooperación", "cooperation"),
]


@pytest.mark.parametrize(("lang", "sentence", "front"), CASES)
def test_keyword_gives_front(lang, sentence, front) -> None:
    assert front in fronts_for(sentence, lang=lang, plover_type=None)


def test_no_keyword_no_front() -> None:
    assert fronts_for("Good morning, everyone.", lang="en", plover_type=None) == ()


def test_fronts_are_multi_label_in_canonical_order() -> None:
    found = fronts_for(
        "Mexico extradited cartel leaders to the United States", lang="en", plover_type="COOPERATE"
    )
    assert found == ("fentanyl", "cooperation")


def test_cooperative_act_between_the_two_countries_adds_cooperation() -> None:
    sentence = "Sheinbaum habló con Trump sobre el agua"
    assert fronts_for(sentence, lang="es", plover_type="CONSULT") == ("cooperation",)
    assert fronts_for(sentence, lang="es", plover_type="THREATEN") == ()


def test_words_match_at_word_starts_only() -> None:
    assert "trade" not in fronts_for("The comrade spoke", lang="en", plover_type=None)


def test_every_front_has_keywords() -> None:
    assert tuple(front_patterns()) == FRONT_KEYS
