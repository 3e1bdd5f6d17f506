"""Run every benchmark and write the figures into BENCHMARKS.md (``make bench``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = [("ingest_gdelt", ["--rows", "2000000"])]


def run(name: str, args: list[str]) -> dict[str, object]:
    script = ROOT / "benchmarks" / f"{name}.py"
    out = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def ingest_section(r: dict[str, object]) -> str:
    rows = int(r["rows"])  # type: ignore[call-overload]

    def rate(key: str) -> str:
        return f"{rows / float(r[key]):,.0f}"  # type: ignore[arg-type]

    return f"""## `ingest gdelt` (benchmarks/ingest_gdelt.py)

Input: {rows:,} rows ({float(r["file_mb"]):,.0f} MB) of **SYNTHETIC volume** — the real GDELT 2.0
fixture's rows repeated with fresh GLOBALEVENTIDs. Every contender writes into a fresh DuckDB
file in the same run, on {r["cores"]} cores.

| contender | seconds | rows/s | dyadwatch's speed as a multiple | target | met |
|---|---:|---:|---:|---:|:-:|
| dyadwatch `ingest gdelt` (hash, checks, quarantine, PLOVER, dedupe, run record) | {float(r["dyadwatch_s"]):.2f} | {rate("dyadwatch_s")} | 1.00 | | |
| (a) pandas `read_csv` as gdeltPyR calls it, then `CREATE TABLE AS` | {float(r["pandas_s"]):.2f} | {rate("pandas_s")} | {r["vs_pandas"]} | ≥ 5 | {"yes" if float(r["vs_pandas"]) >= 5 else "**no**"} |
| (b) DuckDB raw `read_csv` into a table | {float(r["duckdb_raw_s"]):.2f} | {rate("duckdb_raw_s")} | {r["vs_duckdb_raw"]} | ≥ 0.5 | {"yes" if float(r["vs_duckdb_raw"]) >= 0.5 else "**no**"} |
"""


def main() -> None:
    sections = [ingest_section(run(name, args)) for name, args in BENCHMARKS]
    header = (
        "# Benchmarks\n\nWritten by `make bench` (benchmarks/run_all.py) on "
        f"{dt.date.today():%Y-%m-%d}: Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}. Ratios compare contenders measured in "
        "the same run; absolute seconds vary between machines.\n\n"
    )
    notes = (ROOT / "benchmarks" / "NOTES.md").read_text(encoding="utf-8")
    (ROOT / "BENCHMARKS.md").write_text(header + "\n".join(sections) + "\n" + notes)
    print((ROOT / "BENCHMARKS.md").read_text())


if __name__ == "__main__":
    main()
