"""The actor dictionary and resolver, on sentences in the style of the two demo corpora."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coding.actors import load_actor_matcher, resolve_mentions
from dyadwatch.coding.types import ActorMention


def find(sentence: str, lang: str = "en") -> list[ActorMention]:
    return load_actor_matcher().find(sentence, lang=lang)


def triples(mentions: list[ActorMention]) -> list[tuple[str, str | None, str | None, str]]:
    return [(m.text, m.country, m.sector, m.kind) for m in mentions]


def test_two_presidents_are_two_government_persons() -> None:
    found = find("President Trump spoke with President Sheinbaum of Mexico.")
    persons = [m for m in found if m.kind == "person"]
    assert [(m.text, m.code, m.country, m.sector) for m in persons] == [
        ("President Trump", "USAGOV", "USA", "GOV"),
        ("President Sheinbaum", "MEXGOV", "MEX", "GOV"),
    ]


def test_offsets_point_into_the_original_sentence() -> None:
    sentence = "Will President Biden raise that\nwith President López Obrador?\xa0 Thank you."
    for mention in find(sentence):
        assert sentence[mention.start : mention.end] == mention.text


def test_cartel_in_spanish_is_a_mexican_criminal_group() -> None:
    [cartel] = find("El Cártel de Jalisco Nueva Generación controla la plaza.", "es")
    assert (cartel.text, cartel.code, cartel.country, cartel.sector, cartel.kind) == (
        "Cártel de Jalisco Nueva Generación",
        "MEXCRM",
        "MEX",
        "CRM",
        "group",
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Tren de Aragua", "VENCRM"),
        ("MS-13", "SLVCRM"),
        ("the Sinaloa Cartel", "MEXCRM"),
        ("Los Chapitos", "MEXCRM"),
        ("los cárteles", "MEXCRM"),
    ],
)
def test_criminal_groups(text: str, code: str) -> None:
    assert [m.code for m in find(f"Officials named {text} yesterday.")][-1] == code


def test_matching_ignores_accents_and_case() -> None:
    plain = find("Lopez Obrador met Marcelo Ebrard.")
    accented = find("López Obrador met Marcelo Ebrard.")
    assert [(m.code, m.kind) for m in plain] == [(m.code, m.kind) for m in accented]
    assert [m.kind for m in plain] == ["person", "person"]


def test_nationality_adjectives_map_to_the_country() -> None:
    assert triples(find("Mexican and American negotiators")) == [
        ("Mexican", "MEX", None, "country"),
        ("American negotiators", "USA", "GOV", "unknown"),
    ]
    assert [m.country for m in find("el gobierno estadounidense y los mexicanos", "es")] == [
        "USA",
        "MEX",
    ]


def test_whole_words_only() -> None:
    assert find("The Iranian delegation") != []
    assert [m.text for m in find("Mexicanization of the Americanized micex")] == []


def test_short_acronyms_match_only_as_written() -> None:
    assert [m.code for m in find("ICE and the DEA")] == ["USACOP", "USACOP"]
    assert find("Put ice on it, and tell us.") == []


def test_new_mexico_is_not_mexico() -> None:
    assert [m.text for m in find("Troops were sent to New Mexico.")] == ["Troops"]


def test_unknown_actors_keep_the_country_they_can() -> None:
    [officials] = find("Mexican officials said the talks went well.")
    assert (officials.code, officials.country, officials.sector, officials.kind) == (
        None,
        "MEX",
        "GOV",
        "unknown",
    )
    [traffickers] = find("Traffickers moved the shipment north.")
    assert (traffickers.country, traffickers.sector) == (None, "CRM")


def test_agencies_and_sectors() -> None:
    found = find("CBP, the Pentagon, the State Department and the Border Patrol")
    assert [m.sector for m in found] == ["COP", "MIL", "GOV", "COP"]
    spanish = find("La SEDENA, la Guardia Nacional y la FGR", "es")
    assert [(m.code, m.sector) for m in spanish] == [
        ("MEXMIL", "MIL"),
        ("MEXMIL", "MIL"),
        ("MEXJUD", "JUD"),
    ]


@pytest.mark.parametrize(
    ("sentence", "lang", "country", "date", "code", "country_out"),
    [
        ("The President signed the order.", "en", "USA", dt.date(2025, 3, 4), "USAGOV", "USA"),
        (
            "The President met the Mexican delegation.",
            "en",
            "USA",
            dt.date(2022, 6, 1),
            "USAGOV",
            "USA",
        ),
        ("El Presidente habló de la frontera.", "es", "MEX", dt.date(2023, 5, 1), "MEXGOV", "MEX"),
        ("La Presidenta habló de aranceles.", "es", "MEX", dt.date(2025, 2, 3), "MEXGOV", "MEX"),
    ],
)
def test_titles_resolve_to_the_office_holder(
    sentence: str, lang: str, country: str, date: dt.date, code: str, country_out: str
) -> None:
    [title] = [m for m in find(sentence, lang) if m.kind == "title"]
    [person] = resolve_mentions([title], doc_country=country, date=date, previous=[])
    assert (person.code, person.country, person.kind, person.text) == (
        code,
        country_out,
        "person",
        title.text,
    )


def test_secretary_of_defense_by_date_is_military() -> None:
    [title] = find("The Secretary of Defense visited the border.")
    [person] = resolve_mentions([title], doc_country="USA", date=dt.date(2025, 3, 1), previous=[])
    assert (person.code, person.sector) == ("USAMIL", "MIL")


def test_a_title_of_another_country_uses_that_country() -> None:
    [title] = find("The Mexican President rejected the tariffs.")
    [person] = resolve_mentions([title], doc_country="USA", date=dt.date(2025, 3, 4), previous=[])
    assert person.country == "MEX"


def test_title_without_a_date_stays_a_title() -> None:
    [title] = find("The President spoke.")
    [same] = resolve_mentions([title], doc_country="USA", date=None, previous=[])
    assert (same.kind, same.code, same.country) == ("title", None, "USA")


def test_pronoun_resolves_to_the_last_matching_person() -> None:
    earlier = find("President Trump spoke with President Sheinbaum.")
    [she] = find("She said the talks were productive.")
    [resolved] = resolve_mentions([she], doc_country="USA", date=None, previous=earlier)
    assert (resolved.code, resolved.country, resolved.kind) == ("MEXGOV", "MEX", "person")
    [he] = find("He announced tariffs.")
    [resolved] = resolve_mentions([he], doc_country="USA", date=None, previous=earlier)
    assert resolved.country == "USA"


def test_spanish_pronoun_keeps_its_accent() -> None:
    assert find("el gobierno", "es")[0].kind == "unknown"
    assert [m.kind for m in find("Él dijo que sí.", "es")] == ["pronoun"]


def test_pronoun_without_antecedent_stays_unknown() -> None:
    [he] = find("He said so.")
    [same] = resolve_mentions([he], doc_country="USA", date=None, previous=[])
    assert (same.kind, same.code) == ("pronoun", None)


def test_person_out_of_office_keeps_only_the_country() -> None:
    [biden] = find("Biden spoke.")
    [dated] = resolve_mentions([biden], doc_country="USA", date=dt.date(2025, 6, 1), previous=[])
    assert (dated.code, dated.country, dated.sector) == ("USA", "USA", None)


def test_find_handles_a_long_corpus_quickly() -> None:
    matcher = load_actor_matcher()
    sentence = "President Biden raised fentanyl with President López Obrador and Mexican officials."
    assert all(len(matcher.find(sentence, lang="en")) == 3 for _ in range(2000))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Guerrilleros de las FARC atacaron", "COLREB"),
        ("El ELN secuestró a dos soldados", "COLREB"),
        ("Hamas fired rockets", "PSEREB"),
        ("The Taliban seized the town", "AFGREB"),
        ("Boko Haram attacked a village", "NGAREB"),
    ],
)
def test_non_state_armed_groups(text: str, code: str) -> None:
    lang = "es" if " de " in text or text.startswith("El ") else "en"
    assert [m.code for m in find(text, lang) if m.kind == "group"] == [code]


def test_espanola_is_spanish_not_hispaniola() -> None:
    assert [m.country for m in find("la policía española", "es")] == ["ESP"]


@pytest.mark.parametrize(
    "text",
    ["En la reunión con el embajador", "abrieron fuego", "las patrullas", "la antigua sede"],
)
def test_common_spanish_words_are_not_countries(text: str) -> None:
    assert [m.country for m in find(text, "es") if m.kind == "country"] == []


def test_uniformados_are_police() -> None:
    assert [(m.sector, m.country) for m in find("los uniformados", "es")] == [("COP", None)]


def test_world_leaders_from_phoenix() -> None:
    found = find("President Reagan met Yasser Arafat and Angela Merkel")
    assert [m.country for m in found if m.kind == "person"] == ["USA", "PSE", "DEU"]
