"""PLACEHOLDER: being written; see the data-spine issue."""

from __future__ import annotations

from pathlib import Path

from dyadwatch.ingest.runner import OnRows
from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.store import Store


def ingest_corpus(
    store: Store,
    path: Path | str,
    *,
    settings: Settings,
    source: str | None = None,
    lang: str | None = None,
    on_rows: OnRows | None = None,
) -> IngestReport:
    raise NotImplementedError
