"""`code corpus`: every document coded once, resumable after a crash, with full lineage."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from dyadwatch.coding import code_corpus, load_coder
from dyadwatch.coding.learned import LearnedCoder
from dyadwatch.ingest import ingest_corpus
from dyadwatch.settings import Settings
from dyadwatch.store import Store

from conftest import ROOT, table_count

DEMO = ROOT / "dyadwatch" / "data" / "demo"


def _excerpt(tmp_path: Path, name: str, count: int, since: str) -> Path:
    """A few real documents of a bundled demo corpus (U.S. government works / gob.mx)."""
    with gzip.open(DEMO / name, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    chosen = [r for r in rows if r["date"] >= since][:count]
    path = tmp_path / name.replace(".gz", "")
    path.write_text("".join(json.dumps(r) + "\n" for r in chosen), encoding="utf-8")
    return path


def _ingest_excerpts(store: Store, settings: Settings, tmp_path: Path) -> Store:
    """Four real White House texts of 2025 and one mañanera of 2024."""
    ingest_corpus(
        store,
        _excerpt(tmp_path, "wh_briefings_mexico_related.jsonl.gz", 4, "2025-01-20"),
        settings=settings,
    )
    ingest_corpus(
        store,
        _excerpt(tmp_path, "mananeras_top120_us_related.jsonl.gz", 1, "2024-01-01"),
        settings=settings,
    )
    return store


@pytest.fixture
def corpus_store(store: Store, settings: Settings, tmp_path: Path) -> Store:
    return _ingest_excerpts(store, settings, tmp_path)


class _Crashing:
    """A coder that fails on its third document, like a process killed midway."""

    def __init__(self, inner: LearnedCoder) -> None:
        self.inner, self.name, self.version, self.calls = inner, inner.name, inner.version, 0

    def code_document(self, item):  # type: ignore[no-untyped-def]
        self.calls += 1
        if self.calls == 3:
            raise KeyboardInterrupt
        return self.inner.code_document(item)


def test_corpus_is_coded_with_lineage(corpus_store: Store) -> None:
    report = code_corpus(corpus_store, load_coder())
    assert report.documents == 5 and report.events > 0
    assert table_count(corpus_store, "coded_documents") == 5
    rows = corpus_store.execute(
        "SELECT count(*), count(DISTINCT doc_id), count(evidence), min(coder), "
        "count(event_cluster_id), count(*) FILTER (WHERE plover_type IS NULL), "
        "count(factuality), count(confidence) FILTER (WHERE confidence BETWEEN 0 AND 1) "
        "FROM events WHERE source_system = 'coded'"
    )[0]
    assert rows[0] == report.events and rows[1] >= 2 and rows[2] == rows[0]
    assert rows[3] == "dyadwatch-learned/0.2.0" and rows[4] == rows[0] and rows[5] == 0
    assert rows[6] == rows[0] and rows[7] == rows[0]  # every event: factuality, confidence
    spanish = corpus_store.scalar(
        "SELECT count(*) FROM events e JOIN documents d USING (doc_id) "
        "WHERE e.source_system = 'coded' AND d.lang = 'es'"
    )
    assert spanish > 0


def test_second_run_codes_nothing_new(corpus_store: Store) -> None:
    first = code_corpus(corpus_store, load_coder())
    second = code_corpus(corpus_store, load_coder())
    assert second.documents == 0 and second.events == 0
    assert table_count(corpus_store, "events") == first.events


def test_interrupted_run_resumes_where_it_stopped(corpus_store: Store) -> None:
    crashing = _Crashing(load_coder())
    with pytest.raises(KeyboardInterrupt):
        code_corpus(corpus_store, crashing)  # type: ignore[arg-type]
    assert table_count(corpus_store, "coded_documents") == 2
    resumed = code_corpus(corpus_store, load_coder())
    assert resumed.documents == 3
    assert table_count(corpus_store, "coded_documents") == 5
    full = corpus_store.scalar("SELECT count(*) FROM events WHERE source_system = 'coded'")
    recoded = code_corpus(corpus_store, load_coder(), recode=True)
    assert recoded.documents == 5 and recoded.events == full


def test_clusters_group_reports_of_one_event(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    """One real White House text published at two addresses (as the site does with a
    fact sheet and its reprint): each event with both actors known in the second copy is
    a report of the same event as the first copy's, so they share a cluster, and a
    cluster holds reports of one type and one pair of countries only."""
    path = _excerpt(tmp_path, "wh_briefings_mexico_related.jsonl.gz", 1, "2025-01-20")
    record = json.loads(path.read_text(encoding="utf-8"))
    reprint = {**record, "source_url": record["source_url"] + "?reprint=1"}
    path.write_text(json.dumps(record) + "\n" + json.dumps(reprint) + "\n", encoding="utf-8")
    ingest_corpus(store, path, settings=settings)
    code_corpus(store, load_coder())
    clusters = store.execute(
        "SELECT event_cluster_id, count(*), count(DISTINCT doc_id), "
        "count(DISTINCT plover_type), count(DISTINCT (source_country, target_country)) "
        "FROM events WHERE source_system = 'coded' AND source_country IS NOT NULL "
        "AND target_country IS NOT NULL GROUP BY event_cluster_id"
    )
    assert clusters, "the text yields no event with both actors: nothing to cluster"
    assert all(docs == 2 and reports >= 2 for _, reports, docs, _, _ in clusters)
    assert all(types == 1 and pairs == 1 for _, _, _, types, pairs in clusters)


def test_two_worker_processes_code_exactly_what_one_does(
    corpus_store: Store, settings: Settings, tmp_path: Path
) -> None:
    from dyadwatch.store import open_store

    def events(store: Store) -> list[tuple[object, ...]]:
        return store.execute(
            "SELECT event_id, event_date, plover_type, source_country, target_country, "
            "round(confidence, 6), factuality, evidence FROM events "
            "WHERE source_system = 'coded' ORDER BY event_id"
        )

    one = code_corpus(corpus_store, load_coder(), workers=1)
    with open_store(tmp_path / "two.duckdb") as other:
        _ingest_excerpts(other, settings, tmp_path)
        seen: list[str] = []
        two = code_corpus(
            other, load_coder(), workers=2, on_document=lambda doc, _n: seen.append(doc)
        )
        assert (two.documents, two.events) == (one.documents, one.events) == (5, one.events)
        assert events(other) == events(corpus_store)
        assert seen == [
            r[0] for r in other.execute("SELECT doc_id FROM documents ORDER BY date, doc_id")
        ]  # saved in document order, one at a time
