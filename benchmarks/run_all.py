"""Run every benchmark and write the figures into BENCHMARKS.md (``make bench``).

``python benchmarks/run_all.py --only index web_load`` re-measures some sections and keeps
the others' text from the current BENCHMARKS.md, saying so in its header.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = [
    ("ingest_gdelt", ["--rows", "2000000"]),
    ("code", []),
    ("code_workers", ["--documents", "80"]),
    ("index", ["--events", "10000000"]),
    ("web_load", ["--events", "10000000", "--seconds", "60"]),
    ("update_load", ["--seconds", "60", "--users", "20"]),
]


def run(name: str, args: list[str]) -> dict[str, object]:
    script = ROOT / "benchmarks" / f"{name}.py"
    out = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _row(label: str, seconds: float, rows: int, multiple: str, target: str, met: str) -> str:
    return f"| {label} | {seconds:.2f} | {rows / seconds:,.0f} | {multiple} | {target} | {met} |"


def _met(value: float, target: float) -> str:
    return "yes" if value >= target else "**no**"


def ingest_section(r: dict[str, float]) -> str:
    rows = int(r["rows"])
    vs_pandas, vs_raw = float(r["vs_pandas"]), float(r["vs_duckdb_raw"])
    table = [
        "| contender | seconds | rows/s | dyadwatch's speed as a multiple | target | met |",
        "|---|---:|---:|---:|---:|:-:|",
        _row(
            "dyadwatch `ingest gdelt` (hash, checks, quarantine, PLOVER, dedupe, run record)",
            r["dyadwatch_s"],
            rows,
            "1.00",
            "",
            "",
        ),
        _row(
            "(a) pandas `read_csv` as gdeltPyR calls it, then `CREATE TABLE AS`",
            r["pandas_s"],
            rows,
            f"{vs_pandas:.2f}",
            "≥ 5",
            _met(vs_pandas, 5),
        ),
        _row(
            "(b) DuckDB raw `read_csv` into a table",
            r["duckdb_raw_s"],
            rows,
            f"{vs_raw:.2f}",
            "≥ 0.5",
            _met(vs_raw, 0.5),
        ),
    ]
    intro = (
        f"Input: {rows:,} rows ({r['file_mb']:,.0f} MB) of **SYNTHETIC volume**: the real "
        "GDELT 2.0 fixture's rows repeated with fresh GLOBALEVENTIDs. Every contender writes "
        f"into a fresh DuckDB file in the same run, on {int(r['cores'])} cores."
    )
    return (
        "## `ingest gdelt` (benchmarks/ingest_gdelt.py)\n\n"
        + intro
        + "\n\n"
        + "\n".join(table)
        + "\n"
    )


def code_section(r: dict[str, float]) -> str:
    speed, peak, load = float(r["sentences_per_s"]), float(r["peak_rss_mb"]), float(r["load_s"])
    table = [
        "| measure | value | target | met |",
        "|---|---:|---:|:-:|",
        f"| sentences/s, end to end | {speed:,.0f} | ≥ 300 | {_met(speed, 300)} |",
        f"| peak resident memory (MB) | {peak:,.0f} | ≤ 2,048 | {_met(2048 - peak, 0)} |",
        f"| coder load time (s) | {load:.1f} | < 10 | {_met(10 - load, 0)} |",
    ]
    intro = (
        f"`{r['coder']}` on every document of the bundled real corpora, coded whole "
        "(segmenting, relevance gate, spaCy parse of the candidates, type, factuality, "
        f"direction, actors, places, fronts): {int(r['documents']):,} "
        f"documents, {int(r['sentences']):,} sentences ({int(r['sentences_en']):,} English "
        f"White House, {int(r['sentences_es']):,} Spanish mañanera), on {int(r['cores'])} cores; "
        f"{int(r['events']):,} events."
    )
    return "## `code` (benchmarks/code.py)\n\n" + intro + "\n\n" + "\n".join(table) + "\n"


def index_section(r: dict[str, float]) -> str:
    n, index_s = int(r["events"]), float(r["index_s"])
    table = [
        "| contender | seconds | dyadwatch's speed as a multiple | target | met |",
        "|---|---:|---:|---:|:-:|",
        f"| dyadwatch monthly index, both directions (Ibis → DuckDB) | {index_s:.2f} | 1.00 "
        f"| ≤ 2 s | {_met(2 - index_s, 0)} |",
        f"| dyadwatch monthly index per event, front `trade`, own events (Ibis → DuckDB) "
        f"| {r['per_event_front_s']:.2f} | | | |",
        f"| (a) the same counts in hand-written DuckDB SQL | {r['hand_sql_s']:.2f} "
        f"| {r['hand_sql_s'] / index_s:.2f} | | |",
        f"| (b) pandas `groupby` on the table in memory (load not timed) | {r['pandas_s']:.2f} "
        f"| {r['pandas_s'] / index_s:.2f} | | |",
    ]
    if "spark_index_s" in r:
        same = "identical" if r["spark_identical"] else "**DIFFERENT**"
        table += [
            f"| (c) the same expression on Spark `local[2]` | {r['spark_index_s']:.2f} "
            f"| {r['spark_index_s'] / index_s:.2f} | results {same} | |",
            f"| (c) Spark, per event, front `trade` | {r['spark_per_event_front_s']:.2f} "
            f"| {r['spark_per_event_front_s'] / r['per_event_front_s']:.2f} | | |",
        ]
    intro = (
        f"Input: {n:,} events of **SYNTHETIC volume** (generated inside DuckDB by "
        "`dyadwatch/store/synthetic.py`, labelled `synthetic`), on "
        f"{int(r['cores'])} cores; best of 3 runs after a warm-up (Spark: one run after a "
        f"warm-up). Spark's start and the Parquet snapshot took {r.get('spark_setup_s', 0):.0f} s "
        "and are not in its figures."
    )
    return "## `index` (benchmarks/index.py)\n\n" + intro + "\n\n" + "\n".join(table) + "\n"


def _cores(cores: list[int]) -> str:
    return ", ".join(str(c) for c in cores)


def web_load_section(r: dict[str, Any]) -> str:
    load, cold = r["load"], r.get("cold", {})
    table = [
        "| page | requests | errors | p50 ms | p95 ms | p99 ms | target p95 ≤ 200 ms, 0 errors "
        "| met | second minute: p95 / p99 ms, errors | cold median / max ms "
        "| cached median ms |",
        "|---|---:|---:|---:|---:|---:|---:|:-:|---:|---:|---:|",
    ]
    for name in ("overview", "explorer: filters", "explorer: pages"):
        p = load["pages"][name]
        met = p["p95_ms"] <= 200 and p["failures"] == 0
        if name == "overview" and "overview" in cold:
            c = cold["overview"]
            before = f"{c['first_ms']:,.0f} (complete after {c['complete_s']:,.0f} s)"
            after = f"{c['cached_ms']:,.0f}"
        elif name in cold:
            c = cold[name]
            before = f"{c['cold_median_ms']:,.0f} / {c['cold_max_ms']:,.0f}"
            after = f"{c['cached_median_ms']:,.0f}"
        else:
            before = after = ""
        again = load.get("again", {}).get(name)
        second = (
            f"{again['p95_ms']:,.0f} / {again['p99_ms']:,.0f}, {again['failures']}" if again else ""
        )
        table.append(
            f"| {name} | {p['requests']:,} | {p['failures']} | {p['p50_ms']:,.0f} "
            f"| {p['p95_ms']:,.0f} | {p['p99_ms']:,.0f} | ≤ 200 | {'yes' if met else '**no**'} "
            f"| {second} | {before} | {after} |"
        )
    total = load["pages"]["Aggregated"]
    intro = (
        f"Store: {int(r['store_events']):,} events, of which {int(r['synthetic_events']):,} of "
        "**SYNTHETIC volume** (`dyadwatch/store/synthetic.py`, labelled `synthetic`) and the "
        "rest the real demo events, with the real demo indicator series. The app under "
        f"uvicorn, one worker, pinned to core {_cores(r['server_cores'])}; locust pinned to "
        f"core {_cores(r['load_cores'])}, {int(r['users'])} readers for {int(r['seconds'])} s "
        "on loopback, "
        f"each pausing {r['wait_s'][0]}–{r['wait_s'][1]} s between requests "
        f"({total['rps']:.1f} requests/s in all). The server warmed its caches for "
        f"{load['warm_s']:.0f} s before the readers came (until `/healthz` said ok); its "
        f"peak memory was {load['server_peak_rss_mb']:,.0f} MB; the machine's 1-minute load "
        f"average was {load.get('loadavg_1min_before', 0):.1f} when the readers started. "
        "The explorer mix: 10 filter "
        "sets (fronts, directions, types, dates, sources, text) and pages 2–10 of four of "
        "them. The second minute runs the same readers again on the same server, every URL "
        "of the mix now cached. Cold: a fresh server without warm-up "
        "(`DYADWATCH_WEB_WARM=false`, the app's only cache switch), each URL requested once "
        f"uncached, then once cached. Checkout: `{r.get('app_version', 'unknown')}`."
    )
    return (
        "## web dashboard under load (benchmarks/web_load.py)\n\n"
        + intro
        + "\n\n"
        + "\n".join(table)
        + "\n"
    )


def code_workers_section(r: dict[str, float]) -> str:
    intro = (
        f"`code corpus` on the {r['documents']} longest bundled 2024–2026 mañaneras "
        f"({int(r['sentences']):,} sentences, REAL text), into fresh stores, with one worker "
        "process and with two (spawned, each loading its own coder, inside the clock), "
        f"pinned to {r['cores']} cores. Identical events stored: {r['identical']}."
    )
    table = [
        "| workers | seconds | sentences/s | speed-up | target | met |",
        "|---|---:|---:|---:|---:|:-:|",
        f"| 1 | {r['one_worker_s']:.1f} | {r['sentences'] / r['one_worker_s']:,.0f} | 1.00 | | |",
        f"| 2 | {r['two_workers_s']:.1f} | {r['sentences'] / r['two_workers_s']:,.0f} | "
        f"{r['speedup']:.2f} | ≥ {r['target']} | {'yes' if r['met'] else '**no**'} |",
    ]
    return (
        "## `code corpus --workers` (benchmarks/code_workers.py)\n\n"
        + intro
        + "\n\n"
        + "\n".join(table)
        + "\n"
    )


def update_load_section(r: dict[str, Any]) -> str:
    speed, load = r["speed"], r["under_load"]
    pages = load["pages"]
    agg = pages["Aggregated"]
    worst = max(v["p95_ms"] for k, v in pages.items() if k != "Aggregated")
    delay = load["visible_after_commit_max_s"]
    intro = (
        f"`dyadwatch update --only gdelt` on the {speed['files']} REAL GDELT 2.0 slices of "
        "2025-06-01 from a loopback HTTP server, into a store of the demo's real events and "
        "series; on "
        f"{r['cores']} cores. Commit times are `ingest_runs.finished`, which DuckDB stamps at "
        "the start of the file's transaction, so the delays are upper bounds."
    )
    table = [
        "| measure | value | target | met |",
        "|---|---:|---:|:-:|",
        f"| `ingest gdelt --dyad-only` of the 40 zips on disk | {speed['ingest_gdelt_s']:.1f} s"
        f" ({speed['events_by_ingest']:,} events in store) | | |",
        f"| `update --only gdelt` from loopback | {speed['update_s']:.1f} s "
        f"({speed['events_by_update']:,} events in store) | | |",
        f"| ingest time / update time | {speed['ratio_ingest_over_update']:.2f} | ≥ 1 | "
        f"{_yes(speed['ratio_ingest_over_update'] >= 1)} |",
        f"| second update, new rows | {speed['second_update_new_rows']} | 0 | "
        f"{_yes(speed['second_update_new_rows'] == 0)} |",
        f"| second update, seconds (process start included) | {speed['second_update_s']:.1f} |"
        f" < 10 | {_yes(speed['second_update_s'] < 10)} |",
        f"| a year of GDELT 2.0 (96 files a day), projected | "
        f"{speed['year_projection_h']:.1f} h | | |",
        f"| readers: requests (failed) | {agg['requests']:,} ({agg['failures']}) | 0 failed | "
        f"{_yes(agg['failures'] == 0)} |",
        f"| readers: p95, all pages / worst page | {agg['p95_ms']:.0f} / {worst:.0f} ms | "
        f"≤ 200 ms | {_yes(agg['p95_ms'] <= 200)} / {_yes(worst <= 200)} |",
        f"| files committed during the run | {load['files_committed']} | | |",
        "| new events on the pages after their commit, max | "
        + (f"{delay:.1f} s" if delay is not None else "n/a")
        + f" | ≤ 60 s | {_yes(delay is not None and delay <= 60)} |",
    ]
    per_page = [
        "",
        "| page | requests | failures | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, v in pages.items():
        per_page.append(
            f"| {name} | {v['requests']:,} | {v['failures']} | {v['p50_ms']:.0f} | "
            f"{v['p95_ms']:.0f} | {v['p99_ms']:.0f} |"
        )
    return (
        "## `dyadwatch update` while the dashboard is read (benchmarks/update_load.py)\n\n"
        + intro
        + "\n\n"
        + "\n".join(table + per_page)
        + "\n"
    )


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"


SECTIONS = {
    "ingest_gdelt": ingest_section,
    "code": code_section,
    "code_workers": code_workers_section,
    "index": index_section,
    "web_load": web_load_section,
    "update_load": update_load_section,
}


HEADINGS = {
    "ingest_gdelt": "## `ingest gdelt`",
    "code": "## `code` ",
    "code_workers": "## `code corpus --workers`",
    "index": "## `index`",
    "web_load": "## web dashboard under load",
    "update_load": "## `dyadwatch update` while",
}


def kept_section(name: str) -> str:
    """The section of the current BENCHMARKS.md for ``name``, unchanged."""
    text = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    for part in text.split("\n## ")[1:]:
        if ("## " + part).startswith(HEADINGS[name]):
            return "## " + part.rstrip("\n") + "\n"
    raise SystemExit(f"BENCHMARKS.md has no section for {name}: run it (drop --only)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="+", choices=list(SECTIONS), help="sections to re-run")
    only = parser.parse_args().only or list(SECTIONS)
    sections = [
        SECTIONS[name](run(name, args)) if name in only else kept_section(name)
        for name, args in BENCHMARKS
    ]
    partial = (
        ""
        if len(only) == len(SECTIONS)
        else (
            f" That run re-measured {', '.join(only)}; the other sections are kept from the "
            "previous run (`git log BENCHMARKS.md` dates them)."
        )
    )
    header = (
        "# Benchmarks\n\nWritten by `make bench` (benchmarks/run_all.py) on "
        f"{dt.date.today():%Y-%m-%d}: Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}. Ratios compare contenders measured in "
        f"the same run; absolute seconds vary between machines.{partial}\n\n"
    )
    notes = (ROOT / "benchmarks" / "NOTES.md").read_text(encoding="utf-8")
    (ROOT / "BENCHMARKS.md").write_text(header + "\n".join(sections) + "\n" + notes)
    print((ROOT / "BENCHMARKS.md").read_text())


if __name__ == "__main__":
    main()
