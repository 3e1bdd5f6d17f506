"""Benchmark: ``code corpus`` with two worker processes against one, on 2 cores.

The input is REAL text: the ``--documents`` longest 2024–2026 mañaneras bundled for the
demo (``dyadwatch/data/demo/mananeras_2024_2026_us_related.jsonl.gz``), ingested into two
fresh DuckDB stores and coded with ``code_corpus`` at ``workers=1`` and ``workers=2``
(spawned workers, each loading its own coder: that start-up is inside the clock). The
events stored must be identical. The process is pinned to 2 CPUs.

Target: two workers at least 1.5 times as fast as one.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "dyadwatch" / "data" / "demo" / "mananeras_2024_2026_us_related.jsonl.gz"
CORES = 2
TARGET = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=80)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:CORES])
    from dyadwatch.coding import code_corpus, load_coder
    from dyadwatch.ingest import ingest_corpus
    from dyadwatch.settings import Settings
    from dyadwatch.store import open_store

    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    chosen = sorted(rows, key=lambda r: -len(r["text"]))[: args.documents]
    coder = load_coder()
    timings, results = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        subset = Path(folder) / "mananera_subset.jsonl"
        subset.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
        for workers in (1, 2):
            settings = Settings(db=Path(folder) / f"w{workers}.duckdb")
            with open_store(settings.db) as store:
                ingest_corpus(store, subset, settings=settings)
                start = time.perf_counter()
                report = code_corpus(store, coder, workers=workers)
                timings[workers] = time.perf_counter() - start
                sentences = int(store.scalar("SELECT sum(n_sentences) FROM coded_documents"))
                results[workers] = store.execute(
                    "SELECT event_id, plover_type, round(confidence, 6) FROM events "
                    "WHERE source_system = 'coded' ORDER BY event_id"
                )
    speedup = timings[1] / timings[2]
    print(
        json.dumps(
            {
                "documents": len(chosen),
                "sentences": sentences,
                "events": report.events,
                "one_worker_s": round(timings[1], 2),
                "two_workers_s": round(timings[2], 2),
                "speedup": round(speedup, 3),
                "identical": results[1] == results[2],
                "target": TARGET,
                "met": speedup >= TARGET and results[1] == results[2],
                "cores": CORES,
            }
        )
    )


if __name__ == "__main__":
    main()
