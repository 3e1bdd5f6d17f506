"""``make train``: the coder's learned stages rebuilt from the labels, with fixed seeds.

Training data, by stage (the test split is never read for training; sentences whose text
equals a test sentence are dropped from every source):

* **relevance, factuality, direction**: the labelled corpus's ``train`` split
  (``labels/``, ``docs/codebook.md``);
* **event type**: the ``train`` split's events, plus the human-labelled English PLV
  sentences (``shared/data/devsets/training_only/plv_human_labels.tsv.gz``: ACCUSE read as
  DISAPPROVE, REQUEST as DEMAND, YIELD rows left out because they merge CONCEDE and
  RETREAT) and our own written sentences (``data/triggers/own_labels.jsonl``, CC0), both
  at weight :data:`AUX_WEIGHT`.

The bundle and its manifest (labels' SHA-256, code version, counts, seed, dev scores) go
to ``dyadwatch/data/models/``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from dyadwatch.coding.actors import ActorMatcher
from dyadwatch.coding.devsets import normalised_text
from dyadwatch.coding.features import SentenceView, dict_features, text_input
from dyadwatch.coding.gold import GoldSentence, load_gold
from dyadwatch.coding.learned import CODER_VERSION, build_view, with_roles
from dyadwatch.coding.stages import StageModels, fit_featurizer, fit_stage, save_models
from dyadwatch.errors import ConfigError
from dyadwatch.ontology import PLOVER_TYPES

SEED = 20261204
PLV_FILE = Path("data/devsets/training_only/plv_human_labels.tsv.gz")
PLV_TYPES = {"ACCUSE": "DISAPPROVE", "REQUEST": "DEMAND", "COOPERATION": "COOPERATE"}
AUX_WEIGHT = 0.2  # chosen on dev (0.5, 0.2, 0.1 tried)


@dataclass(frozen=True, slots=True)
class Example:
    """One training sentence for the type stage (labels from outside the corpus too)."""

    view: SentenceView
    event_type: str
    weight: float
    origin: str


def gold_views(
    matcher: ActorMatcher, gold: Sequence[GoldSentence], progress: Callable[[str], None]
) -> list[SentenceView]:
    """Each gold sentence as the stages see it, parsed."""
    views = [
        build_view(
            matcher,
            g.text,
            lang=g.lang,
            publisher=g.publisher,
            speaker=g.speaker,
            date=g.date,
        )
        for g in gold
    ]
    progress(f"parsing {len(views)} labelled sentences")
    return with_roles(views)


def plv_examples(matcher: ActorMatcher, shared: Path, banned: set[str]) -> list[Example]:
    """The PLV human-labelled English sentences as type examples (weight AUX_WEIGHT)."""
    path = shared / PLV_FILE
    if not path.exists():
        raise ConfigError(
            f"{path} is missing: point the shared folder (--shared, DYADWATCH_SHARED_DIR) "
            "at the folder that holds data/devsets/training_only"
        )
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = []
    for row in rows:
        label = PLV_TYPES.get(row["gold_root"], row["gold_root"])
        if label not in PLOVER_TYPES or normalised_text(row["sentence"]) in banned:
            continue
        view = build_view(
            matcher, row["sentence"], lang="en", publisher=None, speaker=None, date=None
        )
        out.append(Example(view, label, AUX_WEIGHT, "plv"))
    return out


def own_examples(matcher: ActorMatcher, banned: set[str]) -> list[Example]:
    """Our own written sentences (``data/triggers/own_labels.jsonl``) as type examples."""
    path = resources.files("dyadwatch") / "data" / "triggers" / "own_labels.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if not row or row["label"] not in PLOVER_TYPES or normalised_text(row["text"]) in banned:
            continue
        view = build_view(
            matcher, row["text"], lang=row["lang"], publisher=None, speaker=None, date=None
        )
        out.append(Example(view, row["label"], AUX_WEIGHT, "own"))
    return out


def labels_digest(folder: Path) -> str:
    """SHA-256 over the corpus's sentences, annotations and adjudications."""
    digest = hashlib.sha256()
    files = [folder / "sentences.jsonl", *sorted((folder / "annotations").glob("*.jsonl"))]
    files += [p for p in [folder / "adjudicated.jsonl"] if p.exists()]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train_models(
    matcher: ActorMatcher,
    *,
    pair: tuple[str, str],
    labels: Path,
    shared: Path,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[StageModels, dict[str, Any]]:
    """Fit the four stages on the train split (and the type stage's extra examples)."""
    gold = load_gold(labels)
    train = [g for g in gold if g.split == "train"]
    banned = {normalised_text(g.text) for g in gold if g.split == "test"}
    progress(f"{len(train)} training sentences of {len(gold)} labelled")
    views = gold_views(matcher, train, progress)
    extra = plv_examples(matcher, shared, banned) + own_examples(matcher, banned)
    progress(f"parsing {len(extra)} type examples (PLV and our own)")
    extra_views = with_roles([e.view for e in extra])
    bare = [replace(v, roles=None) for v in views]
    all_views = views + bare + extra_views
    featurizer = fit_featurizer(
        [text_input(v) for v in all_views], [dict_features(v, pair) for v in all_views]
    )

    def matrix(vs: Sequence[SentenceView]) -> Any:
        return featurizer.matrix([text_input(v) for v in vs], [dict_features(v, pair) for v in vs])

    progress("fitting relevance (calibrated), type, factuality, direction")
    is_event = ["event" if g.event else "none" for g in train]
    relevance = fit_stage(matrix(bare), is_event, seed=SEED, calibrate=True)
    relevance_parsed = fit_stage(matrix(views), is_event, seed=SEED, calibrate=True)
    events = [(v, g) for v, g in zip(views, train, strict=True) if g.event and g.event_type]
    type_views = [v for v, _ in events] + extra_views
    type_labels = [str(g.event_type) for _, g in events] + [e.event_type for e in extra]
    weights = [1.0] * len(events) + [e.weight for e in extra]
    event_type = fit_stage(
        matrix(type_views), type_labels, weights=weights, seed=SEED, balanced=False
    )
    factuality = fit_stage(matrix(views), [g.factuality for g in train], seed=SEED)
    direction = fit_stage(
        matrix([v for v, _ in events]), [g.direction(pair) for _, g in events], seed=SEED
    )
    models = StageModels(
        featurizer, relevance, relevance_parsed, event_type, factuality, direction, CODER_VERSION
    )
    manifest = {
        "coder_version": CODER_VERSION,
        "labels_sha256": labels_digest(labels),
        "seed": SEED,
        "trained_on": {
            "train_sentences": len(train),
            "train_events": len(events),
            "type_examples": dict(Counter(e.origin for e in extra)),
            "directions": dict(Counter(g.direction(pair) for _, g in events)),
        },
        "test_sentences_excluded": len(banned),
    }
    return models, manifest


def dev_scores(
    models: StageModels, matcher: ActorMatcher, *, labels: Path, pair: tuple[str, str]
) -> dict[str, Any]:
    """The trained stages' scores on the dev split (for the manifest; never the test split)."""
    from dataclasses import asdict

    from dyadwatch.coding.evaluate_gold import predict, score
    from dyadwatch.coding.gazetteer import load_gazetteer
    from dyadwatch.coding.learned import LearnedCoder

    coder = LearnedCoder(models, matcher, load_gazetteer(), pair=pair)
    dev = [g for g in load_gold(labels) if g.split == "dev"]
    return asdict(score(predict(coder, dev), pair))


def write_models(models: StageModels, manifest: dict[str, Any], out: Path) -> Path:
    """Save the bundle and manifest; the bundle's path."""
    return save_models(models, out, manifest)
