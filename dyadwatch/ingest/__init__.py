"""Raw files → canonical rows in the store, every row accounted for.

One function per source kind; each ingests one file and returns its
:class:`~dyadwatch.records.IngestReport`, where
``read == loaded + duplicates + quarantined + filtered``.
"""

from __future__ import annotations

from pathlib import Path

from dyadwatch.ingest import gdelt as _gdelt
from dyadwatch.ingest.acled import ingest_acled
from dyadwatch.ingest.corpus import ingest_corpus
from dyadwatch.ingest.icews import ingest_icews
from dyadwatch.ingest.runner import OnRows, ingest_file, ingest_records
from dyadwatch.ingest.series import SeriesSpec, ingest_series
from dyadwatch.ingest.ucdp import ingest_ucdp
from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.store import Store


def ingest_gdelt(
    store: Store,
    path: Path | str,
    *,
    settings: Settings,
    dyad_only: bool = False,
    on_rows: OnRows | None = None,
) -> IngestReport:
    """Ingest a GDELT 1.0/2.0 events or 2.0 mentions file (.CSV or .zip), version detected.

    With ``dyad_only`` only events between the two countries of ``settings.dyad`` are
    kept; the others are counted as ``filtered``.
    """
    dyad = settings.dyad_countries if dyad_only else None
    return ingest_file(
        store,
        path,
        source_system=_gdelt.source_system_of,
        stager=lambda prep: _gdelt.gdelt_stager(
            prep, max_field=settings.max_field_bytes, dyad=dyad, on_rows=on_rows
        ),
    )


__all__ = [
    "OnRows",
    "SeriesSpec",
    "ingest_acled",
    "ingest_corpus",
    "ingest_gdelt",
    "ingest_icews",
    "ingest_records",
    "ingest_series",
    "ingest_ucdp",
]
