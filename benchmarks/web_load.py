"""Benchmark: the dashboard's overview and events explorer under 20 concurrent readers.

The store holds the real demo events and indicator series (``dyadwatch/data/demo``, the
corpora left out) plus ``--events`` events of **SYNTHETIC volume**
(``dyadwatch.store.synthetic``: generated inside DuckDB, labelled ``synthetic``), because
no real store of 10M U.S.–Mexico events is bundled.

The server is ``create_app(settings)`` under uvicorn with one worker, in a subprocess
pinned to the first core; locust (headless, ``benchmarks/web_locustfile.py``) runs in a
subprocess pinned to the second core, so the load generator does not take the server's
CPU. Both talk over loopback. Two runs, each on a fresh server:

* **cold** (``DYADWATCH_WEB_WARM=false``, the app's only cache switch): every URL of the
  mix requested once in turn, uncached, then once more, cached; and the seconds until the
  overview has nothing pending;
* **load**: the app warms its caches at startup (timed until ``/healthz`` says ok), then
  ``--users`` readers for ``--seconds``, each pausing ``--wait`` seconds between requests.

Target: overview and explorer at p95 ≤ 200 ms with 0 errors under load. The last line
printed is one JSON object, as in the other benchmarks.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from dyadwatch.ingest import (
    demo_files,
    ingest_acled,
    ingest_gdelt,
    ingest_icews,
    ingest_series,
    ingest_ucdp,
)
from dyadwatch.settings import Settings
from dyadwatch.store import open_store
from dyadwatch.store.synthetic import insert_synthetic_events

HERE = Path(__file__).resolve().parent
LOCUSTFILE = HERE / "web_locustfile.py"
FILTERS: list[dict[str, str]] = [
    {},
    {"front": "trade"},
    {"front": "migration", "direction": "MEX-USA"},
    {"direction": "USA-MEX", "type": "THREATEN"},
    {"since": "2020-01-01", "until": "2020-12-31"},
    {"since": "2024-06-01", "front": "fentanyl"},
    {"source": "synthetic", "type": "AGREE"},
    {"source": "ucdp"},
    {"q": "tariff"},
    {"direction": "MEX-USA", "type": "COERCE", "since": "2018-01-01", "until": "2019-12-31"},
]
PAGED = [2, 3, 5, 10]  # pages after the first, of the first four filters


def mix() -> dict[str, dict[str, Any]]:
    """The readers' requests: page name → weight and URLs (same in every run)."""
    filtered = ["/events?" + urlencode(f) if f else "/events" for f in FILTERS]
    paged = ["/events?" + urlencode({**f, "page": str(p)}) for f in FILTERS[:4] for p in PAGED]
    return {
        "overview": {"weight": 2, "urls": ["/"]},
        "explorer: filters": {"weight": 3, "urls": filtered},
        "explorer: pages": {"weight": 2, "urls": paged},
    }


INGESTERS = {
    "gdelt": ingest_gdelt,
    "acled": ingest_acled,
    "icews": ingest_icews,
    "ucdp": ingest_ucdp,
    "series": ingest_series,
}
SERVER = """
import sys
from pathlib import Path

import uvicorn

from dyadwatch.settings import Settings
from dyadwatch.web.app import create_app

db, cache_dir, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
settings = Settings(db=Path(db), cache_dir=Path(cache_dir))
uvicorn.run(
    create_app(settings), host="127.0.0.1", port=port, workers=1,
    log_level="warning", access_log=False,
)
"""


def cores() -> tuple[set[int], set[int]]:
    """The server's core and the load generator's: apart when the machine has two."""
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        return {available[0]}, {available[0]}
    return {available[0]}, {available[1]}


def build_store(settings: Settings, events: int) -> dict[str, float]:
    """The demo's real events and series, then ``events`` SYNTHETIC ones."""
    start = time.perf_counter()
    with open_store(settings.db) as store:
        for demo in demo_files():
            if demo.kind in INGESTERS:
                with as_file(files("dyadwatch") / "data" / "demo" / demo.name) as path:
                    INGESTERS[demo.kind](store, Path(path), settings=settings)
        real_s = time.perf_counter() - start
        insert_synthetic_events(store, events)
        total = int(store.scalar("SELECT count(*) FROM events"))
    return {"real_ingest_s": real_s, "store_s": time.perf_counter() - start, "store_events": total}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(core: set[int]) -> Any:
    return lambda: os.sched_setaffinity(0, core)


def start_server(
    settings: Settings, port: int, core: set[int], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """The app under uvicorn in a pinned subprocess, once /healthz answers at all."""
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(settings.db), str(settings.cache_dir), str(port)],
            preexec_fn=pinned(core),
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with {server.returncode}: {log.read_text()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=30)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"server did not answer /healthz within 120 s: {log.read_text()}")


def until(check: Any, *, timeout: float = 1800) -> float:
    """Seconds until ``check()`` is true (polled every 0.5 s)."""
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > timeout:
            raise RuntimeError(f"still not ready after {timeout:.0f} s")
        time.sleep(0.5)
    return time.perf_counter() - start


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_locust(url: str, args: argparse.Namespace, core: set[int], prefix: Path) -> None:
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
        "--host", url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "5",
    ]  # fmt: skip
    env = {
        **os.environ,
        "DW_MIX": json.dumps(mix()),
        "DW_WAIT_MIN": str(args.wait[0]),
        "DW_WAIT_MAX": str(args.wait[1]),
    }
    # locust exits 1 when any request failed; the failures are read from its CSV instead.
    done = subprocess.run(command, preexec_fn=pinned(core), env=env, capture_output=True)
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust wrote no statistics: {done.stderr.decode()[-2000:]}")


def read_stats(prefix: Path) -> dict[str, dict[str, float]]:
    """Per page and in aggregate: requests, failures, requests/s and percentiles (ms)."""
    out = {}
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "max_ms": float(row["Max Response Time"]),
            }
    return out


def timed_get(client: httpx.Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status_code} {response.text[:300]}")
    return elapsed


def measure_cold(settings: Settings, folder: Path) -> dict[str, Any]:
    """A fresh server with no warm-up: each URL uncached, then cached (ms)."""
    server_core, _ = cores()
    port = free_port()
    env = {"DYADWATCH_WEB_WARM": "false"}
    server = start_server(settings, port, server_core, env, folder / "cold.log")
    out: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=1800) as client:
            for name, page in mix().items():
                if name == "overview":
                    continue
                cold = [timed_get(client, url) for url in page["urls"]]
                cached = [timed_get(client, url) for url in page["urls"]]
                out[name] = {"urls": len(cold), **spread("cold", cold), **spread("cached", cached)}
            first_ms = timed_get(client, "/")
            complete_s = until(lambda: not client.get("/overview.json").json()["pending"])
            out["overview"] = {
                "first_ms": first_ms,
                "complete_s": complete_s,
                "cached_ms": timed_get(client, "/"),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def spread(label: str, values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        f"{label}_median_ms": statistics.median(ordered),
        f"{label}_max_ms": ordered[-1],
    }


def warmed(url: str) -> bool:
    """/healthz says ok (it answers 503 while warming) and the overview has nothing pending."""
    if httpx.get(f"{url}/healthz", timeout=1800).status_code != 200:
        return False
    return not httpx.get(f"{url}/overview.json", timeout=1800).json()["pending"]


def measure_load(settings: Settings, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """A fresh server that warms its caches at startup, then the readers for two runs of
    ``--seconds``: the first starts from the app's own warm-up, the second finds every URL
    of the mix cached by the first."""
    server_core, load_core = cores()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    server = start_server(settings, port, server_core, {}, folder / "load.log")
    try:
        until(lambda: warmed(url))
        warm_s = time.perf_counter() - start
        loadavg = os.getloadavg()[0]
        run_locust(url, args, load_core, folder / "load")
        run_locust(url, args, load_core, folder / "again")
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "warm_s": warm_s,
        "server_peak_rss_mb": rss,
        "loadavg_1min_before": loadavg,  # other work on the machine during the run
        "pages": read_stats(folder / "load"),
        "again": read_stats(folder / "again"),
    }


def app_version() -> str:
    """The checkout measured (``-dirty`` when it has uncommitted changes)."""
    done = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=HERE
    )
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--wait", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    parser.add_argument("--no-cold", action="store_true", help="Skip the cold run.")
    parser.add_argument("--keep", type=Path, help="Keep the CSV statistics in this folder.")
    args = parser.parse_args()
    server_core, load_core = cores()
    result: dict[str, Any] = {
        "events": args.events,
        "synthetic_events": args.events,
        "users": args.users,
        "seconds": args.seconds,
        "wait_s": list(args.wait),
        "server_cores": sorted(server_core),
        "load_cores": sorted(load_core),
        "cores": os.cpu_count(),
        "app_version": app_version(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        settings = Settings(db=Path(tmp) / "web.duckdb", cache_dir=Path(tmp) / "cache")
        result.update(build_store(settings, args.events))
        if not args.no_cold:
            result["cold"] = measure_cold(settings, folder)
        result["load"] = measure_load(settings, args, folder)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
