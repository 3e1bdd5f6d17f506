"""The labelled corpus as gold: annotations merged, disagreements adjudicated, agreement measured.

``labels/sentences.jsonl`` lists the drawn sentences; ``labels/annotations/*.jsonl`` holds
each annotator's labels (``docs/codebook.md`` §8); ``labels/adjudicated.jsonl`` holds the
adjudicator's decision for every doubly-labelled sentence whose two labels disagree on
event, dyadic, type or direction. Every annotation is kept; the gold is:

* the only label, for a sentence labelled once;
* the shared label, when two annotators agree on those four fields;
* the adjudicated label otherwise (the first annotator's until adjudicated).

Cohen's κ (scikit-learn) is reported for event, dyadic, type and direction on the
doubly-labelled sentences.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.errors import ConfigError

DISAGREEMENT_FIELDS = ("event", "dyadic", "type", "direction")


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One labelled sentence: its text and context, and its gold label."""

    id: str
    text: str
    lang: str
    corpus: str  # wh | mananera | endev
    publisher: str | None
    speaker: str | None
    doc_date: str | None
    split: str
    event: bool
    dyadic: bool
    event_type: str | None
    mode: str | None
    factuality: str
    source_country: str | None
    target_country: str | None
    source_sector: str | None
    target_sector: str | None
    source_span: str | None
    target_span: str | None
    n_labels: int
    petrarch_types: tuple[str, ...] = ()

    @property
    def date(self) -> dt.date | None:
        """The document's date (None when the source gives none)."""
        try:
            return dt.date.fromisoformat(self.doc_date) if self.doc_date else None
        except ValueError:
            return None

    @property
    def year(self) -> int | None:
        return int(self.doc_date[:4]) if self.doc_date else None

    def direction(self, pair: tuple[str, str]) -> str:
        """``A>B``, ``B>A`` (between the pair, which way) or ``none``."""
        if not self.dyadic:
            return "none"
        if (self.source_country, self.target_country) == pair:
            return "A>B"
        if (self.source_country, self.target_country) == pair[::-1]:
            return "B>A"
        return "none"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a file, one per non-empty line (ConfigError names a bad line)."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{n}: not JSON ({exc.msg})") from exc
    return rows


def annotations_by_id(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Every annotator's label of each sentence, one per annotator."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in sorted((folder / "annotations").glob("*.jsonl")):
        for label in read_jsonl(path):
            found[label["id"]].append(label)
    return {k: _one_per_annotator(v) for k, v in found.items()}


def _one_per_annotator(labels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for label in labels:
        seen.setdefault(str(label.get("annotator")), label)
    return list(seen.values())


def _direction(label: dict[str, Any]) -> str:
    if not label.get("dyadic"):
        return "none"
    return f"{label.get('source_country')}>{label.get('target_country')}"


def key_fields(label: dict[str, Any]) -> tuple[Any, ...]:
    """What two labels must share to agree: event, dyadic, type, direction."""
    event = bool(label.get("event"))
    return (
        event,
        bool(label.get("dyadic")),
        label.get("type") if event else None,
        _direction(label),
    )


def load_gold(folder: Path) -> list[GoldSentence]:
    """The gold label of every labelled sentence (unlabelled sentences are left out)."""
    sentences = read_jsonl(folder / "sentences.jsonl")
    labels = annotations_by_id(folder)
    adjudicated = _adjudicated(folder)
    gold = []
    for row in sentences:
        found = labels.get(row["id"])
        if found:
            label = _resolve(found, adjudicated.get(row["id"]))
            gold.append(_gold(row, label, len(found)))
    return gold


def _adjudicated(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / "adjudicated.jsonl"
    return {r["id"]: r for r in read_jsonl(path)} if path.exists() else {}


def _resolve(labels: Sequence[dict[str, Any]], decision: dict[str, Any] | None) -> dict[str, Any]:
    if len(labels) > 1 and decision is not None:
        if len({key_fields(x) for x in labels}) > 1:
            return decision
    return labels[0]


def _gold(row: dict[str, Any], label: dict[str, Any], n_labels: int) -> GoldSentence:
    event = bool(label.get("event"))
    return GoldSentence(
        id=row["id"],
        text=row["text"],
        lang=row["lang"],
        corpus=row["source"],
        publisher=row.get("publisher"),
        speaker=row.get("speaker"),
        doc_date=row.get("doc_date"),
        split=row["split"],
        event=event,
        dyadic=event and bool(label.get("dyadic")),
        event_type=label.get("type") if event else None,
        mode=label.get("mode") if event else None,
        factuality=label.get("factuality") or ("asserted" if event else "generic"),
        source_country=label.get("source_country") if event else None,
        target_country=label.get("target_country") if event else None,
        source_sector=label.get("source_sector") if event else None,
        target_sector=label.get("target_sector") if event else None,
        source_span=label.get("source_span") if event else None,
        target_span=label.get("target_span") if event else None,
        n_labels=n_labels,
        petrarch_types=tuple(row.get("petrarch_types") or ()),
    )


@dataclass(frozen=True, slots=True)
class Agreement:
    """Cohen's κ and raw agreement on one field, over ``n`` doubly-labelled sentences."""

    field: str
    n: int
    kappa: float | None
    observed: float | None


def agreement(folder: Path) -> list[Agreement]:
    """κ on event and dyadic (all doubles), type (both say event), direction (both dyadic)."""
    pairs = [v[:2] for v in annotations_by_id(folder).values() if len(v) >= 2]
    out = [
        _kappa("event", [(bool(a["event"]), bool(b["event"])) for a, b in pairs]),
        _kappa("dyadic", [(bool(a["dyadic"]), bool(b["dyadic"])) for a, b in pairs]),
        _kappa("type", [(a["type"], b["type"]) for a, b in pairs if a["event"] and b["event"]]),
        _kappa(
            "direction",
            [(_direction(a), _direction(b)) for a, b in pairs if a["dyadic"] and b["dyadic"]],
        ),
    ]
    return out


def _kappa(name: str, pairs: Iterable[tuple[Any, Any]]) -> Agreement:
    from sklearn.metrics import cohen_kappa_score

    items = [(str(a), str(b)) for a, b in pairs]
    if not items:
        return Agreement(name, 0, None, None)
    left, right = zip(*items, strict=True)
    observed = sum(x == y for x, y in items) / len(items)
    if len(set(left) | set(right)) < 2:
        return Agreement(name, len(items), None, observed)
    return Agreement(name, len(items), float(cohen_kappa_score(left, right)), observed)


def disagreements(folder: Path) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Doubly-labelled sentences whose labels differ on the key fields, with their labels."""
    rows = {r["id"]: r for r in read_jsonl(folder / "sentences.jsonl")}
    return [
        (rows[k], v)
        for k, v in annotations_by_id(folder).items()
        if len(v) >= 2 and len({key_fields(x) for x in v}) > 1 and k in rows
    ]
