"""Cluster precision reads the store's clusters through ``store.events`` (Ibis, no SQL).

The events are constructed (test input, not data): three clusters of coded reports, two
of them holding reports of two documents, one holding two reports of one document.
"""

from __future__ import annotations

from pathlib import Path

from dyadwatch.coding.cluster_eval import cluster_precision, sample_pairs
from dyadwatch.store import Store

from conftest import insert_events

REPORTS = [  # (record, cluster, document, date)
    ("r1", "k1", "d1", "2025-02-03"),
    ("r2", "k1", "d2", "2025-02-04"),
    ("r3", "k2", "d3", "2025-02-05"),
    ("r4", "k2", "d3", "2025-02-05"),
    ("r5", "k3", "d4", "2025-03-01"),
    ("r6", "k3", "d5", "2025-03-02"),
]


def _clustered(store: Store) -> None:
    insert_events(
        store,
        [
            {
                "event_id": record,
                "source_record_id": record,
                "event_cluster_id": cluster,
                "doc_id": doc,
                "event_date": date,
                "evidence": f"constructed sentence of {record}",
            }
            for record, cluster, doc, date in REPORTS
        ],
    )
    insert_events(store, [{"event_id": "g1", "source_system": "gdelt2", "event_cluster_id": "k1"}])


def test_pairs_come_from_clusters_of_several_documents(store: Store) -> None:
    _clustered(store)
    pairs = sample_pairs(store, n=5)
    assert len(pairs) == 2  # k1 and k3; k2 holds one document only
    by_record = {record: (cluster, date) for record, cluster, _, date in REPORTS}
    for pair in pairs:
        assert by_record[pair.a][0] == by_record[pair.b][0] != "k2"
        assert (pair.date_a, pair.date_b) == (by_record[pair.a][1], by_record[pair.b][1])
        assert pair.evidence_a == f"constructed sentence of {pair.a}"
        assert pair.plover_type == "AGREE"


def test_precision_counts_labelled_pairs_in_one_cluster(store: Store, tmp_path: Path) -> None:
    _clustered(store)
    labels = tmp_path / "labels.csv"
    labels.write_text("a,b,same\nr1,r2,yes\nr5,r6,no\nr1,r3,yes\n", encoding="utf-8")
    result = cluster_precision(store, labels)
    assert (result.labelled, result.clustered, result.same) == (3, 2, 1)
    assert result.precision == 0.5
