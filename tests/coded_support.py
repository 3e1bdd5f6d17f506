"""A few real White House documents and constructed coded events citing their sentences.

Shared by the web tests (``web_fixture.py``) and the Spark parity tests: the documents are
real (the bundled corpus), the coded events are constructed test input (the coder is not
run), each citing a real sentence of its document.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from dyadwatch.settings import Settings

from conftest import ROOT, insert_events

WH = ROOT / "dyadwatch" / "data" / "demo" / "wh_briefings_mexico_related.jsonl.gz"
SCRIPT = "<script>alert(1)</script>"


def wh_documents(tmp: Path) -> Path:
    lines = gzip.open(WH, "rt", encoding="utf-8").read().splitlines()[:3]
    out = tmp / "wh_docs.jsonl"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def coded_events(store: object, settings: Settings) -> list[str]:
    """Coded events (constructed) citing real sentences of the stored documents."""
    docs = store.execute("SELECT doc_id, date, text FROM documents ORDER BY doc_id")  # type: ignore[attr-defined]
    rows = []
    for i, (doc_id, date, text) in enumerate(docs):
        sentence = next(s for s in re.split(r"(?<=[.!?])\s+", text) if 40 < len(s) < 400)
        rows.append(
            {
                "event_id": f"web-coded-{i}",
                "source_record_id": f"{doc_id}:0",
                "event_date": date.isoformat(),
                "doc_id": doc_id,
                "evidence": sentence,
                "fronts": ["migration"] if i == 0 else ["trade"],
                "place_country": "MEX",
                "admin1": "MX-CHH",
                "plover_type": "ASSAULT" if i == 0 else "AGREE",
                "quad_class": 4 if i == 0 else 1,
                "coder": "dyadwatch-rules",
                "source_name": SCRIPT if i == 2 else "United States",
            }
        )
    insert_events(store, rows)  # type: ignore[arg-type]
    for doc_id, *_ in docs:
        store.execute(  # type: ignore[attr-defined]
            "INSERT INTO coded_documents VALUES (?, 'dyadwatch-rules', 'test', 1, 1, now())",
            [doc_id],
        )
    return [r["event_id"] for r in rows]
