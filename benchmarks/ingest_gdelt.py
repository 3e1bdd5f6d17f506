"""Benchmark: `ingest gdelt` rows/s against the pandas path and DuckDB's raw read_csv.

The input is SYNTHETIC volume: the real GDELT 2.0 fixture's rows repeated with fresh
GLOBALEVENTIDs (see dyadwatch.sources.synthetic). All three contenders write into a
fresh DuckDB *file*, in the same run, on the same machine:

- dyadwatch: the full ingest (hash, checks, quarantine, CAMEO→PLOVER, dedupe, run record);
- (a) pandas: ``pandas.read_csv`` of the file, then ``CREATE TABLE AS SELECT * FROM df``
  (the path gdeltPyR users take);
- (b) DuckDB raw: ``CREATE TABLE AS SELECT * FROM read_csv(...)`` (the practical limit).

Targets: dyadwatch ≥ 5× (a) and ≥ 0.5× (b), as rows/s ratios.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT.parent / "shared" / "data" / "fixtures" / "gdelt" / "20191024143000.export.CSV"
HEADER = FIXTURE.with_name("GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv")


@dataclass(frozen=True)
class Result:
    rows: int
    file_mb: float
    cores: int
    dyadwatch_s: float
    pandas_s: float
    duckdb_raw_s: float

    @property
    def vs_pandas(self) -> float:
        return self.pandas_s / self.dyadwatch_s

    @property
    def vs_duckdb_raw(self) -> float:
        return self.duckdb_raw_s / self.dyadwatch_s


def _timed(func) -> float:  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def run_dyadwatch(path: Path, db: Path) -> None:
    from dyadwatch.ingest import ingest_gdelt
    from dyadwatch.settings import Settings
    from dyadwatch.store import open_store

    with open_store(db) as store:
        report = ingest_gdelt(store, path, settings=Settings(db=db))
    assert report.balanced and report.loaded > 0


def run_pandas(path: Path, db: Path) -> None:
    import duckdb
    import pandas as pd

    with HEADER.open(encoding="utf-8", newline="") as handle:
        names = [row[0] for row in csv.reader(handle)][1:]
    assert len(names) == 61, names
    # gdeltPyR's own call (gdelt/multipdf.py): tab-separated, no header, the three CAMEO
    # code columns as strings so their leading zeros survive.
    frame = pd.read_csv(path, sep="\t", header=None, dtype={26: "str", 27: "str", 28: "str"})
    frame.columns = names
    with duckdb.connect(str(db)) as con:
        con.register("frame", frame)
        con.execute("CREATE TABLE events AS SELECT * FROM frame")


def run_duckdb_raw(path: Path, db: Path) -> None:
    import duckdb

    with duckdb.connect(str(db)) as con:
        con.execute(
            f"CREATE TABLE events AS SELECT * FROM read_csv('{path}', delim = '\t', header = false)"
        )


def measure(rows: int, workdir: Path) -> Result:
    from dyadwatch.sources.synthetic import synthetic_name, write_synthetic_gdelt

    data = workdir / synthetic_name("bench")
    size = write_synthetic_gdelt(FIXTURE, data, rows=rows)
    times = {}
    for name, func in (
        ("dyadwatch", run_dyadwatch),
        ("pandas", run_pandas),
        ("duckdb_raw", run_duckdb_raw),
    ):
        db = workdir / f"{name}.duckdb"
        times[name] = _timed(lambda f=func, d=db: f(data, d))
        db.unlink()
    return Result(
        rows,
        size / 1e6,
        os.cpu_count() or 0,
        times["dyadwatch"],
        times["pandas"],
        times["duckdb_raw"],
    )


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dw-bench-") as tmp:
        result = measure(args.rows, Path(tmp))
    summary = {
        **asdict(result),
        "vs_pandas": round(result.vs_pandas, 2),
        "vs_duckdb_raw": round(result.vs_duckdb_raw, 2),
    }
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    main()
