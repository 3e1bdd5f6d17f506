"""The labelled corpus: which split a sentence belongs to, fixed by a hash of its id.

``labels/sentences.jsonl`` holds real sentences drawn from the government corpora and the
English dev sets (``labels/README.md``). A sentence's split and whether it was labelled
twice depend on its id alone, so no label, score or rule can move a sentence between
splits: the test split is frozen by construction.
"""

from __future__ import annotations

import hashlib
from typing import Literal

Split = Literal["train", "dev", "test"]
TEST_SHARE = 30  # percent
DEV_SHARE = 15  # percent
DOUBLE_SHARE = 20  # percent labelled by two annotators


def _bucket(sentence_id: str, salt: str) -> int:
    digest = hashlib.sha256(f"{salt}:{sentence_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 100


def split_of(sentence_id: str) -> Split:
    """``test`` for 30% of ids, ``dev`` for 15%, ``train`` for the rest."""
    bucket = _bucket(sentence_id, "split")
    if bucket < TEST_SHARE:
        return "test"
    if bucket < TEST_SHARE + DEV_SHARE:
        return "dev"
    return "train"


def is_double(sentence_id: str) -> bool:
    """Whether the sentence is labelled independently by two annotators."""
    return _bucket(sentence_id, "double") < DOUBLE_SHARE
