"""A small sentence classifier: TF-IDF (word and character n-grams) + logistic loss (SGD).

Part of the rule-based baseline coder (:mod:`dyadwatch.coding.pipeline`). Trained at load
time (about 1 s), then cached (see :func:`load_classifier`), on one bundled file in
``dyadwatch/data/triggers/``: ``own_labels.jsonl``, short English and Spanish sentences
written for dyadwatch (CC0), including NONE (no event) sentences. (The synthetic NGEC
stories it was also trained on state no licence and are no longer bundled.)

Its labels are the 19 PLOVER types plus ``NONE``. It gates and backs up the trigger layer
(:mod:`dyadwatch.coding.events`); it is not meant to beat it.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

NONE = "NONE"
OWN_WEIGHT = 4.0


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    lang: str
    label: str


def read_examples(name: str) -> list[Example]:
    """Read one bundled JSON-lines file of labelled sentences."""
    raw = (files("dyadwatch") / "data" / "triggers" / name).read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if name.endswith(".gz") else raw.decode()
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [Example(r["text"], r.get("lang", "en"), r["label"]) for r in rows]


def training_examples() -> tuple[list[Example], list[Example]]:
    """(synthetic, own) training examples; the synthetic ones are no longer bundled."""
    return [], read_examples("own_labels.jsonl")


@dataclass(frozen=True, slots=True)
class SentenceClassifier:
    """A fitted pipeline; ``labels`` are in the column order of :meth:`proba`."""

    pipeline: Any
    labels: tuple[str, ...]

    def proba(self, sentences: Sequence[str]) -> list[dict[str, float]]:
        """Class probabilities for each sentence.

        Computed directly from the fitted parts (same numbers as ``predict_proba``: one-vs-
        rest sigmoids, normalized), which is about twice as fast for a single sentence.
        """
        if not sentences:
            return []
        import numpy as np
        import scipy.sparse as sp

        union, model = self.pipeline.steps[0][1], self.pipeline.steps[1][1]
        texts = list(sentences)
        matrix = sp.hstack([vec.transform(texts) for _, vec in union.transformer_list]).tocsr()
        scores = matrix @ model.coef_.T + model.intercept_
        probs = 1.0 / (1.0 + np.exp(-scores))
        probs /= probs.sum(axis=1, keepdims=True)
        return [dict(zip(self.labels, row.tolist(), strict=True)) for row in probs]


def fit_classifier(
    synthetic: Sequence[Example], own: Sequence[Example], *, own_weight: float = OWN_WEIGHT
) -> SentenceClassifier:
    """Fit the TF-IDF + logistic-loss SGD pipeline (deterministic: fixed seed)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode"),
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 4),
            min_df=3,
            sublinear_tf=True,
            strip_accents="unicode",
            max_features=60000,
        ),
    )
    classifier = SGDClassifier(
        loss="log_loss", alpha=2e-5, max_iter=6, tol=None, random_state=0, n_jobs=2
    )
    pipeline = make_pipeline(features, classifier)
    examples = [*synthetic, *own]
    weights = [1.0] * len(synthetic) + [own_weight] * len(own)
    pipeline.fit(
        [e.text for e in examples],
        [e.label for e in examples],
        sgdclassifier__sample_weight=weights,
    )
    # plain str labels (not numpy str_), so Trigger.plover_type is always a str
    return SentenceClassifier(pipeline, tuple(str(label) for label in pipeline.classes_))


@functools.cache
def load_classifier() -> SentenceClassifier:
    """Fit the classifier on the bundled data once per process, or load the cached fit.

    The fit is cached as a pickle under the user cache directory (``$XDG_CACHE_HOME`` or
    ``~/.cache``, then ``dyadwatch/``), keyed by a hash of the training files, this module
    and the scikit-learn version; nothing is committed. A cache that cannot be written is
    skipped (the fit then happens once per process, about 4 s).
    """
    path = _cache_path()
    cached = _read_cache(path)
    if cached is not None:
        return cached
    fitted = fit_classifier(*training_examples())
    _write_cache(path, fitted)
    return fitted


def _cache_path() -> Path:
    import sklearn

    digest = hashlib.sha256(sklearn.__version__.encode())
    for name in ("own_labels.jsonl",):
        digest.update((files("dyadwatch") / "data" / "triggers" / name).read_bytes())
    digest.update(Path(__file__).read_bytes())
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "dyadwatch" / f"event_classifier-{digest.hexdigest()[:16]}.pickle"


def _read_cache(path: Path) -> SentenceClassifier | None:
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)  # written by _write_cache, keyed by content hash
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None
    return loaded if isinstance(loaded, SentenceClassifier) else None


def _write_cache(path: Path, fitted: SentenceClassifier) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(fitted, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        return
