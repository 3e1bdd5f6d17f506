"""Reads of the ``events`` table, each an unexecuted Ibis expression (``store/tables.py``).

The caller evaluates them (``.to_pandas()``, ``.execute()``) on whichever backend the
tables live: the DuckDB store or Spark. Writes (loading, recoding, clustering) stay in
``store/loading.py`` and ``store/coded.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import ibis.expr.types as ir

# Periods a calendar is cut into: day, week (from Monday) or month (Ibis truncate units).
PeriodUnit = Literal["D", "W", "M"]
CODED = "coded"  # the source system of events coded from texts


def newest_date(events: ir.Table) -> ir.Scalar:
    """The newest event date (null when there are no events)."""
    return events.event_date.max()


def source_systems(events: ir.Table) -> ir.Table:
    """Every source system with an event, sorted: one column ``source_system``."""
    return distinct(events.select("source_system")).order_by("source_system")


def dyadic_systems(events: ir.Table, dyad: tuple[str, str]) -> ir.Table:
    """The source systems with at least one event between the two countries, sorted."""
    a, b = dyad
    between = ((events.source_country == a) & (events.target_country == b)) | (
        (events.source_country == b) & (events.target_country == a)
    )
    return source_systems(events.filter(between))


def event_periods(events: ir.Table, unit: PeriodUnit) -> ir.Table:
    """(``system``, ``period``) of every period with an event, coded events excepted (their
    periods are their documents', ``store.documents.document_periods``)."""
    t = events.filter(events.source_system != CODED)
    return distinct(t.select(system=t.source_system, period=t.event_date.truncate(unit)))


def event_days(events: ir.Table, exclude: Sequence[str]) -> ir.Table:
    """(``system``, ``month``, ``days`` with events, ``n`` events) per month of the systems
    not in ``exclude``, sorted."""
    t = events.filter(~events.source_system.isin(tuple(exclude))) if exclude else events
    t = t.mutate(system=t.source_system, month=t.event_date.truncate("M"))
    out = t.group_by(["system", "month"]).aggregate(days=t.event_date.nunique(), n=t.count())
    return out.order_by(["system", "month"])


def added_days(events: ir.Table, systems: Sequence[str]) -> ir.Table:
    """(``system``, ``day``) of every day on which events of ``systems`` were added."""
    t = events.filter(events.source_system.isin(tuple(systems)) & events.date_added.notnull())
    return distinct(t.select(system=t.source_system, day=t.date_added.date()))


def coded_events_per_month(events: ir.Table, documents: ir.Table) -> ir.Table:
    """(``source``, ``month``, ``n``): coded events per document source and month of the
    documents they were coded from, sorted."""
    coded = events.filter(events.source_system == CODED).select("doc_id")
    t = coded.join(documents, "doc_id").mutate(month=documents.date.truncate("M"))
    out = t.group_by(["source", "month"]).aggregate(n=t.count())
    return out.order_by(["source", "month"])


def coded_clusters(events: ir.Table) -> ir.Table:
    """(``source_record_id``, ``event_cluster_id``) of every coded report."""
    t = events.filter(events.source_system == CODED)
    return t.select("source_record_id", "event_cluster_id")


def shared_cluster_reports(events: ir.Table) -> ir.Table:
    """The coded reports of clusters that hold reports of several documents: cluster,
    record, evidence, PLOVER type and date (as text), sorted by cluster and record."""
    coded = events.filter(events.source_system == CODED)
    shared = (
        coded.group_by("event_cluster_id")
        .aggregate(docs=coded.doc_id.nunique())
        .filter(lambda t: t.docs > 1)
        .select("event_cluster_id")
    )
    t = coded.filter(coded.event_cluster_id.isin(shared.event_cluster_id))
    return t.select(
        "event_cluster_id",
        "source_record_id",
        "evidence",
        "plover_type",
        date=t.event_date.cast("string"),
    ).order_by(["event_cluster_id", "source_record_id"])


def ucdp_without_end(events: ir.Table) -> ir.Scalar:
    """How many UCDP events have no end date (loaded before schema 4)."""
    t = events.filter((events.source_system == "ucdp") & events.event_end_date.isnull())
    return t.count()


def ucdp_fatalities(events: ir.Table, country: str, max_days: int) -> ir.Table:
    """(``period``, ``admin1``, ``value``): UCDP fatalities per month and first-level
    region of ``country``, in events lasting less than ``max_days`` days."""
    t = events.filter(
        (events.source_system == "ucdp")
        & (events.place_country == country)
        & events.admin1.notnull()
        & events.fatalities.notnull()
        & (events.event_end_date.delta(events.event_date, unit="day") < max_days)
    )
    t = t.mutate(period=t.event_date.truncate("M"))
    return t.group_by(["period", "admin1"]).aggregate(value=t.fatalities.sum())


def distinct(t: ir.Table) -> ir.Table:
    """The distinct rows of ``t``, as a grouping: Ibis 12 compiles ``select(...).distinct()``
    after a filter for Spark with the filter's columns inside the DISTINCT, which keeps
    duplicates there."""
    return t.group_by(list(t.columns)).aggregate()
