"""SYNTHETIC events for scale tests and benchmarks only. Nothing made here is real data.

Rows are generated inside DuckDB from a hash of their row number, so the same ``n`` and
``seed`` always give the same table. Every row says what it is: ``source_system`` is
``synthetic`` and ``source_record_id`` starts with ``SYNTHETIC-``.
"""

from __future__ import annotations

from collections.abc import Sequence

from dyadwatch.ontology.pairs import DEFAULT_COUNTRIES
from dyadwatch.store.connection import Store

SYNTHETIC_SYSTEM = "synthetic"
_COUNTRIES = [*DEFAULT_COUNTRIES, *DEFAULT_COUNTRIES, "CAN", "CHN", None]  # the pair, 2:2
_TYPES = [
    ("AGREE", 1, 5.9), ("CONSULT", 1, 2.8), ("SUPPORT", 1, 5.1), ("COOPERATE", 2, 6.7),
    ("AID", 2, 7.5), ("INVESTIGATE", 2, -2.0), ("DEMAND", 3, -5.0), ("DISAPPROVE", 3, -2.0),
    ("THREATEN", 3, -6.2), ("SANCTION", 3, -5.8), ("MOBILIZE", 4, -7.2), ("COERCE", 4, -6.7),
    ("ASSAULT", 4, -9.5), ("FIGHT", 4, -9.9), ("CRIME", 4, None),
]  # fmt: skip
_FRONTS = ["fentanyl", "migration", "trade", "militarization", "military_action", "cooperation"]
_SECTORS = ["GOV", "MIL", "COP", "CRM", "BUS", "REF", None]


def insert_synthetic_events(store: Store, n: int, *, seed: int = 1) -> int:
    """Append ``n`` SYNTHETIC events (2015–2025) to the store's events table; returns ``n``."""
    store.execute(_sql(n, seed))
    return n


def _pick(values: Sequence[str | None], salt: str, seed: int) -> str:
    items = ", ".join("NULL" if v is None else _literal(v) for v in values)
    return f"([{items}])[1 + (hash(i, {seed}, '{salt}') % {len(values)})::INTEGER]"


def _literal(value: str) -> str:
    return f"'{value}'"


def _sql(n: int, seed: int) -> str:
    kind = f"(hash(i, {seed}, 'type') % {len(_TYPES)})::INTEGER + 1"
    types = ", ".join(f"'{t}'" for t, _, _ in _TYPES)
    quads = ", ".join(str(q) for _, q, _ in _TYPES)
    golds = ", ".join("NULL" if g is None else str(g) for _, _, g in _TYPES)
    front = f"[{_pick(_FRONTS, 'front', seed)}]"
    return f"""
    INSERT INTO events (event_id, source_system, source_record_id, event_date,
        source_country, target_country, source_sector, target_sector,
        plover_type, quad_class, goldstein, fronts, n_sources, event_cluster_id, cameo_code)
    SELECT 'SYNTHETIC-' || i || '-{seed}', '{SYNTHETIC_SYSTEM}', 'SYNTHETIC-' || i,
        DATE '2015-01-01' + (hash(i, {seed}, 'day') % 4018)::INTEGER,
        {_pick(_COUNTRIES, "src", seed)}, {_pick(_COUNTRIES, "tgt", seed)},
        {_pick(_SECTORS, "ss", seed)}, {_pick(_SECTORS, "ts", seed)},
        ([{types}])[k], ([{quads}])[k]::TINYINT, ([{golds}])[k],
        CASE WHEN hash(i, {seed}, 'f') % 3 = 0 THEN {front} ELSE [] END,
        1 + (hash(i, {seed}, 'n') % 5)::BIGINT,
        CASE WHEN hash(i, {seed}, 'c') % 4 = 0 THEN 'SYNTHETIC-c' || (i // 3) ELSE NULL END,
        NULL
    FROM (SELECT range AS i, {kind} AS k FROM range({n}))
    """
