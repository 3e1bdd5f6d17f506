"""Benchmark: the monthly conflict–cooperation index over 10M events, DuckDB and Spark.

The events are **SYNTHETIC volume** (``dyadwatch.store.synthetic``: generated inside
DuckDB, labelled ``synthetic``), because no real store of 10M U.S.–Mexico events is
bundled. Contenders, in the same run, on 2 cores:

* dyadwatch's index (Ibis → DuckDB), per report and per event on one front;
* (a) the same monthly counts written by hand in DuckDB SQL (the floor Ibis adds to);
* (b) pandas: the table read into a DataFrame, then ``groupby`` (reading not timed);
* (c) the same Ibis expression on Spark ``local[2]``: its results must be identical.

Target: the monthly index in ≤ 2 s on DuckDB.
"""

from __future__ import annotations

import os

CORES = 2
os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:CORES]))
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, str(CORES))

import argparse  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from dyadwatch.analysis.index import IndexSpec, compute_index  # noqa: E402
from dyadwatch.settings import Settings  # noqa: E402
from dyadwatch.store import Store, open_store  # noqa: E402
from dyadwatch.store.synthetic import insert_synthetic_events  # noqa: E402

DYAD = ("USA", "MEX")
HAND_SQL = """
SELECT date_trunc('month', event_date) AS period,
       source_country || '->' || target_country AS direction,
       count(*) AS events,
       count(*) FILTER (WHERE quad_class = 1) AS quad1,
       count(*) FILTER (WHERE quad_class = 2) AS quad2,
       count(*) FILTER (WHERE quad_class = 3) AS quad3,
       count(*) FILTER (WHERE quad_class = 4) AS quad4,
       sum(goldstein) AS goldstein_sum
FROM events
WHERE (source_country = 'USA' AND target_country = 'MEX')
   OR (source_country = 'MEX' AND target_country = 'USA')
GROUP BY ALL
"""


def best_of(repeats: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeats`` runs (after one warm-up), and the last result."""
    result = work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def pandas_index(store: Store) -> tuple[float, int]:
    frame = store._con.execute(
        "SELECT event_date, source_country, target_country, quad_class, goldstein FROM events"
    ).df()
    start = time.perf_counter()
    dyadic = frame[
        ((frame.source_country == "USA") & (frame.target_country == "MEX"))
        | ((frame.source_country == "MEX") & (frame.target_country == "USA"))
    ]
    period = dyadic.event_date.values.astype("datetime64[M]")
    grouped = (
        dyadic.assign(period=period)
        .groupby(["period", "source_country"])
        .agg(events=("quad_class", "size"), goldstein_sum=("goldstein", "sum"))
    )
    return time.perf_counter() - start, len(grouped)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings(db=folder / "bench.duckdb", cache_dir=folder / "cache")
        with open_store(settings.db) as store:
            store.execute(f"SET threads = {CORES}")
            start = time.perf_counter()
            insert_synthetic_events(store, args.events)
            generate_s = time.perf_counter() - start
            result = run(store, settings, args)
            result["generate_s"] = generate_s
    print(json.dumps(result))


def run(store: Store, settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    events = store.ibis.table("events")
    monthly = IndexSpec(dyad=DYAD, freq="month")
    per_event = IndexSpec(dyad=DYAD, freq="month", per="event", front="trade", own=True)
    index_s, rows = best_of(args.repeats, lambda: compute_index(events, monthly))
    event_s, event_rows = best_of(args.repeats, lambda: compute_index(events, per_event))
    hand_s, hand = best_of(args.repeats, lambda: store.execute(HAND_SQL))
    pandas_s, _ = pandas_index(store)
    out: dict[str, Any] = {
        "events": args.events,
        "cores": CORES,
        "index_s": index_s,
        "index_rows": len(rows),
        "per_event_front_s": event_s,
        "hand_sql_s": hand_s,
        "hand_rows": len(hand),
        "pandas_s": pandas_s,
    }
    if not args.no_spark:
        out.update(spark(store, settings, rows, event_rows, monthly, per_event))
    return out


def spark(
    store: Store,
    settings: Settings,
    rows: list[dict[str, Any]],
    event_rows: list[dict[str, Any]],
    monthly: IndexSpec,
    per_event: IndexSpec,
) -> dict[str, Any]:
    from dyadwatch.store.spark import spark_events

    start = time.perf_counter()
    table = spark_events(store, settings)
    setup_s = time.perf_counter() - start
    index_s, spark_rows = best_of(1, lambda: compute_index(table, monthly))
    event_s, spark_event_rows = best_of(1, lambda: compute_index(table, per_event))
    return {
        "spark_setup_s": setup_s,
        "spark_index_s": index_s,
        "spark_per_event_front_s": event_s,
        "spark_identical": spark_rows == rows and spark_event_rows == event_rows,
    }


if __name__ == "__main__":
    main()
