"""The offline gazetteer: border cities and states, ambiguity, and names that are not places."""

from __future__ import annotations

import pytest

from dyadwatch.coding.gazetteer import load_gazetteer
from dyadwatch.coding.types import PlaceMention


def find(sentence: str, lang: str = "en") -> list[PlaceMention]:
    return load_gazetteer().find(sentence, lang=lang)


@pytest.mark.parametrize(
    ("text", "country", "admin1"),
    [
        ("Tijuana", "MEX", "MX-BCN"),
        ("Mexicali", "MEX", "MX-BCN"),
        ("Ciudad Juárez", "MEX", "MX-CHH"),
        ("Juarez", "MEX", "MX-CHH"),
        ("Nogales", "MEX", "MX-SON"),
        ("Nuevo Laredo", "MEX", "MX-TAM"),
        ("Reynosa", "MEX", "MX-TAM"),
        ("Matamoros", "MEX", "MX-TAM"),
        ("Culiacán", "MEX", "MX-SIN"),
        ("Sinaloa", "MEX", "MX-SIN"),
        ("Tamaulipas", "MEX", "MX-TAM"),
        ("Chihuahua", "MEX", "MX-CHH"),
        ("Sonora", "MEX", "MX-SON"),
        ("Baja California", "MEX", "MX-BCN"),
        ("Michoacán", "MEX", "MX-MIC"),
        ("Jalisco", "MEX", "MX-JAL"),
        ("El Paso", "USA", "US-TX"),
        ("San Diego", "USA", "US-CA"),
        ("Laredo", "USA", "US-TX"),
        ("McAllen", "USA", "US-TX"),
        ("Brownsville", "USA", "US-TX"),
    ],
)
def test_border_places_resolve_with_admin1(text: str, country: str, admin1: str) -> None:
    [place] = find(f"Officials traveled to {text} on Tuesday.")
    assert (place.text, place.country, place.admin1) == (text, country, admin1)


def test_cities_have_coordinates_and_states_none() -> None:
    tijuana, sonora = find("From Tijuana to Sonora")
    assert tijuana.lat == pytest.approx(32.5, abs=0.1) and tijuana.lon == pytest.approx(
        -117.0, abs=0.1
    )
    assert (sonora.lat, sonora.lon) == (None, None)


def test_chihuahua_is_the_state_unless_the_city_is_named() -> None:
    [state] = find("La violencia en Chihuahua creció.", "es")
    [city] = find("Detuvieron a dos personas en la ciudad de Chihuahua.", "es")
    assert (state.lat, city.name, city.admin1) == (None, "Chihuahua", "MX-CHH")
    assert city.lat is not None


def test_nogales_arizona() -> None:
    [place] = find("Fentanyl was seized in Nogales, Arizona, this week.")
    assert (place.country, place.admin1) == ("USA", "US-AZ")


def test_the_border_is_no_place() -> None:
    assert find("Encounters at the border fell in March.") == []


def test_names_of_people_and_cartels_are_not_places() -> None:
    assert find("El Benito Juárez fue presidente; Miguel Hidalgo también.", "es") == []
    assert find("The Cártel de Sinaloa and the Juárez Cartel.") == []
    assert find("Secretary Austin met his Mexican counterpart.") == []


def test_common_words_and_lower_case_are_not_places() -> None:
    assert find("La reforma judicial y el progreso de Victoria.", "es") == []
    assert find("the laredo crossing") == []


def test_countries_and_spanish_names() -> None:
    places = find("Estados Unidos y México firmaron; Nuevo México no.", "es")
    assert [(p.name, p.country, p.admin1) for p in places] == [
        ("United States", "USA", None),
        ("Mexico", "MEX", None),
        ("New Mexico", "USA", "US-NM"),
    ]


@pytest.mark.parametrize(
    ("sentence", "lang", "country", "admin1"),
    [
        ("Atacaron un puesto en Neiva, HUILA", "es", "COL", "CO-HUI"),
        ("Combates en Antioquia", "es", "COL", "CO-ANT"),
        ("Fighting in Antioquia province", "en", "COL", "CO-ANT"),
        ("Protestas en Cataluña", "es", "ESP", "ES-CT"),
    ],
)
def test_subdivisions_of_other_countries(
    sentence: str, lang: str, country: str, admin1: str
) -> None:
    places = find(sentence, lang)
    assert (places[-1].country, places[-1].admin1) == (country, admin1)


def test_a_name_two_countries_share_is_read_in_spanish_only() -> None:
    assert find("Rebels in Huila", "en") == []  # Colombia's department and Angola's province
    assert [p.country for p in find("Rebeldes en Huila", "es")] == ["COL"]


def test_words_and_surnames_are_not_foreign_places() -> None:
    assert find("La Secretaría de Justicia y el general Cienfuegos", "es") == []
    assert find("Meta Platforms said", "en") == []
