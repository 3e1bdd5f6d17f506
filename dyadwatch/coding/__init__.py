"""The event coder: English and Spanish text → PLOVER events with actors, fronts and places."""

from dyadwatch.coding.corpus import CorpusReport, code_corpus, recluster
from dyadwatch.coding.jsonl import BadLine, CodeFileReport, code_file, event_to_json
from dyadwatch.coding.pipeline import CODER_NAME, CODER_VERSION, RuleCoder, load_coder
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
    "RuleCoder",
    "TextInput",
    "code_corpus",
    "code_file",
    "event_to_json",
    "load_coder",
    "recluster",
]
