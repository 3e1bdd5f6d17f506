"""Target tables of the ingest: their columns, dedupe keys, and Arrow batches of records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import pyarrow as pa

from dyadwatch.records import Document, Event, Indicator, Mention, Rejected, Row


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A store table fed by the ingest; a row is a duplicate when its ``keys`` exist already."""

    name: str
    record: type
    keys: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.record))


EVENTS = TableSpec("events", Event, ("event_id",))
DOCUMENTS = TableSpec("documents", Document, ("doc_id",))
INDICATORS = TableSpec("indicators", Indicator, ("series", "period", "geography"))
MENTIONS = TableSpec("gdelt_mentions", Mention, ("global_event_id", "url", "sentence_id"))

SPECS: dict[type, TableSpec] = {s.record: s for s in (EVENTS, DOCUMENTS, INDICATORS, MENTIONS)}

_ARROW_TYPES: dict[str, pa.DataType] = {
    "fronts": pa.list_(pa.string()),
    "event_date": pa.date32(),
    "event_end_date": pa.date32(),
    "period": pa.date32(),
    "date": pa.date32(),
    "date_added": pa.timestamp("us"),
    "event_time": pa.timestamp("us"),
    "mention_time": pa.timestamp("us"),
    "factuality": pa.string(),
    "coder": pa.string(),
    "confidence": pa.float64(),
}


def records_to_arrow(spec: TableSpec, records: Sequence[Row], line_nos: Sequence[int]) -> pa.Table:
    """An Arrow table of ``records`` with their source line numbers in ``line_no``."""
    columns: dict[str, list[object]] = {"line_no": list(line_nos)}
    for name in spec.columns:
        values = [getattr(record, name) for record in records]
        if name == "fronts":
            values = [list(v) for v in values]
        columns[name] = values
    arrays = {
        name: pa.array(values, type=_ARROW_TYPES.get(name)) for name, values in columns.items()
    }
    return pa.table(arrays)


def rejected_to_arrow(rows: Sequence[Rejected]) -> pa.Table:
    """An Arrow table of quarantined rows."""
    return pa.table(
        {
            "line_no": pa.array([r.line_no for r in rows], type=pa.int64()),
            "raw": pa.array([r.raw for r in rows], type=pa.string()),
            "reason": pa.array([r.reason for r in rows], type=pa.string()),
        }
    )
