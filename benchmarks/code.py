"""Benchmark: the event coder end to end, in sentences/s, on 2 cores.

The input is REAL text: every document of the bundled White House (English) and mañanera
(Spanish) corpora (``dyadwatch/data/demo/*.jsonl.gz``), coded whole, in batches, with
``code_many``: the wall clock covers cleaning, sentence splitting, language detection,
event typing, actors, places and fronts. Sentences are counted (outside the clock) with
the coder's own segmenter; loading the coder is timed apart. The learned coder (relevance
gate, parse of the candidates, type, factuality, direction) is the one measured. The process is
pinned to 2 CPUs (``sched_setaffinity``) and thread pools are capped at 2 before any
library loads.

Target: ≥ 300 sentences/s, ≤ 2 GB peak resident memory.
"""

from __future__ import annotations

import os
import sys

# This file is named like the stdlib module ``code`` (imported by pdb and some libraries):
# take its directory off the import path so that ``import code`` finds the real one.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

CORES = 2
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TORCH_NUM_THREADS"):
    os.environ.setdefault(_var, str(CORES))

import argparse  # noqa: E402
import gc  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "dyadwatch" / "data" / "demo"
CORPORA = {
    "wh_briefings": DEMO / "wh_briefings_mexico_related.jsonl.gz",
    "mananeras": DEMO / "mananeras_top120_us_related.jsonl.gz",
}
TARGET_SENTENCES_PER_S = 300.0
TARGET_PEAK_MB = 2048.0


@dataclass(frozen=True)
class Result:
    coder: str
    documents: int
    sentences: int
    sentences_en: int
    sentences_es: int
    events: int
    cores: int
    load_s: float
    split_s: float
    code_s: float
    sentences_per_s: float
    peak_rss_mb: float
    target_sentences_per_s: float
    met_speed: bool
    met_memory: bool


def pin_cores(cores: int) -> int:
    """Pin this process to the first ``cores`` CPUs it may use; return how many it has."""
    if hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, allowed[:cores])
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 0


def read_documents(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def document_inputs(limit: int) -> tuple[list[object], int, int]:
    """Every document of both corpora as a TextInput (first ``limit``), with the number of
    sentences the coder will see in them (English, Spanish), counted outside the timing."""
    from dyadwatch.coding.segment import segment
    from dyadwatch.coding.text import detect_lang
    from dyadwatch.coding.types import TextInput

    inputs: list[object] = []
    counts = {"en": 0, "es": 0}
    for corpus, path in CORPORA.items():
        for number, doc in enumerate(read_documents(path)):
            if limit and len(inputs) >= limit:
                break
            text = doc.get("text") or ""
            lang = detect_lang(text)
            counts[lang] += len(segment(text, lang))
            publisher = "USA" if corpus == "wh_briefings" else "MEX"
            inputs.append(TextInput(f"{corpus}:{number}", text, None, None, publisher))
    return inputs, counts["en"], counts["es"]


def code_all(coder: object, inputs: list[object], batch: int) -> int:
    events = 0
    for start in range(0, len(inputs), batch):
        coded = coder.code_many(inputs[start : start + batch])  # type: ignore[attr-defined]
        events += sum(len(found) for found in coded)
    return events


def measure(*, limit: int, batch: int) -> Result:
    cores = pin_cores(CORES)
    start = time.perf_counter()
    from dyadwatch.coding import load_coder

    coder = load_coder()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    inputs, english, spanish = document_inputs(limit)
    split_s = time.perf_counter() - start
    gc.collect()
    start = time.perf_counter()
    events = code_all(coder, inputs, batch)
    code_s = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sentences = english + spanish
    speed = sentences / code_s if code_s > 0 else 0.0
    return Result(
        coder=f"{coder.name} {coder.version}",
        documents=len(inputs),
        sentences=sentences,
        sentences_en=english,
        sentences_es=spanish,
        events=events,
        cores=cores,
        load_s=round(load_s, 3),
        split_s=round(split_s, 3),
        code_s=round(code_s, 3),
        sentences_per_s=round(speed, 1),
        peak_rss_mb=round(peak, 1),
        target_sentences_per_s=TARGET_SENTENCES_PER_S,
        met_speed=speed >= TARGET_SENTENCES_PER_S,
        met_memory=peak <= TARGET_PEAK_MB,
    )


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="Code only the first N (0: all).")
    parser.add_argument("--batch", type=int, default=8, help="Documents per code_many call.")
    args = parser.parse_args()
    summary = asdict(measure(limit=args.limit, batch=args.batch))
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
