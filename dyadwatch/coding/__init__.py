"""The event coder: English and Spanish text → PLOVER events with actors, fronts and places.

:func:`load_coder` gives the learned coder (``docs/coder.md``); :func:`load_rule_coder` the
earlier rule-based coder, kept as a baseline for ``dyadwatch evaluate coder``."""

from dyadwatch.coding.corpus import CorpusReport, code_corpus, recluster
from dyadwatch.coding.jsonl import BadLine, CodeFileReport, code_file, event_to_json
from dyadwatch.coding.learned import CODER_NAME, CODER_VERSION, LearnedCoder, load_coder
from dyadwatch.coding.pipeline import RuleCoder, load_rule_coder
from dyadwatch.coding.types import CodedActor, CodedEvent, CodedLocation, TextInput

__all__ = [
    "CODER_NAME",
    "CODER_VERSION",
    "BadLine",
    "CodeFileReport",
    "CodedActor",
    "CodedEvent",
    "CodedLocation",
    "CorpusReport",
    "LearnedCoder",
    "RuleCoder",
    "TextInput",
    "code_corpus",
    "code_file",
    "event_to_json",
    "load_coder",
    "load_rule_coder",
    "recluster",
]
