"""The learned coder: parse roles, the contract, its floors on the frozen test split, and
what downstream counts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dyadwatch.analysis import IndexSpec, compute_index
from dyadwatch.coding import TextInput, load_coder
from dyadwatch.coding.evaluate_gold import predict, score
from dyadwatch.coding.gold import load_gold
from dyadwatch.coding.jsonl import code_file, parse_input
from dyadwatch.coding.learned import LearnedCoder
from dyadwatch.coding.parse import clause_roles, parse_many
from dyadwatch.store import Store

from conftest import ROOT, insert_events

LABELS = ROOT / "labels"
FLOORS = ROOT / "dyadwatch" / "data" / "eval" / "coder_floors.json"
PAIR = ("USA", "MEX")


@pytest.fixture(scope="module")
def coder() -> LearnedCoder:
    return load_coder(PAIR)


def _roles(text: str, lang: str, word: str):  # type: ignore[no-untyped-def]
    doc = parse_many([text], lang=lang)[0]
    return text, clause_roles(doc, text.index(word))


def test_english_subject_and_object_from_the_parse() -> None:
    text, roles = _roles(
        "The government of Mexico has afforded safe havens for the cartels.", "en", "afforded"
    )
    assert roles.verb == "afford" and roles.subject is not None
    assert "Mexico" in text[roles.subject[0] : roles.subject[1]]
    assert not roles.passive


def test_english_passive_agent_is_the_subject() -> None:
    text, roles = _roles(
        "Six cartels were designated as terrorist organizations by the State Department.",
        "en",
        "designated",
    )
    assert roles.passive and roles.subject is not None
    assert "State Department" in text[roles.subject[0] : roles.subject[1]]


def test_spanish_first_person_is_the_speaker() -> None:
    _, roles = _roles(
        "Enviamos una nota diplomática al gobierno de Estados Unidos.", "es", "Enviamos"
    )
    assert roles.speaker_subject and roles.objects


def test_every_event_has_confidence_and_factuality(coder: LearnedCoder) -> None:
    text = (
        "Until the crisis is alleviated, President Donald J. Trump is implementing a 25% "
        "additional tariff on imports from Canada and Mexico."
    )
    events = coder.code(TextInput("t", text, dt.date(2025, 2, 1), "en", "USA"))
    assert events, "a candidate is kept"
    for e in events:
        assert 0.0 <= e.confidence <= 1.0
        assert e.factuality in {"asserted", "hypothetical", "negated", "historical", "generic"}
        assert (e.factuality == "asserted") == (e.confidence >= 0.5)


def test_contract_takes_the_publisher_country(tmp_path: Path, coder: LearnedCoder) -> None:
    good = json.dumps({"id": 1, "text": "We call on Mexico to act.", "country": "USA"})
    assert parse_input(1, good).country == "USA"  # type: ignore[union-attr]
    bad = parse_input(2, json.dumps({"id": 2, "text": "x", "country": "usa"}))
    assert "ISO 3166" in bad.reason  # type: ignore[union-attr]
    path = tmp_path / "in.jsonl"
    path.write_text(good + "\n", encoding="utf-8")
    report = code_file(coder, path, tmp_path / "out.jsonl")
    assert report.coded == 1
    for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        assert {"confidence", "factuality"} <= set(event)


def test_scores_on_the_frozen_test_split_do_not_fall(coder: LearnedCoder) -> None:
    """The floors were set from the bundled models' test scores, less a small margin; a
    change that lowers any of them fails here."""
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    test = [g for g in load_gold(LABELS) if g.split == "test"]
    predictions = predict(coder, test)
    overall = score(predictions, PAIR)
    assert overall.n >= 900 and overall.gold_dyadic >= 300
    for name, floor in floors["overall"].items():
        value = getattr(overall, name)
        assert value is not None and value >= floor, f"{name} {value} fell below {floor}"
    for lang, measures in floors["by_language"].items():
        scores = score([p for p in predictions if p.gold.lang == lang], PAIR)
        for name, floor in measures.items():
            value = getattr(scores, name)
            assert value is not None and value >= floor, f"{lang} {name} {value} < {floor}"


def test_index_counts_only_asserted_events_above_the_threshold(store: Store) -> None:
    insert_events(
        store,
        [
            {"confidence": 0.9, "factuality": "asserted"},
            {"confidence": 0.3, "factuality": "generic"},
            {"confidence": 0.8, "factuality": "hypothetical"},
            {"confidence": 0.45, "factuality": "asserted"},
        ],
    )
    spec = IndexSpec(dyad=PAIR, freq="month", since=dt.date(2025, 1, 1))
    rows = [r for r in compute_index(store.ibis.table("events"), spec) if r["events"]]
    assert sum(r["events"] for r in rows) == 1


def test_explorer_shows_uncounted_events_only_when_asked(store: Store) -> None:
    from dyadwatch.views.events import EventQuery, event_table

    insert_events(store, [{"confidence": 0.9}, {"confidence": 0.35, "factuality": "generic"}])
    shown = event_table(store, EventQuery()).to_pyarrow().num_rows
    everything = event_table(store, EventQuery(uncounted=True)).to_pyarrow().num_rows
    assert (shown, everything) == (1, 2)
    assert "uncounted=true" in EventQuery(uncounted=True).params()
