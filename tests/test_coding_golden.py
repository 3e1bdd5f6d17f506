"""Golden sentences of the U.S.–Mexico relationship with their expected events.

Written by us (not taken from any dev set). Types follow the documented mapping in
dyadwatch/coding/triggers.py and the official CAMEO→PLOVER table: signing an agreement is
SUPPORT (CAMEO 057), a terrorist designation is COERCE/ban (CAMEO 1722), an extradition is
COOPERATE (judicial cooperation).
"""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coding import CodedEvent, RuleCoder, TextInput, load_rule_coder

DAY = dt.date(2025, 3, 4)


@pytest.fixture(scope="module")
def coder() -> RuleCoder:
    return load_rule_coder()


def _one(coder: RuleCoder, text: str, lang: str | None = None) -> CodedEvent:
    events = coder.code(TextInput("g", text, DAY, lang))
    assert len(events) == 1, events
    return events[0]


def _pair(event: CodedEvent) -> tuple[str | None, str | None]:
    return event.source.country, event.target.country if event.target else None


GOLDEN = [
    (
        "Trump threatened to impose 25% tariffs on Mexican imports.",
        "THREATEN",
        ("USA", "MEX"),
        "trade",
    ),
    (
        "Mexico deployed 10,000 National Guard troops to the border with the United States.",
        "MOBILIZE",
        ("MEX", "USA"),
        "militarization",
    ),
    (
        "The State Department designated six Mexican cartels as foreign terrorist organizations.",
        "COERCE",
        ("USA", "MEX"),
        "fentanyl",
    ),
    (
        "The Pentagon sent 1,500 U.S. troops to the southern border.",
        "MOBILIZE",
        ("USA", None),
        "militarization",
    ),
    (
        "Mexico extradited 29 cartel figures to the United States.",
        "COOPERATE",
        ("MEX", "MEX"),
        "fentanyl",
    ),
    (
        "Mexico and the United States signed a security agreement on Thursday.",
        "SUPPORT",
        ("USA", None),
        "cooperation",
    ),
    (
        "President Sheinbaum spoke by phone with President Trump.",
        "CONSULT",
        ("MEX", "USA"),
        "cooperation",
    ),
    (
        "Trump said the U.S. could carry out unilateral strikes against cartels in Mexico.",
        "THREATEN",
        ("USA", "MEX"),
        "military_action",
    ),
]


@pytest.mark.parametrize(("text", "kind", "pair", "front"), GOLDEN)
def test_golden_sentence(
    coder: RuleCoder, text: str, kind: str, pair: tuple[str, str | None], front: str
) -> None:
    event = _one(coder, text)
    assert event.event_type == kind
    assert _pair(event) == pair
    assert front in event.fronts
    assert event.evidence == text and event.date == DAY


def test_a_threat_is_coded_as_the_threat_not_the_act(coder: RuleCoder) -> None:
    assert _one(coder, "Washington could impose new tariffs on Mexico.").event_type == "THREATEN"


def test_negated_agreement_is_not_an_agreement(coder: RuleCoder) -> None:
    events = coder.code(TextInput("n", "Mexico did not agree to the U.S. proposal.", DAY))
    assert all(e.event_type != "AGREE" for e in events)


def test_spanish_sentences(coder: RuleCoder) -> None:
    deploy = _one(coder, "México desplegó 10 mil elementos de la Guardia Nacional en la frontera.")
    assert (deploy.event_type, deploy.source.country, deploy.lang) == ("MOBILIZE", "MEX", "es")
    rejection = _one(coder, "Sheinbaum rechazó cualquier intervención militar de Estados Unidos.")
    assert (rejection.event_type, _pair(rejection)) == ("REJECT", ("MEX", "USA"))
    threat = _one(coder, "Estados Unidos amenazó con imponer aranceles a México.")
    assert threat.event_type == "THREATEN" and "trade" in threat.fronts


def test_places_are_resolved_in_the_gazetteer(coder: RuleCoder) -> None:
    event = _one(coder, "Soldiers clashed with gunmen in Culiacán, Sinaloa.")
    assert event.location is not None
    assert (event.location.name, event.location.admin1) == ("Culiacán", "MX-SIN")


def test_titles_resolve_by_document_date_and_country(coder: RuleCoder) -> None:
    item = TextInput(
        "t", "The President met Prime Minister Carney.", dt.date(2025, 3, 4), "en", "USA"
    )
    event = coder.code(item)[0]
    assert (event.source.country, event.source.sector) == ("USA", "GOV")


def test_the_coder_starts_fast_and_codes_nothing_from_chatter(coder: RuleCoder) -> None:
    assert coder.code(TextInput("c", "Good morning, everyone. Thank you very much.", DAY)) == []
    assert coder.code(TextInput("q", "Are you going to impose tariffs on Mexico?", DAY)) == []


def test_written_dates_before_the_document_win_deadlines_do_not(coder: RuleCoder) -> None:
    past = _one(
        coder, "On March 1, 2025, Mexico extradited 29 cartel figures to the United States."
    )
    assert past.date == dt.date(2025, 3, 1)
    future = _one(
        coder, "By December 31, 2027, Mexico will extradite the cartel leaders to the U.S."
    )
    assert future.date == DAY


def test_a_blockade_by_an_armed_group_is_coercion_not_protest(coder: RuleCoder) -> None:
    armed = _one(coder, "Guerrilleros de las FARC bloquearon la carretera en Antioquia", "es")
    civil = _one(coder, "Campesinos bloquearon la carretera en Antioquia", "es")
    assert (armed.event_type, armed.source.country) == ("COERCE", "COL")
    assert civil.event_type == "PROTEST"


def test_protesters_who_clash_with_police_riot(coder: RuleCoder) -> None:
    assert _one(coder, "Protesters clashed with police in Nairobi", "en").event_type == "PROTEST"
    clash = _one(coder, "Soldiers clashed with cartel gunmen in Tamaulipas", "en")
    assert clash.event_type == "FIGHT"
