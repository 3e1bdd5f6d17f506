"""Raw files → canonical rows in the store, every row accounted for.

One function per source kind; each ingests one file and returns its
:class:`~dyadwatch.records.IngestReport`, where
``read == loaded + duplicates + quarantined + filtered``.
"""

from __future__ import annotations

from dyadwatch.ingest.acled import ingest_acled
from dyadwatch.ingest.corpus import ingest_corpus
from dyadwatch.ingest.demo import DemoFile, build_demo, demo_files
from dyadwatch.ingest.gdelt import ingest_gdelt
from dyadwatch.ingest.icews import ingest_icews
from dyadwatch.ingest.runner import OnRows, ingest_records
from dyadwatch.ingest.series import SeriesSpec, ingest_series
from dyadwatch.ingest.ucdp import ingest_ucdp

__all__ = [
    "DemoFile",
    "OnRows",
    "SeriesSpec",
    "build_demo",
    "demo_files",
    "ingest_acled",
    "ingest_corpus",
    "ingest_gdelt",
    "ingest_icews",
    "ingest_records",
    "ingest_series",
    "ingest_ucdp",
]
