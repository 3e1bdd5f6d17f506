"""GDELT events and mentions → canonical rows.

Events take a fast path that stays inside DuckDB: each line is read whole (so its line
number and raw text are kept), split on tabs, checked, and mapped to the canonical
event with SQL (the SQL text is in :mod:`dyadwatch.store.gdelt_staging`). No Python
touches a row, which is what makes multi-million-row files fast.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa

from dyadwatch.ingest.parse import parse_float, parse_int, parse_timestamp
from dyadwatch.ingest.rows import event_id_for
from dyadwatch.ingest.runner import OnRows, Stager, StageResult, ingest_file, stage_records
from dyadwatch.ontology import fips_table, lookup_cameo
from dyadwatch.records import EVENT_COLUMNS, IngestReport, Mention, Rejected
from dyadwatch.settings import Settings
from dyadwatch.sources import gdelt
from dyadwatch.sources.files import PreparedInput
from dyadwatch.store import Store, loading
from dyadwatch.store import gdelt_staging as staging


def gdelt_stager(
    prepared: PreparedInput,
    *,
    max_field: int,
    dyad: tuple[str, str] | None = None,
    on_rows: OnRows | None = None,
) -> Stager:
    """Choose the stager for a GDELT file by its detected version."""
    version = gdelt.detect_version(prepared.text_path)
    if version in (gdelt.MENTIONS, gdelt.MENTIONS_CSV):
        csv_header = version == gdelt.MENTIONS_CSV
        return lambda store, prep, run_id: stage_records(
            store, run_id, read_mentions(prep.text_path, csv_header=csv_header), on_rows=on_rows
        )
    layout = gdelt.LAYOUTS[version]

    def stage(store: Store, prep: PreparedInput, run_id: str) -> StageResult:
        progress = _RowProgress(prep.text_path, on_rows)
        result = stage_events(
            store,
            prep.text_path,
            layout,
            run_id=run_id,
            max_field=max_field,
            dyad=dyad,
            on_progress=progress.update,
        )
        progress.finish(result.read)
        return result

    return stage


def source_system_of(prepared: PreparedInput) -> str:
    """'gdelt1', 'gdelt2' or 'gdelt2_mentions', from the file's columns."""
    version = gdelt.detect_version(prepared.text_path)
    return gdelt.MENTIONS if version == gdelt.MENTIONS_CSV else version


def stage_events(
    store: Store,
    path: Path,
    layout: gdelt.EventLayout,
    *,
    run_id: str,
    max_field: int,
    dyad: tuple[str, str] | None,
    on_progress: Callable[[float], None] | None = None,
) -> StageResult:
    """Parse, check and insert a GDELT events file inside the caller's transaction."""
    read = staging.parse_file(
        store, path, layout, max_field=max_field, on_progress=on_progress or _ignore
    )
    quarantined = loading.insert_quarantine(store, staging.BAD, run_id=run_id)
    cameo, fips = _lookups(staging.parsed_cameo_codes(store))
    with staging.mapped_events(store, layout.version, dyad=dyad, cameo=cameo, fips=fips) as ok:
        loaded = loading.insert_new(
            store,
            table="events",
            staged=ok.staged,
            columns=EVENT_COLUMNS,
            keys=("event_id",),
            run_id=run_id,
        )
    return StageResult(read, loaded, ok.kept - loaded, quarantined, ok.valid - ok.kept)


def _ignore(_: float) -> None:
    return None


class _RowProgress:
    """Rows read so far while the fast path's one SQL statement runs: the parse's progress
    times a lower bound of the row count (file size over the longest sampled line), so the
    reports stay under the true count; :meth:`finish` adds the rest."""

    def __init__(self, path: Path, on_rows: OnRows | None) -> None:
        self._on_rows = on_rows
        self._reported = 0
        self._estimate = _estimate_rows(path) if on_rows is not None else 0

    def update(self, percent: float) -> None:
        self._report(min(int(self._estimate * percent / 100), self._estimate))

    def finish(self, rows: int) -> None:
        self._report(rows)

    def _report(self, rows: int) -> None:
        if self._on_rows is not None and rows > self._reported:
            self._on_rows(rows - self._reported)
            self._reported = rows


def _estimate_rows(path: Path, sample: int = 200) -> int:
    with path.open("rb") as handle:
        longest = max(
            (len(line) for _, line in zip(range(sample), handle, strict=False)), default=1
        )
    return int(path.stat().st_size / longest)


def _lookups(codes: list[str]) -> tuple[pa.Table, pa.Table]:
    """CAMEO resolutions of ``codes`` (those of this file), and the FIPS→ISO3 table."""
    found = [lookup_cameo(code) for code in codes]
    cameo = pa.table(
        {
            "code": codes,
            "known": [x.known for x in found],
            "plover_type": [x.entry.plover_type if x.entry else None for x in found],
            "plover_mode": [x.entry.plover_mode if x.entry else None for x in found],
            "quad_class": pa.array(
                [x.entry.quad_class if x.entry else None for x in found], type=pa.int8()
            ),
        }
    )
    fips = fips_table()
    return cameo, pa.table({"fips": list(fips), "iso3": list(fips.values())})


def read_mentions(path: Path, *, csv_header: bool) -> Iterator[tuple[int, Mention | Rejected]]:
    """GDELT 2.0 mentions, tab-separated (or a BigQuery CSV export with a header)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(
            handle,
            delimiter="," if csv_header else "\t",
            quoting=csv.QUOTE_MINIMAL if csv_header else csv.QUOTE_NONE,
        )
        if csv_header:
            next(reader)
        for fields in reader:
            if not fields:
                continue
            yield reader.line_num, _mention(reader.line_num, fields)


def _mention(line_no: int, f: list[str]) -> Mention | Rejected:
    if len(f) not in (15, 16):
        return Rejected(line_no, "\t".join(f), f"expected 16 columns, found {len(f)}")
    if not f[0].isdigit():
        return Rejected(line_no, "\t".join(f), f"GLOBALEVENTID {f[0][:40]!r} is not an integer")
    try:
        return Mention(
            event_id=event_id_for("gdelt2", f[0]),
            global_event_id=f[0],
            event_time=parse_timestamp(f[1], "EventTimeDate"),
            mention_time=parse_timestamp(f[2], "MentionTimeDate"),
            mention_type=parse_int(f[3], "MentionType"),
            source_name=f[4] or None,
            url=f[5] or None,
            sentence_id=parse_int(f[6], "SentenceID"),
            confidence=parse_float(f[11], "Confidence"),
            doc_tone=parse_float(f[13], "MentionDocTone"),
        )
    except ValueError as exc:
        return Rejected(line_no, "\t".join(f), str(exc))


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
        source_system=source_system_of,
        stager=lambda prep: gdelt_stager(
            prep, max_field=settings.max_field_bytes, dyad=dyad, on_rows=on_rows
        ),
    )
