"""PLACEHOLDER: being written; see the data-spine issue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dyadwatch.ingest.runner import OnRows
from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.store import Store


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    """A generic series file: which columns hold the date and value, and what they mean."""

    name: str
    date_col: str
    value_col: str
    unit: str
    geography_col: str | None = None
    geography: str = "ALL"
    source: str | None = None


def ingest_series(
    store: Store,
    path: Path | str,
    *,
    settings: Settings,
    spec: SeriesSpec | None = None,
    on_rows: OnRows | None = None,
) -> IngestReport:
    raise NotImplementedError
