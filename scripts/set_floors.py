"""Write dyadwatch/data/eval/coder_floors.json from the bundled scores (make evaluate).

A floor is the learned coder's score on the frozen test split, less MARGIN, rounded down
to two decimals: a later change that lowers a score by more than the margin fails
tests/test_coding_learned.py. Run after `make train` and `make evaluate`, and commit both.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from dyadwatch.coding.evaluate_gold_report import MAIN_MEASURES

DATA = Path(__file__).resolve().parents[1] / "dyadwatch" / "data" / "eval"
MARGIN = 0.02
MEASURES = MAIN_MEASURES


def floor(value: float | None) -> float | None:
    return None if value is None else max(0.0, math.floor((value - MARGIN) * 100) / 100)


def main() -> None:
    scores = json.loads((DATA / "coder_scores.json").read_text(encoding="utf-8"))
    run = next(r for r in scores["runs"] if r["coder"] == "learned" and r["split"] == "test")
    out = {
        "date": scores["date"],
        "margin": MARGIN,
        "overall": {m: floor(run["scores"][m]) for m in MEASURES},
        "by_language": {
            lang: {m: floor(s[m]) for m in ("type_accuracy", "event_precision")}
            for lang, s in run["by_language"].items()
        },
    }
    text = json.dumps(out, indent=2, sort_keys=True) + "\n"
    (DATA / "coder_floors.json").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
