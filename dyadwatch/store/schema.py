"""The store's schema as numbered migrations, recorded in ``schema_migrations``.

A migration is never edited once released: change the schema by appending one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


EVENTS_DDL = """
CREATE TABLE events (
    event_id VARCHAR NOT NULL,
    source_system VARCHAR NOT NULL,
    source_record_id VARCHAR NOT NULL,
    event_date DATE NOT NULL,
    date_added TIMESTAMP,
    source_code VARCHAR, source_name VARCHAR, source_country VARCHAR, source_sector VARCHAR,
    target_code VARCHAR, target_name VARCHAR, target_country VARCHAR, target_sector VARCHAR,
    plover_type VARCHAR, plover_mode VARCHAR, cameo_code VARCHAR, cameo_known BOOLEAN,
    quad_class TINYINT, goldstein DOUBLE,
    fronts VARCHAR[] NOT NULL DEFAULT [],
    place_name VARCHAR, place_country VARCHAR, admin1 VARCHAR,
    latitude DOUBLE, longitude DOUBLE,
    n_mentions BIGINT, n_sources BIGINT, n_articles BIGINT, tone DOUBLE, fatalities BIGINT,
    url VARCHAR, doc_id VARCHAR, evidence VARCHAR, coder VARCHAR, confidence DOUBLE,
    ingest_run_id VARCHAR
);
"""

CORE_DDL = """
CREATE TABLE documents (
    doc_id VARCHAR NOT NULL, source VARCHAR NOT NULL, date DATE NOT NULL, lang VARCHAR NOT NULL,
    title VARCHAR, url VARCHAR, text VARCHAR NOT NULL, ingest_run_id VARCHAR
);
CREATE TABLE indicators (
    series VARCHAR NOT NULL, period DATE NOT NULL, geography VARCHAR NOT NULL,
    value DOUBLE NOT NULL, unit VARCHAR NOT NULL, source VARCHAR NOT NULL, ingest_run_id VARCHAR
);
CREATE TABLE gdelt_mentions (
    event_id VARCHAR NOT NULL, global_event_id VARCHAR NOT NULL,
    event_time TIMESTAMP, mention_time TIMESTAMP, mention_type INTEGER,
    source_name VARCHAR, url VARCHAR, sentence_id INTEGER, confidence DOUBLE, doc_tone DOUBLE,
    ingest_run_id VARCHAR
);
CREATE TABLE ingest_runs (
    run_id VARCHAR NOT NULL, source_system VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL, started TIMESTAMP NOT NULL, finished TIMESTAMP,
    n_read BIGINT DEFAULT 0, n_loaded BIGINT DEFAULT 0, n_duplicates BIGINT DEFAULT 0,
    n_quarantined BIGINT DEFAULT 0, n_filtered BIGINT DEFAULT 0, n_replaced_chars BIGINT DEFAULT 0,
    status VARCHAR NOT NULL
);
CREATE TABLE quarantine (
    run_id VARCHAR NOT NULL, line_no BIGINT NOT NULL, raw VARCHAR, reason VARCHAR NOT NULL
);
"""

CODING_DDL = """
ALTER TABLE events ADD COLUMN event_cluster_id VARCHAR;
CREATE TABLE coded_documents (
    doc_id VARCHAR NOT NULL, coder VARCHAR NOT NULL, coder_version VARCHAR NOT NULL,
    n_sentences INTEGER NOT NULL, n_events INTEGER NOT NULL, coded_at TIMESTAMP NOT NULL
);
"""

FORECAST_DDL = """
ALTER TABLE events ADD COLUMN event_end_date DATE;
CREATE TABLE forecasts (
    target VARCHAR NOT NULL, model VARCHAR NOT NULL, origin DATE NOT NULL,
    horizon INTEGER NOT NULL, period DATE NOT NULL, unit VARCHAR NOT NULL,
    level DOUBLE NOT NULL, value DOUBLE NOT NULL, made_at TIMESTAMP NOT NULL
);
CREATE TABLE backtest_scores (
    target VARCHAR NOT NULL, run_at TIMESTAMP NOT NULL, test_window VARCHAR NOT NULL,
    model VARCHAR NOT NULL, horizon INTEGER NOT NULL, crps DOUBLE, mae DOUBLE,
    pinball DOUBLE, brier DOUBLE, coverage50 DOUBLE, coverage80 DOUBLE, coverage95 DOUBLE,
    n_scored BIGINT NOT NULL, published VARCHAR NOT NULL
);
"""

FACTUALITY_DDL = """
ALTER TABLE events ADD COLUMN factuality VARCHAR;
"""

FETCH_STATE_DDL = """
CREATE TABLE fetch_state (
    source VARCHAR NOT NULL, url VARCHAR NOT NULL, etag VARCHAR, last_modified VARCHAR,
    sha256 VARCHAR, bytes BIGINT, fetched_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, url)
);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "events", EVENTS_DDL),
    Migration(2, "documents, indicators, mentions, runs, quarantine", CORE_DDL),
    Migration(3, "event clusters and coded documents", CODING_DDL),
    Migration(4, "event end dates, forecasts and backtest scores", FORECAST_DDL),
    Migration(5, "factuality of coded events", FACTUALITY_DDL),
    Migration(6, "validators of the files dyadwatch update fetched", FETCH_STATE_DDL),
)
