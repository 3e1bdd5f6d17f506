"""Text preparation, explicit dates, roles and clusters: the coder's own plumbing."""

from __future__ import annotations

import datetime as dt

from dyadwatch.coding.clusters import ClusterKey, cluster_ids
from dyadwatch.coding.dates import explicit_date
from dyadwatch.coding.jsonl import BadLine, parse_input
from dyadwatch.coding.roles import assign_roles
from dyadwatch.coding.text import clean_text, detect_lang, fold, split_sentences
from dyadwatch.coding.types import ActorMention, TextInput, Trigger


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(clean_text(text))]


def test_abbreviations_do_not_end_sentences() -> None:
    assert _texts("The U.S. Army left. Mr. Rubio met Sr. Ebrard. EE.UU. respondió.") == [
        "The U.S. Army left.",
        "Mr. Rubio met Sr. Ebrard.",
        "EE.UU. respondió.",
    ]


def test_quotes_and_spanish_marks_stay_with_their_sentence() -> None:
    assert _texts('He said: "We will act." ¿Qué pasó? ¡Nada!') == [
        'He said: "We will act."',
        "¿Qué pasó?",
        "¡Nada!",
    ]


def test_markdown_and_html_are_cleaned_and_lines_unwrapped() -> None:
    text = "**PRESIDENTE** habló con\nel presidente de\nEstados Unidos.\n\n<p>Hola &amp; adiós</p>"
    assert _texts(text) == ["PRESIDENTE habló con el presidente de Estados Unidos.", "Hola & adiós"]


def test_overlong_text_is_cut_into_bounded_pieces() -> None:
    pieces = _texts("palabra " * 100_000)
    assert pieces and max(len(p) for p in pieces) <= 1200


def test_language_detection_and_folding() -> None:
    assert detect_lang("La presidenta dijo que el gobierno de México no acepta") == "es"
    assert detect_lang("The president said that the government of Mexico is") == "en"
    assert fold("López Obrador") == "lopez obrador" and len(fold("Á")) == 1


def test_explicit_dates_in_both_languages() -> None:
    assert explicit_date("On March 4, 2025, tariffs took effect.") == dt.date(2025, 3, 4)
    assert explicit_date("El 4 de marzo de 2025 entraron en vigor.") == dt.date(2025, 3, 4)
    assert explicit_date("On February 30, 2025, nothing.") is None
    assert explicit_date("No date here.") is None


def _actor(text: str, start: int, country: str) -> ActorMention:
    return ActorMention(start, start + len(text), text, f"{country}GOV", country, "GOV", "country")


def test_active_voice_source_before_target_after() -> None:
    sentence = "Mexico deployed troops along the border with the United States."
    trigger = Trigger(7, 15, "deployed", "MOBILIZE", "troops", 0.9)
    actors = [_actor("Mexico", 0, "MEX"), _actor("United States", 49, "USA")]
    roles = assign_roles(sentence, trigger, actors)
    assert (roles.source.country, roles.target.country) == ("MEX", "USA")  # type: ignore[union-attr]


def test_passive_voice_agent_after_by_is_the_source() -> None:
    sentence = "Mexican cartels were designated as terrorist organizations by the United States."
    start = sentence.index("designated")
    trigger = Trigger(start, start + 10, "designated", "SANCTION", None, 0.9)
    actors = [_actor("Mexican", 0, "MEX"), _actor("United States", sentence.index("United"), "USA")]
    roles = assign_roles(sentence, trigger, actors)
    assert (roles.source.country, roles.target.country) == ("USA", "MEX")  # type: ignore[union-attr]


def test_clusters_join_same_actors_type_and_story_within_three_days() -> None:
    day = dt.date(2025, 3, 4)
    tariffs = "The United States imposed tariffs of 25 percent on imports from Mexico."
    again = "Washington imposed the 25 percent tariffs on Mexican imports on Tuesday."
    other = "The United States imposed sanctions on six Mexican banks over money laundering."
    keys = [
        ClusterKey("a", day, "SANCTION", "USAGOV", "MEXGOV", tariffs),
        ClusterKey("b", day + dt.timedelta(days=2), "SANCTION", "USAGOV", "MEXGOV", again),
        ClusterKey("c", day + dt.timedelta(days=9), "SANCTION", "USAGOV", "MEXGOV", tariffs),
        ClusterKey("d", day, "THREATEN", "USAGOV", "MEXGOV", tariffs),
        ClusterKey("e", day, "SANCTION", "USAGOV", "MEXGOV", other),
        ClusterKey("f", day, "CONSULT", "USAGOV", None, tariffs),
        ClusterKey("g", day, "CONSULT", "USAGOV", None, tariffs),
    ]
    assert cluster_ids(keys) == {
        "a": "a",
        "b": "a",
        "c": "c",
        "d": "d",
        "e": "e",
        "f": "f",
        "g": "g",
    }


def test_contract_input_lines_are_checked() -> None:
    assert parse_input(1, '{"id": "x", "text": "Hola", "lang": "es", "date": "2025-01-02"}') == (
        TextInput("x", "Hola", dt.date(2025, 1, 2), "es")
    )
    assert isinstance(parse_input(2, "{not json"), BadLine)
    assert parse_input(3, '{"id": "x"}') == BadLine(3, "'id' and a string 'text' are required")
    assert "YYYY-MM-DD" in parse_input(4, '{"id": 1, "text": "t", "date": "2025-13-01"}').reason  # type: ignore[union-attr]
    assert "'lang'" in parse_input(5, '{"id": 1, "text": "t", "lang": "fr"}').reason  # type: ignore[union-attr]
