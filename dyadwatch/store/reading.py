"""Store side of coverage: what each source read, per month (``dyadwatch.analysis.reading``).

Coded texts read documents and sentences (``coded_documents.n_sentences`` of the coder that
coded them); GDELT read the events its files held (``ingest_runs.n_read``, per file day), or,
for an extract that kept only some events, what its slices held (a daily volume series in
``indicators``, with the days its events were added); other event datasets are known only
by the days their events fall on.
"""

from __future__ import annotations

import datetime as dt

from dyadwatch.store.connection import Store


def coded_reading(store: Store) -> list[tuple[str, str, dt.date, int, int]]:
    """(document source, language, month start, documents coded, sentences read) for every
    month with a coded document."""
    rows = store.execute(
        "SELECT d.source, d.lang, date_trunc('month', d.date)::DATE AS m, count(*), sum(c.n) "
        "FROM documents d JOIN (SELECT doc_id, max(n_sentences) AS n FROM coded_documents "
        "GROUP BY 1) c ON c.doc_id = d.doc_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    )
    return [(str(s), str(lang), m, int(docs), int(n)) for s, lang, m, docs, n in rows]


def loaded_files(store: Store, systems: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """(system, file name, rows read) of every loaded file of ``systems``."""
    if not systems:
        return []
    marks = ", ".join("?" for _ in systems)
    rows = store.execute(
        f"SELECT source_system, file_name, n_read FROM ingest_runs WHERE status = 'loaded' "
        f"AND source_system IN ({marks})",
        list(systems),
    )
    return [(str(s), str(f), int(n or 0)) for s, f, n in rows]


def event_days(store: Store, exclude: tuple[str, ...]) -> list[tuple[str, dt.date, int, int]]:
    """(system, month start, distinct days with events, events) of the event datasets not in
    ``exclude`` (coded texts and GDELT are measured otherwise)."""
    marks = ", ".join("?" for _ in exclude)
    where = f"WHERE source_system NOT IN ({marks})" if exclude else ""
    rows = store.execute(
        f"SELECT source_system, date_trunc('month', event_date)::DATE, count(DISTINCT event_date), "
        f"count(*) FROM events {where} GROUP BY 1, 2 ORDER BY 1, 2",
        list(exclude),
    )
    return [(str(s), m, int(days), int(n)) for s, m, days, n in rows]


def document_sources(store: Store) -> dict[str, str]:
    """Every document's source (``whitehouse``, ``mananera``, …), by document id."""
    return {str(d): str(s) for d, s in store.execute("SELECT doc_id, source FROM documents")}


def daily_values(store: Store, series: tuple[str, ...]) -> list[tuple[str, dt.date, float]]:
    """(series, day, value) of every row of ``series`` (summed over geographies)."""
    if not series:
        return []
    marks = ", ".join("?" for _ in series)
    rows = store.execute(
        f"SELECT series, period, sum(value) FROM indicators WHERE series IN ({marks}) "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        list(series),
    )
    return [(str(s), d, float(v)) for s, d, v in rows]


def added_days(store: Store, systems: tuple[str, ...]) -> set[tuple[str, dt.date]]:
    """(system, day) of every day on which events of ``systems`` in the store were added."""
    if not systems:
        return set()
    marks = ", ".join("?" for _ in systems)
    rows = store.execute(
        f"SELECT DISTINCT source_system, date_added::DATE FROM events "
        f"WHERE source_system IN ({marks}) AND date_added IS NOT NULL",
        list(systems),
    )
    return {(str(s), d) for s, d in rows}


def coded_events_per_month(store: Store) -> list[tuple[str, dt.date, int]]:
    """(document source, month start, coded events) for every month with a coded event,
    by the date of the document the events were coded from."""
    rows = store.execute(
        "SELECT d.source, date_trunc('month', d.date)::DATE, count(*) FROM events e "
        "JOIN documents d ON d.doc_id = e.doc_id WHERE e.source_system = 'coded' "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return [(str(s), m, int(n)) for s, m, n in rows]
