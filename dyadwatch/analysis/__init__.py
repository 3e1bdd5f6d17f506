"""Analysis (layer 4): the conflict–cooperation index, alerts, verdicts and the monthly panel.

Every number is an Ibis expression built by ``dyadwatch.store``'s per-table reads over the
tables of ``store/tables.py`` (events, documents, coded documents, ingest runs, indicators)
and evaluated here; no module of this package holds SQL. So the index, coverage, evidence,
alerts and verdicts run on DuckDB (the store) or on Spark (``store.spark.spark_tables``),
and the index compiles for BigQuery. Indicator series (``analysis/indicators.py``) take the
same tables; only the monthly panel of forecasts and scenarios reads them from the store.
"""

from dyadwatch.analysis.alerts import Alert, alerts_as_dicts, find_alerts
from dyadwatch.analysis.evidence import Contributor, top_events
from dyadwatch.analysis.index import IndexSpec, compute_index, index_expr
from dyadwatch.analysis.series import monthly_net_cooperation, monthly_panel
from dyadwatch.analysis.verdicts import Verdict, monthly_verdicts, verdicts_as_dicts

__all__ = [
    "Alert",
    "Contributor",
    "IndexSpec",
    "Verdict",
    "alerts_as_dicts",
    "compute_index",
    "find_alerts",
    "index_expr",
    "monthly_net_cooperation",
    "monthly_panel",
    "monthly_verdicts",
    "top_events",
    "verdicts_as_dicts",
]
