"""The contract external checks call: `ingest gdelt --json` and `export events --format csv`."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dyadwatch.errors import ConfigError
from dyadwatch.store.queries import check_export_format

from conftest import GDELT1_SAMPLE, GDELT2_EXPORT, ROOT

CLI = [sys.executable, "-c", "from dyadwatch.cli.app import main; main()"]
EXPORT_HEADER = [
    "event_id",
    "source_system",
    "source_record_id",
    "event_date",
    "source_country",
    "target_country",
    "cameo_code",
    "plover_type",
    "quad_class",
    "goldstein",
    "n_mentions",
    "n_sources",
    "n_articles",
    "url",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ingest_json_totals_are_the_last_stdout_line(tmp_path: Path) -> None:
    db = str(tmp_path / "dw.duckdb")
    result = run("--db", db, "ingest", "gdelt", str(GDELT2_EXPORT), str(GDELT1_SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    totals = json.loads(result.stdout.strip().splitlines()[-1])
    assert {k: totals[k] for k in ("read", "loaded", "duplicates", "quarantined")} == {
        "read": 2821,
        "loaded": 2821,
        "duplicates": 0,
        "quarantined": 0,
    }
    again = json.loads(
        run("--db", db, "ingest", "gdelt", str(GDELT2_EXPORT), "--json")
        .stdout.strip()
        .splitlines()[-1]
    )
    assert again["loaded"] == 0 and again["files"][0]["status"] == "skipped"


def test_whole_file_failure_exits_2_with_message_on_stderr(tmp_path: Path) -> None:
    archive = tmp_path / "cut.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.write(GDELT2_EXPORT, GDELT2_EXPORT.name)
    archive.write_bytes(archive.read_bytes()[:5000])
    result = run("--db", str(tmp_path / "dw.duckdb"), "ingest", "gdelt", str(archive), "--json")
    assert result.returncode == 2
    assert "cut.export.CSV.zip" in result.stderr and "Download the file again" in result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["failed"] == [str(archive)]


def test_export_csv_contract(tmp_path: Path) -> None:
    db = str(tmp_path / "dw.duckdb")
    run("--db", db, "ingest", "gdelt", str(GDELT2_EXPORT), str(GDELT1_SAMPLE))
    out = tmp_path / "all.csv"
    assert run("--db", db, "export", "events", "--format", "csv", "--out", str(out)).returncode == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert set(EXPORT_HEADER) <= set(rows[0])
    assert len(rows) == 2821
    row = next(r for r in rows if r["source_record_id"] == "881990833")
    assert (row["event_date"], row["cameo_code"], row["source_system"]) == (
        "2018-10-24",
        "040",
        "gdelt2",
    )


def test_export_dyad_and_source_filters(tmp_path: Path) -> None:
    db = str(tmp_path / "dw.duckdb")
    run("--db", db, "ingest", "gdelt", str(GDELT2_EXPORT), str(GDELT1_SAMPLE))
    out = tmp_path / "pair.csv"
    result = run(
        "--db", db, "export", "events", "--format", "csv", "--out", str(out), "--dyad", "USA-MEX"
    )
    assert result.returncode == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["source_country"], r["target_country"], r["source_record_id"]) for r in rows] == [
        ("USA", "MEX", "564157277"),
    ]
    only2 = tmp_path / "g2.csv"
    run(
        "--db", db, "export", "events", "--format", "csv", "--out", str(only2), "--source", "gdelt2"
    )
    with only2.open(newline="", encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == 2111


def test_export_parquet_and_jsonl(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    db = str(tmp_path / "dw.duckdb")
    run("--db", db, "ingest", "gdelt", str(GDELT1_SAMPLE))
    parquet, jsonl = tmp_path / "e.parquet", tmp_path / "e.jsonl"
    run("--db", db, "export", "events", "--format", "parquet", "--out", str(parquet))
    run(
        "--db",
        db,
        "export",
        "events",
        "--format",
        "jsonl",
        "--out",
        str(jsonl),
        "--since",
        "2016-07-28",
        "--until",
        "2016-07-28",
    )
    assert pq.read_table(parquet).num_rows == 710
    lines = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert lines and all(x["event_date"] == "2016-07-28" for x in lines)


def test_bad_export_options_get_a_clear_error(tmp_path: Path) -> None:
    db = str(tmp_path / "dw.duckdb")
    result = run("--db", db, "export", "events", "--format", "xml", "--out", "x.xml")
    assert result.returncode == 2  # Typer checks the choice, the library's ExportFormat
    assert all(word in result.stderr for word in ("'--format'", "'xml'", "'parquet'"))
    with pytest.raises(ConfigError, match="^unknown export format 'xml'; choose one of csv, parq"):
        check_export_format("xml")  # the library's own check speaks of the value
    result = run("--db", db, "export", "events", "--out", "x.csv", "--dyad", "USAMEX")
    assert result.returncode == 2 and "USA-MEX" in result.stderr
