"""The labelled corpus: frozen splits, valid labels, and no test sentence in training data."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from dyadwatch.coding.devsets import normalised_text
from dyadwatch.coding.gold import agreement, load_gold, read_jsonl
from dyadwatch.coding.labelled import is_double, split_of
from dyadwatch.coding.stages import load_manifest
from dyadwatch.coding.train import labels_digest

from conftest import ROOT, SHARED_DATA

LABELS = ROOT / "labels"
PACKAGE_DATA = Path(str(files("dyadwatch") / "data"))


@pytest.fixture(scope="module")
def sentences() -> list[dict[str, object]]:
    return read_jsonl(LABELS / "sentences.jsonl")


@pytest.fixture(scope="module")
def test_texts() -> set[str]:
    return {normalised_text(g.text) for g in load_gold(LABELS) if g.split == "test"}


def test_split_is_a_function_of_the_id_alone(sentences: list[dict[str, object]]) -> None:
    for row in sentences:
        assert row["split"] == split_of(str(row["id"]))
    shares = {s: sum(r["split"] == s for r in sentences) / len(sentences) for s in ("test", "dev")}
    assert 0.27 < shares["test"] < 0.33 and 0.12 < shares["dev"] < 0.18
    assert split_of("wh-000000000000") == split_of("wh-000000000000")
    assert is_double("mananera-587755eaf329") == is_double("mananera-587755eaf329")


def test_corpus_has_the_sizes_the_issue_asks_for(sentences: list[dict[str, object]]) -> None:
    gold = load_gold(LABELS)
    assert len(gold) >= 3000, "every drawn sentence is labelled"
    assert sum(g.lang == "en" for g in gold) >= 1000 and sum(g.lang == "es" for g in gold) >= 1000
    test = [g for g in gold if g.split == "test"]
    assert len(test) >= 900 and sum(g.dyadic for g in test) >= 300
    assert sum(g.n_labels >= 2 for g in gold) >= 600


def test_every_annotation_is_valid() -> None:
    sys.path.insert(0, str(LABELS))
    try:
        from validate_annotations import problems  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(LABELS))
    for path in sorted((LABELS / "annotations").glob("*.jsonl")):
        for label in read_jsonl(path):
            assert problems(label) == [], f"{path.name} {label['id']}"


def test_agreement_is_measured_on_enough_pairs() -> None:
    found = {a.field: a for a in agreement(LABELS)}
    assert found["event"].n >= 600 and found["event"].kappa is not None
    assert found["type"].n > 100 and found["direction"].n > 50
    assert all(a.kappa is None or -1.0 <= a.kappa <= 1.0 for a in found.values())


def _package_texts() -> set[str]:
    """Every sentence, phrase or entry of the bundled training data, rules and word lists."""
    out: set[str] = set()
    for path in (PACKAGE_DATA / "triggers").iterdir():
        raw = path.read_bytes()
        text = gzip.decompress(raw).decode() if path.suffix == ".gz" else raw.decode()
        for line in text.splitlines():
            if line.startswith("{"):
                out.add(normalised_text(json.loads(line)["text"]))
            out.update(normalised_text(field) for field in line.split("\t"))
    for path in (PACKAGE_DATA / "actors").glob("*.csv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            out.update(normalised_text(field) for field in line.split(","))
    for path in (PACKAGE_DATA / "pairs").glob("*.toml"):  # the fronts' keywords
        fronts = path.read_text(encoding="utf-8")
        out.update(normalised_text(part) for part in fronts.split('"'))
    return out - {""}


def test_no_test_sentence_in_training_data_rules_or_word_lists(test_texts: set[str]) -> None:
    leaked = test_texts & _package_texts()
    assert not leaked, f"test sentences in bundled data: {sorted(leaked)[:3]}"
    manifest = load_manifest()
    assert manifest["test_sentences_excluded"] == len(test_texts)
    assert manifest["trained_on"]["train_sentences"] == sum(
        g.split == "train" for g in load_gold(LABELS)
    )


def test_the_type_stage_extra_examples_hold_no_test_sentence(test_texts: set[str]) -> None:
    """The PLV and own-written examples the type stage trains on, after the training code's
    exclusion, share no sentence with the test split (shown with a planted one)."""
    from dyadwatch.coding.actors import load_actor_matcher
    from dyadwatch.coding.train import own_examples, plv_examples

    matcher = load_actor_matcher()
    examples = plv_examples(matcher, SHARED_DATA.parent, test_texts)
    examples += own_examples(matcher, test_texts)
    assert len(examples) > 1500
    assert not {normalised_text(e.view.text) for e in examples} & test_texts
    planted = normalised_text(examples[0].view.text)
    again = plv_examples(matcher, SHARED_DATA.parent, test_texts | {planted})
    assert planted not in {normalised_text(e.view.text) for e in again}


def test_bundled_models_were_trained_on_these_labels() -> None:
    assert load_manifest()["labels_sha256"] == labels_digest(LABELS), "run make train"


def test_draw_script_reproduces_the_first_draw(tmp_path: Path) -> None:
    """The documented procedure reproduces the corpus from ../shared, byte for byte."""
    out = tmp_path / "redraw"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "draw_label_sample.py"),
            "--shared",
            str(SHARED_DATA.parent),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert (out / "sentences.jsonl").read_bytes() == (LABELS / "sentences.jsonl").read_bytes()
