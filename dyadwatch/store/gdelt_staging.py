"""Store side of the GDELT events fast path: the SQL that parses, checks and maps a file.

A GDELT events file never passes through Python row by row: :func:`parse_file` reads it
whole into a temporary table (one row per line, split on tabs, with the first problem
found named in ``reason``), :func:`mapped_events` maps the good rows to canonical events
in temporary views, and :mod:`dyadwatch.store.loading` inserts them and the quarantine.
What the ingest counts and decides (dyad filter, CAMEO lookups, run accounting) stays in
:mod:`dyadwatch.ingest.gdelt`; this module holds only the SQL text.

Temporary names: :data:`PARSED` (every line), :data:`BAD` (rejected lines, for the
quarantine), :data:`VALID` (the good lines as events) and :data:`OK` (those kept, for
the insert). Call these inside the ingest's transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from dyadwatch.sources.gdelt import FIELDS, EventLayout
from dyadwatch.store.connection import Store

MAX_LINE_BYTES = 64 << 20
PARSED, BAD, VALID, OK = "_gdelt_parsed", "_gdelt_bad", "_gdelt_valid", "_gdelt_ok"


@dataclass(frozen=True, slots=True)
class Mapped:
    """The good rows of a parsed file as events: how many, how many the dyad filter kept,
    and the relation to insert from (:data:`OK`)."""

    valid: int
    kept: int
    staged: str = OK


def parse_file(
    store: Store,
    path: Path,
    layout: EventLayout,
    *,
    max_field: int,
    on_progress: Callable[[float], None],
) -> int:
    """Read ``path`` into :data:`PARSED` and :data:`BAD`; returns the lines read.
    ``on_progress(percent)`` is called while DuckDB reads."""
    store.execute_with_progress(_parsed_sql(path, layout, max_field), on_progress)
    return int(store.scalar(f"SELECT count(*) FROM {PARSED}"))


def parsed_cameo_codes(store: Store) -> list[str]:
    """The distinct CAMEO codes of the good lines of the parsed file."""
    rows = store.execute(f"SELECT DISTINCT cameo_code FROM {PARSED} WHERE reason IS NULL")
    return [str(row[0]) for row in rows]


@contextlib.contextmanager
def mapped_events(
    store: Store,
    version: str,
    *,
    dyad: tuple[str, str] | None,
    cameo: pa.Table,
    fips: pa.Table,
) -> Iterator[Mapped]:
    """Within the block, :data:`OK` holds the parsed file's good rows as canonical events
    (``cameo``: code, known, plover_type, plover_mode, quad_class; ``fips``: fips, iso3),
    only those between the two ``dyad`` countries when given. On a normal exit every
    temporary table and view of the file is dropped."""
    with store.registered("_gdelt_cameo", cameo), store.registered("_gdelt_fips", fips):
        store.execute(_ok_view_sql(version, dyad))
        valid = int(store.scalar(f"SELECT count(*) FROM {VALID}"))
        kept = int(store.scalar(f"SELECT count(*) FROM {OK}")) if dyad else valid
        yield Mapped(valid, kept)
        store.execute(f"DROP VIEW {OK}; DROP VIEW {VALID}; DROP VIEW {BAD}; DROP TABLE {PARSED}")


def sql_quote(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _parsed_sql(path: Path, layout: EventLayout, max_field: int) -> str:
    f = FIELDS
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


# -- row checks: one SQL CASE that names the first problem found ----------------------

_INTEGER_FIELDS = ("NumMentions", "NumSources", "NumArticles")
_NUMBER_FIELDS = ("AvgTone",)


def _shown(expr: str) -> str:
    """A field's value as shown in a reason: quoted, at most 40 characters."""
    return f"'''' || left({expr}, 40) || ''''"


def check_cases(layout: EventLayout, max_field: int) -> str:
    """A CASE expression over ``f`` (the split fields) and ``line``: NULL for a good row."""
    widths = ", ".join(str(w) for w in layout.widths)
    expected = " or ".join(str(w) for w in layout.widths)
    gid, date = f"f[{FIELDS['GLOBALEVENTID']}]", f"f[{FIELDS['SQLDATE']}]"
    code, gold = f"f[{FIELDS['EventCode']}]", f"f[{FIELDS['GoldsteinScale']}]"
    longest = "list_max(list_transform(f, lambda x: length(x)))"
    cases = [
        (
            f"len(f) NOT IN ({widths})",
            f"'expected {expected} tab-separated columns, found ' || len(f)",
        ),
        (
            f"length(line) > {max_field} AND {longest} > {max_field}",
            f"'a field is ' || {longest} || "
            f"' characters long, over the limit of {max_field} (DYADWATCH_MAX_FIELD_BYTES)'",
        ),
        (
            f"try_cast({gid} AS BIGINT) IS NULL",
            f"'GLOBALEVENTID ' || {_shown(gid)} || ' is not an integer'",
        ),
        (
            f"try_strptime({date}, '%Y%m%d') IS NULL",
            f"'SQLDATE ' || {_shown(date)} || ' is not a valid YYYYMMDD date'",
        ),
        (
            f"NOT regexp_full_match({code}, '[0-9]{{2,4}}')",
            f"'EventCode ' || {_shown(code)} || ' is not a CAMEO code'",
        ),
        (
            f"{gold} <> '' AND try_cast({gold} AS DOUBLE) IS NULL",
            f"'GoldsteinScale ' || {_shown(gold)} || ' is not a number'",
        ),
        (
            f"abs(try_cast({gold} AS DOUBLE)) > 10",
            f"'GoldsteinScale ' || {gold} || ' is outside -10..10'",
        ),
    ]
    for name in _INTEGER_FIELDS:
        value = f"f[{FIELDS[name]}]"
        cases.append(
            (
                f"{value} <> '' AND try_cast({value} AS BIGINT) IS NULL",
                f"'{name} ' || {_shown(value)} || ' is not an integer'",
            )
        )
    for name in _NUMBER_FIELDS:
        value = f"f[{FIELDS[name]}]"
        cases.append(
            (
                f"{value} <> '' AND try_cast({value} AS DOUBLE) IS NULL",
                f"'{name} ' || {_shown(value)} || ' is not a number'",
            )
        )
    whens = "\n".join(f"WHEN {cond} THEN {reason}" for cond, reason in cases)
    return f"CASE {whens} END"
