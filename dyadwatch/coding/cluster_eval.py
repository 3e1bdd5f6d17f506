"""Precision of the event clusters, measured on pairs of reports labelled by hand.

A labelled pair names two coded reports by their ``source_record_id``
(``doc_id:sentence:TYPE``) and says whether they describe the same real-world event.
Precision is the share of labelled pairs, among those the clusterer put in one cluster,
that really are the same event. Pairs are drawn with :func:`sample_pairs`.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.store import Store
from dyadwatch.store.events import coded_clusters, shared_cluster_reports


@dataclass(frozen=True, slots=True)
class ReportPair:
    a: str
    b: str
    evidence_a: str
    evidence_b: str
    plover_type: str
    date_a: str
    date_b: str


@dataclass(frozen=True, slots=True)
class ClusterPrecision:
    labelled: int
    clustered: int  # labelled pairs that are in one cluster now
    same: int

    @property
    def precision(self) -> float | None:
        return self.same / self.clustered if self.clustered else None


def sample_pairs(store: Store, *, n: int, seed: int = 11) -> list[ReportPair]:
    """``n`` random pairs of reports from clusters that hold reports of several documents."""
    rows = shared_cluster_reports(store.ibis.table("events")).to_pyarrow().to_pylist()
    clusters: dict[str, list[tuple[str, str, str, str]]] = {}
    for row in rows:
        report = (row["source_record_id"], row["evidence"], row["plover_type"], row["date"])
        clusters.setdefault(row["event_cluster_id"], []).append(report)
    rng = random.Random(seed)
    chosen = rng.sample(sorted(clusters), min(n, len(clusters)))
    pairs = []
    for cluster in chosen:
        first, second = rng.sample(clusters[cluster], 2)
        pairs.append(
            ReportPair(first[0], second[0], first[1], second[1], first[2], first[3], second[3])
        )
    return pairs


def cluster_precision(store: Store, labels: Path) -> ClusterPrecision:
    """Score the store's current clusters against the labelled pairs in ``labels``."""
    with labels.open(encoding="utf-8", newline="") as handle:
        pairs = [
            (r["a"], r["b"], r["same"].strip().lower() == "yes") for r in csv.DictReader(handle)
        ]
    rows = coded_clusters(store.ibis.table("events")).to_pyarrow().to_pylist()
    cluster_of = {row["source_record_id"]: row["event_cluster_id"] for row in rows}
    together = [
        same for a, b, same in pairs if a in cluster_of and cluster_of.get(a) == cluster_of.get(b)
    ]
    return ClusterPrecision(len(pairs), len(together), sum(together))
