"""The learned stages of the coder, their shared featurizer, and how they are saved.

Four classifiers share one featurizer (TF-IDF word 1–2-grams and character 2–5-grams of
the folded text, plus the named features of :mod:`dyadwatch.coding.features`):

``relevance``  is this sentence a specific, asserted, current act? (binary, calibrated
               with Platt scaling over 5 folds, so its probability is a probability); a
               cheap gate over every sentence, then again with the parse's grammar and
               roles (``relevance_parsed``) over the gate's candidates
``event_type`` which PLOVER type (the speech act), among sentences that are events
``factuality`` asserted, hypothetical, negated, historical or generic
``direction``  between the pair, and which way: ``A>B``, ``B>A`` or ``none``

All four are scikit-learn logistic regressions with a fixed seed. The bundle is one
joblib file in ``dyadwatch/data/models/`` with a JSON manifest beside it (the labels'
hash, the code version, the training counts and the dev scores). ``make train``
rebuilds both from the labels (:mod:`dyadwatch.coding.train`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from dyadwatch.errors import ConfigError

MODEL_FILE = "coder_stages.joblib"
MANIFEST_FILE = "coder_stages.manifest.json"
STAGES = ("relevance", "event_type", "factuality", "direction")


@dataclass(frozen=True, slots=True)
class Featurizer:
    """Fitted vectorizers: folded text → word and character n-grams; named features."""

    words: Any
    chars: Any
    named: Any

    def matrix(self, texts: Sequence[str], dicts: Sequence[dict[str, float]]) -> Any:
        from scipy.sparse import hstack

        return hstack(
            [self.words.transform(texts), self.chars.transform(texts), self.named.transform(dicts)]
        ).tocsr()


def fit_featurizer(texts: Sequence[str], dicts: Sequence[dict[str, float]]) -> Featurizer:
    """Vectorizers fitted on the training texts and feature dicts."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=40_000)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True, max_features=40_000
    )
    named = DictVectorizer()
    words.fit(texts)
    chars.fit(texts)
    named.fit(dicts)
    return Featurizer(words, chars, named)


@dataclass(frozen=True, slots=True)
class Stage:
    """One fitted classifier; ``labels`` in the order of its probability columns."""

    labels: tuple[str, ...]
    model: Any

    def proba(self, x: Any) -> np.ndarray:
        return np.asarray(self.model.predict_proba(x))


def fit_stage(
    x: Any,
    y: Sequence[str],
    *,
    weights: Sequence[float] | None = None,
    seed: int = 0,
    calibrate: bool = False,
    c: float = 4.0,
    balanced: bool = True,
) -> Stage:
    """A logistic regression (class-balanced unless told otherwise); Platt-calibrated over
    5 folds if asked."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression

    class_weight = "balanced" if balanced else None
    base = LogisticRegression(C=c, max_iter=3000, class_weight=class_weight, random_state=seed)
    model: Any = CalibratedClassifierCV(base, method="sigmoid", cv=5) if calibrate else base
    sample_weight = None if weights is None else np.asarray(weights, dtype=float)
    model.fit(x, np.asarray(y), sample_weight=sample_weight)
    return Stage(tuple(str(c) for c in model.classes_), model)


@dataclass(frozen=True, slots=True)
class StageModels:
    """The featurizer and the four stages, as trained together."""

    featurizer: Featurizer
    relevance: Stage  # without the parse: the cheap gate over every sentence
    relevance_parsed: Stage  # with the parse: the final P(event) of the gate's candidates
    event_type: Stage
    factuality: Stage
    direction: Stage
    version: str


def save_models(models: StageModels, folder: Path, manifest: dict[str, Any]) -> Path:
    """Write the bundle and its manifest into ``folder``; the bundle's path."""
    import joblib

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MODEL_FILE
    joblib.dump(models, path, compress=3)
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (folder / MANIFEST_FILE).write_text(text, encoding="utf-8")
    return path


def bundled_models_dir() -> Path:
    return Path(str(resources.files("dyadwatch") / "data" / "models"))


@functools.cache
def load_models(folder: Path | None = None) -> StageModels:
    """The trained stages (the bundled ones by default); loaded once per process."""
    import joblib

    path = (folder or bundled_models_dir()) / MODEL_FILE
    if not path.exists():
        raise ConfigError(f"no trained coder at {path}: run `make train`")
    models = joblib.load(path)
    if not isinstance(models, StageModels):
        raise ConfigError(f"{path} holds no dyadwatch coder stages: run `make train`")
    return models


def load_manifest(folder: Path | None = None) -> dict[str, Any]:
    """The manifest written beside the bundle (data hash, code version, counts, scores)."""
    path = (folder or bundled_models_dir()) / MANIFEST_FILE
    if not path.exists():
        raise ConfigError(f"no coder manifest at {path}: run `make train`")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
