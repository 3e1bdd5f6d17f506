"""dyadwatch: an open early-warning monitor for a pair of countries (United States–Mexico).

The public API is what ``__all__`` lists; everything else is internal.
"""

from dyadwatch.analysis import (
    Alert,
    IndexSpec,
    Verdict,
    compute_index,
    find_alerts,
    monthly_panel,
    monthly_verdicts,
)
from dyadwatch.errors import (
    ChecksumError,
    ConfigError,
    CorruptFileError,
    DyadwatchError,
    EmptyFileError,
    FetchError,
    OntologyError,
    SourceError,
    StoreError,
    UnrecognizedFormatError,
)
from dyadwatch.ingest import (
    SeriesSpec,
    ingest_acled,
    ingest_corpus,
    ingest_gdelt,
    ingest_icews,
    ingest_series,
    ingest_ucdp,
)
from dyadwatch.records import (
    Document,
    Event,
    Indicator,
    IngestReport,
    Mention,
    Rejected,
    StoreStatus,
)
from dyadwatch.settings import Settings, load_settings
from dyadwatch.store import Store, open_store
from dyadwatch.store.queries import EventFilter, export_events, store_status

__version__ = "0.1.0"

__all__ = [
    "Alert",
    "ChecksumError",
    "ConfigError",
    "CorruptFileError",
    "Document",
    "DyadwatchError",
    "EmptyFileError",
    "Event",
    "EventFilter",
    "FetchError",
    "IndexSpec",
    "Indicator",
    "IngestReport",
    "Mention",
    "OntologyError",
    "Rejected",
    "SeriesSpec",
    "Settings",
    "SourceError",
    "Store",
    "StoreError",
    "StoreStatus",
    "UnrecognizedFormatError",
    "Verdict",
    "compute_index",
    "export_events",
    "find_alerts",
    "ingest_acled",
    "ingest_corpus",
    "ingest_gdelt",
    "ingest_icews",
    "ingest_series",
    "ingest_ucdp",
    "load_settings",
    "monthly_panel",
    "monthly_verdicts",
    "open_store",
    "store_status",
]
