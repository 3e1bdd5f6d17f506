"""Samples of the coder's output on the real corpora, judged by hand (our own labels).

``data/eval/event_sample.csv``: random coded events from the demo corpora, each judged
"is this sentence a real event between parties?" and "is the PLOVER type right?".
``data/eval/cluster_pairs.csv``: random pairs of reports that share an event cluster,
judged "do they describe the same real-world event?". ``data/eval/README.md`` says how
and from which coder version they were drawn.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"
EVENT_LABELS = EVAL_DIR / "event_sample.csv"
CLUSTER_LABELS = EVAL_DIR / "cluster_pairs.csv"


@dataclass(frozen=True, slots=True)
class Share:
    yes: int
    total: int

    @property
    def value(self) -> float | None:
        return self.yes / self.total if self.total else None

    def __str__(self) -> str:
        return "–" if self.value is None else f"{self.value:.2f} ({self.yes} of {self.total})"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _share(rows: list[dict[str, str]], column: str) -> Share:
    return Share(sum(r[column].strip().lower() == "yes" for r in rows), len(rows))


def hand_labelled_section() -> str:
    """The EVALUATION.md section on the hand-labelled corpus samples."""
    events, pairs = _rows(EVENT_LABELS), _rows(CLUSTER_LABELS)
    real = _share(events, "is_event")
    typed = _share([r for r in events if r["is_event"].strip().lower() == "yes"], "type_ok")
    same = _share(pairs, "same")
    return (
        "## Hand-labelled samples of the coded corpora\n\n"
        "The dev sets hold few sentences without an event; press briefings hold many. So we "
        "also judged random coded events from the bundled White House and mañanera corpora "
        "(`dyadwatch/data/eval/`, drawn as described in its README).\n\n"
        "| sample | measure | value |\n|---|---|---:|\n"
        f"| coded events | share that are real events between parties | {real} |\n"
        f"| coded events that are real | share with the right PLOVER type | {typed} |\n"
        f"| report pairs sharing a cluster | share that are the same event (cluster precision) "
        f"| {same} |\n"
    )
