"""GDELT events and mentions → canonical rows.

Events take a fast path that stays inside DuckDB: each line is read whole (so its line
number and raw text are kept), split on tabs, checked, and mapped to the canonical
event with SQL. No Python touches a row, which is what makes multi-million-row files fast.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa

from dyadwatch.ingest.gdelt_checks import check_cases, sql_quote
from dyadwatch.ingest.parse import parse_float, parse_int, parse_timestamp
from dyadwatch.ingest.rows import event_id_for
from dyadwatch.ingest.runner import OnRows, Stager, StageResult, ingest_file, stage_records
from dyadwatch.ontology import fips_table, lookup_cameo
from dyadwatch.records import EVENT_COLUMNS, IngestReport, Mention, Rejected
from dyadwatch.settings import Settings
from dyadwatch.sources import gdelt
from dyadwatch.sources.files import PreparedInput
from dyadwatch.store import Store, loading

MAX_LINE_BYTES = 64 << 20


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
    store.execute_with_progress(_parsed_sql(path, layout, max_field), on_progress or _ignore)
    read = store.scalar("SELECT count(*) FROM _gdelt_parsed")
    quarantined = loading.insert_quarantine(store, "_gdelt_bad", run_id=run_id)
    cameo, fips = _lookups(store)
    with store.registered("_gdelt_cameo", cameo), store.registered("_gdelt_fips", fips):
        store.execute(_ok_view_sql(layout.version, dyad))
        valid = store.scalar("SELECT count(*) FROM _gdelt_valid")
        kept = store.scalar("SELECT count(*) FROM _gdelt_ok") if dyad else valid
        loaded = loading.insert_new(
            store,
            table="events",
            staged="_gdelt_ok",
            columns=EVENT_COLUMNS,
            keys=("event_id",),
            run_id=run_id,
        )
        store.execute(
            "DROP VIEW _gdelt_ok; DROP VIEW _gdelt_valid; DROP VIEW _gdelt_bad; "
            "DROP TABLE _gdelt_parsed"
        )
    return StageResult(read, loaded, kept - loaded, quarantined, valid - kept)


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


def _parsed_sql(path: Path, layout: gdelt.EventLayout, max_field: int) -> str:
    f = gdelt.FIELDS
    ag = layout.action_geo
    reason = check_cases(layout, max_field)
    return f"""
    CREATE OR REPLACE TEMP TABLE _gdelt_parsed AS
    WITH lines AS (
        SELECT row_number() OVER () AS line_no, line
        FROM read_csv({sql_quote(str(path))}, delim = '\x01', header = false, quote = '',
            escape = '', auto_detect = false, new_line = '\\n',
            columns = {{'line': 'VARCHAR'}}, max_line_size = {MAX_LINE_BYTES})
    ), split AS (
        SELECT line_no, line, string_split(line, '\t') AS f FROM lines
        WHERE line IS NOT NULL AND line <> ''
    ), checked AS (
        SELECT line_no, line, f, {reason} AS reason FROM split
    )
    SELECT line_no, reason,
        CASE WHEN reason IS NOT NULL THEN line END AS raw,
        md5('{layout.version}:' || f[{f["GLOBALEVENTID"]}]) AS event_id,
        f[{f["GLOBALEVENTID"]}] AS source_record_id,
        try_strptime(f[{f["SQLDATE"]}], '%Y%m%d')::DATE AS event_date,
        try_strptime(f[{layout.date_added}], '{layout.date_added_format}') AS date_added,
        nullif(f[{f["Actor1Code"]}], '') AS source_code,
        nullif(f[{f["Actor1Name"]}], '') AS source_name,
        nullif(f[{f["Actor1CountryCode"]}], '') AS source_country,
        nullif(f[{f["Actor1Type1Code"]}], '') AS source_sector,
        nullif(f[{f["Actor2Code"]}], '') AS target_code,
        nullif(f[{f["Actor2Name"]}], '') AS target_name,
        nullif(f[{f["Actor2CountryCode"]}], '') AS target_country,
        nullif(f[{f["Actor2Type1Code"]}], '') AS target_sector,
        f[{f["EventCode"]}] AS cameo_code,
        try_cast(f[{f["QuadClass"]}] AS TINYINT) AS gdelt_quad,
        try_cast(f[{f["GoldsteinScale"]}] AS DOUBLE) AS goldstein,
        nullif(f[{ag + 1}], '') AS place_name,
        nullif(f[{ag + 2}], '') AS place_fips,
        nullif(f[{ag + 3}], '') AS admin1,
        try_cast(f[{ag + layout.geo_block - 3}] AS DOUBLE) AS latitude,
        try_cast(f[{ag + layout.geo_block - 2}] AS DOUBLE) AS longitude,
        try_cast(f[{f["NumMentions"]}] AS BIGINT) AS n_mentions,
        try_cast(f[{f["NumSources"]}] AS BIGINT) AS n_sources,
        try_cast(f[{f["NumArticles"]}] AS BIGINT) AS n_articles,
        try_cast(f[{f["AvgTone"]}] AS DOUBLE) AS tone,
        nullif(f[{layout.source_url}], '') AS url
    FROM checked;
    CREATE OR REPLACE TEMP VIEW _gdelt_bad AS
        SELECT line_no, raw, reason FROM _gdelt_parsed WHERE reason IS NOT NULL;
    """


def _ok_view_sql(version: str, dyad: tuple[str, str] | None) -> str:
    in_dyad = ""
    if dyad is not None:
        a, b = (sql_quote(code) for code in dyad)
        in_dyad = (
            f"WHERE (source_country = {a} AND target_country = {b}) "
            f"OR (source_country = {b} AND target_country = {a})"
        )
    return f"""
    CREATE OR REPLACE TEMP VIEW _gdelt_valid AS
    SELECT p.line_no, p.event_id, '{version}' AS source_system, p.source_record_id,
        p.event_date, p.date_added, p.source_code, p.source_name, p.source_country,
        p.source_sector, p.target_code, p.target_name, p.target_country, p.target_sector,
        c.plover_type, c.plover_mode, p.cameo_code, c.known AS cameo_known,
        coalesce(c.quad_class, p.gdelt_quad) AS quad_class, p.goldstein,
        []::VARCHAR[] AS fronts, p.place_name, g.iso3 AS place_country, p.admin1,
        p.latitude, p.longitude, p.n_mentions, p.n_sources, p.n_articles, p.tone,
        NULL::BIGINT AS fatalities, p.url, NULL::VARCHAR AS doc_id,
        NULL::VARCHAR AS evidence, NULL::VARCHAR AS coder, NULL::DOUBLE AS confidence,
        NULL::VARCHAR AS ingest_run_id, NULL::VARCHAR AS event_cluster_id,
        NULL::DATE AS event_end_date, NULL::VARCHAR AS factuality
    FROM _gdelt_parsed p
    LEFT JOIN _gdelt_cameo c ON c.code = p.cameo_code
    LEFT JOIN _gdelt_fips g ON g.fips = p.place_fips
    WHERE p.reason IS NULL;
    CREATE OR REPLACE TEMP VIEW _gdelt_ok AS SELECT * FROM _gdelt_valid {in_dyad};
    """


def _lookups(store: Store) -> tuple[pa.Table, pa.Table]:
    """CAMEO resolutions of the codes in this file, and the FIPS→ISO3 table."""
    codes = [
        r[0]
        for r in store.execute("SELECT DISTINCT cameo_code FROM _gdelt_parsed WHERE reason IS NULL")
    ]
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
