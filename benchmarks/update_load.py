"""Benchmark: `dyadwatch update` while 20 readers use the dashboard, its speed against
`ingest gdelt`, and a second update straight after the first.

Real data throughout: the store holds the demo's real events and series (corpora left
out), and the update fetches the **40 real GDELT 2.0 slices of 2025-06-01**
(``shared/data/fixtures/gdelt2_2025``) from a loopback HTTP server (Python's
``http.server`` over a folder holding the real zips and a masterfilelist naming them).

1. **Under load**: the dashboard (uvicorn, one worker, pinned to the first core) warms its
   caches; then locust's readers (pinned to the second core; the mix of
   ``web_load.py``: overview and explorer) run for ``--seconds`` while `dyadwatch update
   --only gdelt` (a separate process, not pinned) starts 5 s in. A watcher asks the API
   every 0.5 s how many GDELT 2.0 events it shows; each file's commit time is read
   afterwards from ``ingest_runs.finished``, and the delay until the pages showed that
   file's events is reported. Targets: 0 failed requests, p95 ≤ 200 ms, delay ≤ 60 s.
2. **Speed** (no readers): `ingest gdelt` of the same 40 zips from disk into a copy of
   the store, against `update --only gdelt` from the loopback server into another copy
   (both with the dyad filter); target: update at least as fast (ratio ≥ 1). Then a
   second update: target 0 new rows in under 10 s. A projection for a year of GDELT 2.0
   (96 files a day) scales the update's time per file.

The last line printed is one JSON object, as in the other benchmarks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from web_load import (
    INGESTERS,
    app_version,
    cores,
    free_port,
    pinned,
    read_stats,
    start_server,
    until,
    warmed,
)

from dyadwatch.ingest import demo_files
from dyadwatch.settings import Settings
from dyadwatch.store import open_reader, open_store

HERE = Path(__file__).resolve().parent
SLICES = HERE.parent.parent / "shared" / "data" / "fixtures" / "gdelt2_2025"
LOCUSTFILE = HERE / "web_locustfile.py"
DAY = "2025-06-01"
WATCH = "/api/v1/events?source=gdelt2&per_page=1"
FILES_PER_YEAR = 96 * 365


def build_store(db: Path) -> float:
    """The demo's real events and series, but its GDELT files and corpora (so the update
    starts from ``DYADWATCH_UPDATE_GDELT_SINCE``, and no coding runs); seconds taken."""
    from importlib.resources import as_file, files

    start = time.perf_counter()
    settings = Settings(db=db)
    with open_store(db) as store:
        for demo in demo_files():
            if demo.kind in INGESTERS and demo.kind != "gdelt":
                with as_file(files("dyadwatch") / "data" / "demo" / demo.name) as path:
                    INGESTERS[demo.kind](store, Path(path), settings=settings)
    return time.perf_counter() - start


class Mirror:
    """The 40 real slices and a masterfilelist naming them, served over loopback."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "gdeltv2"
        self.folder.mkdir()
        self.names = sorted(p.name for p in SLICES.glob(f"{DAY.replace('-', '')}*.zip"))
        for name in self.names:
            shutil.copy(SLICES / name, self.folder / name)
        handler = functools.partial(QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/gdeltv2"
        listed = {
            line.split()[2].rsplit("/", 1)[1]: line.split()[:2]
            for line in (SLICES / "masterfilelist.txt").read_text().splitlines()
            if line
        }
        lines = [f"{listed[n][0]} {listed[n][1]} {self.url}/{n}" for n in self.names]
        (self.folder / "masterfilelist.txt").write_text("\n".join(lines) + "\n")
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def cli(db: Path, cache: Path, mirror: Mirror, *args: str) -> tuple[float, str]:
    """Run ``dyadwatch`` in a subprocess against the mirror; seconds and stdout."""
    env = {
        **os.environ,
        "DYADWATCH_DB": str(db),
        "DYADWATCH_CACHE_DIR": str(cache),
        "DYADWATCH_GDELT_MASTERFILELIST_URL": f"{mirror.url}/masterfilelist.txt",
        "DYADWATCH_UPDATE_GDELT_SINCE": DAY,
        "COLUMNS": "200",
    }
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dyadwatch.cli", *args], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"dyadwatch {' '.join(args)}: {done.returncode}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def new_rows(stdout: str) -> int:
    """New rows of the update's last JSON line."""
    summary = json.loads(stdout.strip().splitlines()[-1])
    sources = summary.get("sources", summary)
    if isinstance(sources, list):
        return sum(int(s.get("new_rows", 0)) for s in sources)
    return int(summary.get("new_rows", 0))


def measure_speed(base: Path, folder: Path, mirror: Mirror) -> dict[str, Any]:
    """ingest gdelt of the zips on disk, against update from loopback; then again."""
    by_hand, by_update = folder / "hand.duckdb", folder / "update.duckdb"
    shutil.copy(base, by_hand)
    shutil.copy(base, by_update)
    zips = [str(mirror.folder / n) for n in mirror.names]
    ingest_s, _ = cli(by_hand, folder / "c1", mirror, "ingest", "gdelt", "--dyad-only", *zips)
    update_s, first = cli(by_update, folder / "c2", mirror, "update", "--only", "gdelt", "--json")
    again_s, second = cli(by_update, folder / "c2", mirror, "update", "--only", "gdelt", "--json")
    with open_reader(by_hand) as hand, open_reader(by_update) as upd:
        count = "SELECT count(*) FROM events WHERE source_system = 'gdelt2'"
        hand_rows, update_rows = hand.scalar(count), upd.scalar(count)
    return {
        "files": len(mirror.names),
        "ingest_gdelt_s": ingest_s,
        "update_s": update_s,
        "ratio_ingest_over_update": ingest_s / update_s,
        "events_by_ingest": int(hand_rows),
        "events_by_update": int(update_rows),
        "update_new_rows": new_rows(first),
        "second_update_s": again_s,
        "second_update_new_rows": new_rows(second),
        "year_projection_h": update_s / len(mirror.names) * FILES_PER_YEAR / 3600,
    }


def watch(url: str, stop: threading.Event, seen: list[tuple[float, int]]) -> None:
    """(wall time, GDELT 2.0 events the API shows), every 0.5 s."""
    with httpx.Client(base_url=url, timeout=30) as client:
        while not stop.is_set():
            try:
                total = client.get(WATCH).json().get("total")
                if total is not None:
                    seen.append((time.time(), int(total)))
            except (httpx.HTTPError, ValueError):
                pass
            stop.wait(0.5)


def commits(db: Path, since: float) -> list[tuple[float, int]]:
    """(commit wall time, GDELT 2.0 events in the store after it) per file loaded."""
    with open_reader(db) as store:
        rows = store.execute(
            "SELECT epoch(finished), n_loaded FROM ingest_runs "
            "WHERE source_system = 'gdelt2' AND status = 'loaded' ORDER BY finished"
        )
        total = int(store.scalar("SELECT count(*) FROM events WHERE source_system = 'gdelt2'"))
    loaded = [(float(t), int(n)) for t, n in rows]
    before = total - sum(n for t, n in loaded if t >= since)
    out, running = [], before
    for t, n in loaded:
        if t >= since:
            running += n
            out.append((t, running))
    return out


def delays(committed: list[tuple[float, int]], seen: list[tuple[float, int]]) -> list[float]:
    """For each commit, seconds until the API first showed at least its total."""
    out = []
    for when, total in committed:
        shown = next((t for t, n in seen if t >= when and n >= total), None)
        out.append(float("inf") if shown is None else shown - when)
    return out


def measure_under_load(base: Path, folder: Path, mirror: Mirror, args: Any) -> dict[str, Any]:
    db = folder / "live.duckdb"
    shutil.copy(base, db)
    server_core, load_core = cores()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(db=db, cache_dir=folder / "live-cache")
    server = start_server(settings, port, server_core, {}, folder / "live.log")
    stop, seen = threading.Event(), []
    try:
        until(lambda: warmed(url))
        locust = start_locust(url, args, load_core, folder / "live")
        watcher = threading.Thread(target=watch, args=(url, stop, seen))
        watcher.start()
        time.sleep(5)
        began = time.time()
        update_s, _ = cli(db, folder / "live-cache", mirror, "update", "--only", "gdelt", "--json")
        locust.wait(timeout=args.seconds + 120)
        time.sleep(max(0.0, began + 70 - time.time()))  # the last commits' publish and refresh
        stop.set()
        watcher.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    waits = delays(commits(db, began - 1), seen)
    return {
        "update_s": update_s,
        "files_committed": len(waits),
        "visible_after_commit_max_s": max(waits) if waits else None,
        "visible_after_commit_median_s": sorted(waits)[len(waits) // 2] if waits else None,
        "pages": read_stats(folder / "live"),
    }


def start_locust(url: str, args: Any, core: set[int], prefix: Path) -> subprocess.Popen[bytes]:
    from web_load import mix

    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s",
        "--host", url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        "--stop-timeout", "5",
    ]  # fmt: skip
    env = {**os.environ, "DW_MIX": json.dumps(mix()), "DW_WAIT_MIN": "0.5", "DW_WAIT_MAX": "1.5"}
    return subprocess.Popen(
        command, preexec_fn=pinned(core), env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    result: dict[str, Any] = {
        "users": args.users,
        "seconds": args.seconds,
        "cores": os.cpu_count(),
        "app_version": app_version(),
        "when": dt.datetime.now().isoformat(timespec="seconds"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = folder / "base.duckdb"
        result["store_s"] = build_store(base)
        mirror = Mirror(folder)
        try:
            result["speed"] = measure_speed(base, folder, mirror)
            result["under_load"] = measure_under_load(base, folder, mirror, args)
        finally:
            mirror.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
