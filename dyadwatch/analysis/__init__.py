"""Analysis (layer 4): the conflict–cooperation index, alerts, verdicts and the monthly panel.

Every number is an Ibis expression over the ``events`` table, so it runs on DuckDB (the
store), on Spark (``dyadwatch.store.spark``) and compiles for BigQuery.
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
