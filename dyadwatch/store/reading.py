"""Store side of coverage: what each source read (``dyadwatch.analysis.reading``), from the
``ingest_runs`` and ``indicators`` tables. Each read is an unexecuted Ibis expression over
:mod:`dyadwatch.store.tables`, so coverage runs on DuckDB or Spark.

Coded texts read documents and sentences (``store.coded_documents.coded_reading``); GDELT
read the events its files held (:func:`loaded_files`: ``ingest_runs.n_read``, per file day),
or, for an extract that kept only some events, what its slices held (:func:`daily_values`: a
daily volume series in ``indicators``, with the days its events were added,
``store.events.added_days``); other event datasets are known only by the days their events
fall on (``store.events.event_days``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir


def loaded_files(ingest_runs: ir.Table, systems: Sequence[str]) -> ir.Table:
    """(``system``, ``file_name``, ``n_read``) of every loaded file of ``systems``."""
    t = ingest_runs.filter(
        (ingest_runs.status == "loaded") & ingest_runs.source_system.isin(tuple(systems))
    )
    return t.select(system=t.source_system, file_name=t.file_name, n_read=t.n_read.fill_null(0))


def daily_values(indicators: ir.Table, series: Sequence[str]) -> ir.Table:
    """(``series``, ``day``, ``value``) of every row of ``series``, summed over geographies,
    sorted."""
    t = indicators.filter(indicators.series.isin(tuple(series)))
    out = t.group_by(["series", "period"]).aggregate(value=t.value.sum())
    return out.rename(day="period").order_by(["series", "day"])
