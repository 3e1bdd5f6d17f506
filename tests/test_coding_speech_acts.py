"""Speech-act rules over English triggers (sentences written for dyadwatch)."""

from __future__ import annotations

import pytest

from dyadwatch.coding.triggers import scan


def _types(sentence: str) -> list[str]:
    return [t.plover_type for t in scan(sentence, lang="en")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The opposition vowed on Monday to defy the curfew",
        "The union pledged to reject any wage freeze",
    ],
)
def test_a_promised_refusal_is_a_refusal(sentence: str) -> None:
    assert _types(sentence)[0] == "REJECT"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The cabinet decided on Friday to send troops to the border", "MOBILIZE"),
        ("The council decided today to demand compensation", "DEMAND"),
    ],
)
def test_a_control_verb_gives_way_past_a_time_adverbial(sentence: str, expected: str) -> None:
    assert _types(sentence) == [expected]


def test_a_promise_of_restraint_is_still_a_promise() -> None:
    assert _types("Mexico pledged not to raise tariffs on U.S. goods")[0] == "AGREE"


def test_a_promised_deployment_is_mobilize_and_a_promised_attack_a_threat() -> None:
    assert _types("Britain agreed to send 3,000 more troops to Bosnia") == ["MOBILIZE"]
    assert _types("Iran vowed to retaliate against any attack") == ["THREATEN"]
