"""Evaluation harness: metric definitions on a fake coder, the majority baseline, EVALUATION.md."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dyadwatch.cli import evaluate_cmd
from dyadwatch.coding.baseline import MajorityCoder
from dyadwatch.coding.devsets import GoldEvent, LabelledSentence, load_devsets
from dyadwatch.coding.evaluate import (
    EvaluationReport,
    evaluate,
    evaluate_majority,
    macro_f1,
)
from dyadwatch.coding.evaluate_report import check_targets, report_to_dict, write_evaluation_md
from dyadwatch.coding.protocol import Coder
from dyadwatch.coding.types import CodedActor, CodedEvent, TextInput
from dyadwatch.errors import OntologyError
from dyadwatch.ontology import quad_class_for_plover

from conftest import SHARED_DATA

DEVSETS = SHARED_DATA / "devsets"


def _gold(plover: str | None, code: str, src: str | None, tgt: str | None) -> GoldEvent:
    return GoldEvent(plover, code, src, tgt, src, tgt)


def _sentence(sid: str, gold: tuple[GoldEvent, ...], *, labelled: bool = True) -> LabelledSentence:
    return LabelledSentence("tiny", sid, f"Sentence {sid}.", "en", None, gold, labelled=labelled)


def _event(kind: str, confidence: float, src: str | None, tgt: str | None = None) -> CodedEvent:
    return CodedEvent(
        doc_id="",
        event_type=kind,
        mode=None,
        quad_class=quad_class_for_plover(kind),
        source=CodedActor(text="", code=src, country=src, sector=None),
        target=CodedActor(text="", code=tgt, country=tgt, sector=None) if tgt else None,
        fronts=(),
        location=None,
        date=None,
        confidence=confidence,
        evidence="",
    )


TINY = (
    _sentence("s1", (_gold("FIGHT", "190", "USA", "MEX"),)),
    _sentence("s2", (_gold("DEMAND", "100", "MEX", None), _gold("AGREE", "030", "USA", None))),
    _sentence("s3", (_gold(None, "010", "USA", None),)),  # a statement: no PLOVER event
    _sentence("s4", (_gold("PROTEST", "141", None, None),)),
    _sentence("s5", (_gold(None, "903", None, None),), labelled=False),
    _sentence("s1", (_gold("FIGHT", "190", "USA", "MEX"),)),  # a repeat: scored once
)
ANSWERS = {
    "s1": [_event("THREATEN", 0.4, "MEX"), _event("FIGHT", 0.9, "USA", "MEX")],  # top right
    "s2": [_event("AGREE", 0.8, "USA")],  # top wrong, any-match right, quad and source wrong
    "s3": [_event("PROTEST", 0.5, None)],  # a false event
    "s4": [],  # a miss
    "s5": [_event("FIGHT", 1.0, None)],  # unlabelled: ignored
}


@dataclass(frozen=True)
class FakeCoder:
    name: str = "fake"
    version: str = "0"

    def code(self, item: TextInput) -> list[CodedEvent]:
        return list(ANSWERS[item.id])

    def code_many(self, items: Sequence[TextInput]) -> list[list[CodedEvent]]:
        return [self.code(item) for item in items]


def _clock(*times: float):  # type: ignore[no-untyped-def]
    return iter(times).__next__


def test_coders_satisfy_the_protocol() -> None:
    assert isinstance(FakeCoder(), Coder)
    assert isinstance(MajorityCoder(plover_type="FIGHT"), Coder)
    with pytest.raises(OntologyError):
        MajorityCoder(plover_type="ATTACK")


def test_metric_definitions_on_hand_computed_answers() -> None:
    report = evaluate(FakeCoder(), {"tiny": TINY}, clock=_clock(10.0, 12.0))
    score = report.score("tiny")
    m = score.metrics
    assert (m.n_scored, m.n_event, m.n_no_event) == (4, 3, 1)  # s5 unlabelled, s1 repeated
    assert m.type_accuracy == pytest.approx(1 / 3)  # s1 only
    assert m.any_match_accuracy == pytest.approx(2 / 3)  # s1, s2
    assert m.quad_accuracy == pytest.approx(1 / 3)  # AGREE (1) vs DEMAND (3) is wrong
    # classes FIGHT (F1 1), DEMAND (0), PROTEST (0, missed), AGREE (0, a false positive)
    assert m.type_macro_f1 == pytest.approx(0.25)
    assert (m.source_country_accuracy, m.n_source_country) == (0.5, 2)  # s1 right, s2 wrong
    assert (m.target_country_accuracy, m.n_target_country) == (1.0, 1)
    assert m.false_event_rate == 1.0  # s3, the one no-event sentence, got an event
    assert m.false_event_share == pytest.approx(1 / 4)
    assert m.miss_rate == pytest.approx(1 / 3)  # s4
    assert (score.n_inputs, score.seconds, score.sentences_per_second) == (6, 2.0, 3.0)
    assert {(c.gold, c.predicted, c.count) for c in score.confusions} == {
        ("DEMAND", "AGREE", 1),
        ("PROTEST", "(none)", 1),
    }
    assert (report.coder_name, report.coder_version) == ("fake", "0")
    assert report.peak_rss_mb > 0


def test_macro_f1_matches_the_definition() -> None:
    pairs = [("A", "A"), ("A", "B"), ("B", "B"), ("C", None)]
    # A: tp1 fn1 → 2/3; B: tp1 fp1 → 2/3; C: fn1 → 0
    assert macro_f1(pairs) == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    assert macro_f1([]) is None


def test_empty_denominators_are_none() -> None:
    only_events = (_sentence("s1", (_gold("FIGHT", "190", "USA", "MEX"),)),)
    m = evaluate(FakeCoder(), {"tiny": only_events}).score("tiny").metrics
    assert m.false_event_rate is None and m.false_event_share == 0.0


@pytest.fixture(scope="module")
def real_sets() -> dict[str, tuple[LabelledSentence, ...]]:
    return load_devsets("all", root=DEVSETS)


@pytest.fixture(scope="module")
def majority(real_sets: dict[str, tuple[LabelledSentence, ...]]) -> EvaluationReport:
    return evaluate_majority(real_sets)


# set: (majority type, type accuracy, quad accuracy)
MAJORITY = {
    "petr2_gsr": ("FIGHT", 10 / 57, 1 / 3),
    "gigaword": ("DISAPPROVE", 8 / 39, 4 / 13),
    "petr_unit": ("COOPERATE", 46 / 179, 58 / 179),
    "plovigy": ("COOPERATE", 63 / 274, 124 / 274),  # DEMAND, COOPERATE, AID tie: PLOVER order
    "plovigy_dedi": ("PROTEST", 27 / 30, 1.0),
    "es_validation": ("PROTEST", 49 / 85, 62 / 85),
    "es_fight": ("FIGHT", 116 / 268, 224 / 268),
    "english_news": (None, 73 / 331, 143 / 331),
    "spanish": (None, 165 / 353, 286 / 353),
    "overall": (None, 311 / 893, 11 / 19),
}


@pytest.mark.parametrize("name", MAJORITY)
def test_majority_baseline_scores(
    majority: EvaluationReport, real_sets: dict[str, tuple[LabelledSentence, ...]], name: str
) -> None:
    label, type_accuracy, quad_accuracy = MAJORITY[name]
    m = majority.score(name).metrics
    assert m.type_accuracy == pytest.approx(type_accuracy)
    assert m.quad_accuracy == pytest.approx(quad_accuracy)
    assert m.miss_rate == 0.0
    assert m.false_event_rate in (None, 1.0)
    assert m.source_country_accuracy in (None, 0.0)  # it names no actor
    if label is not None:
        rows = [r for r in real_sets[name] if r.has_event]
        assert MajorityCoder.fit(r.primary.plover_type for r in rows).plover_type == label  # type: ignore[union-attr]
        # one predicted class with k hits of n: F1 = 2k / (n + k), averaged over gold types
        n, k = m.n_event, round(type_accuracy * m.n_event)
        gold_types = {r.primary.plover_type for r in rows}  # type: ignore[union-attr]
        assert m.type_macro_f1 == pytest.approx(2 * k / (n + k) / len(gold_types))


def test_majority_fit_counts_labels() -> None:
    assert MajorityCoder.fit(["AID", "FIGHT", "FIGHT", None]).plover_type == "FIGHT"
    assert MajorityCoder.fit(["AID", "FIGHT"]).plover_type == "AID"  # a tie: PLOVER order
    assert MajorityCoder.fit([]).plover_type == "AGREE"


def test_evaluation_md_has_every_section(majority: EvaluationReport, tmp_path: Path) -> None:
    coder = evaluate(FakeCoder(), {"tiny": TINY})
    path = write_evaluation_md(
        [majority, coder],
        tmp_path / "EVALUATION.md",
        command="dyadwatch evaluate coder --set all --out EVALUATION.md",
        today=dt.date(2026, 8, 31),
    )
    text = path.read_text(encoding="utf-8")
    for heading in (
        "# Coder evaluation",
        "Generated on 2026-08-31",
        "dyadwatch evaluate coder --set all --out EVALUATION.md",
        "## Targets",
        "| event type accuracy, English news | ≥ 0.8 | 0.221 | – | **no** |",
        "| quad class accuracy, English news | ≥ 0.9 |",
        "| event type accuracy, Spanish | ≥ 0.75 |",
        "| false events, share of no-event sentences (stricter) | ≤ 0.1 | 1.000 |",
        "| throughput (sentences/s), all sets | ≥ 300 |",
        "| peak memory (MB) | ≤ 2048 |",
        "## Group `english_news`",
        "## Group `spanish`",
        "## Group `overall`",
        "## Set `petr_unit`",
        "## Set `es_fight`",
        "## Top confusions of `majority-baseline`",
        "## About the sets",
        "**`petr_unit` is reported on its own**",
        "## Definitions",
        "``false_event_rate``",
    ):
        assert heading in text, heading


def test_targets_and_json(majority: EvaluationReport) -> None:
    checks = {c.target.label: c for c in check_targets(majority)}
    assert checks["event type accuracy, English news"].met is False
    assert checks["peak memory (MB)"].met is True
    data = json.loads(json.dumps(report_to_dict(majority)))
    assert data["coder"]["name"] == "majority-baseline"
    assert [s["name"] for s in data["groups"]] == ["english_news", "spanish", "overall"]


def test_cli_json_and_markdown(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(evaluate_cmd, "_real_coder", lambda: MajorityCoder(plover_type="FIGHT"))
    root = typer.Typer()
    root.add_typer(evaluate_cmd.app, name="evaluate")
    out = tmp_path / "EVALUATION.md"
    args = ["evaluate", "devsets", "--set", "petr2_gsr", "--format", "json", "--out", str(out)]
    result = CliRunner().invoke(root, [*args, "--devsets-dir", str(DEVSETS)])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert [r["sets"][0]["metrics"]["type_accuracy"] for r in reports] == [10 / 57, 10 / 57]
    assert "--set petr2_gsr" in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(
        root, ["evaluate", "devsets", "--set", "nope", "--devsets-dir", str(DEVSETS)]
    )
    assert bad.exit_code == 2 and "unknown dev set nope" in bad.output
    # no default beside a checkout: without the option (or its variable) it says what to pass
    monkeypatch.delenv("DYADWATCH_DEVSETS_DIR", raising=False)
    missing = CliRunner().invoke(root, ["evaluate", "devsets", "--set", "petr2_gsr"])
    assert missing.exit_code == 2 and "pass --devsets-dir" in missing.output
