"""``serve --update-every``: run ``dyadwatch update`` on a schedule beside the dashboard.

Each run is a separate process (``python -m dyadwatch.cli update``), so its downloads,
parsing and coding never hold the web server's interpreter, and the store stays a file
with one writer at a time (a manual ``ingest`` meanwhile waits for it, or it for the
ingest). The dashboard reads the readers' copy each run publishes, so pages show new
data while the update runs and after.

Runs start ``every`` seconds apart, the first at once; a run that overruns is followed by
the next straight away. Each run's output is appended to ``update.log`` in the cache
folder, and one line per run is said through ``say``.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from dyadwatch.errors import ConfigError
from dyadwatch.settings import Settings

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_EVERY = 60.0  # seconds: GDELT publishes every 15 minutes; faster only loads servers


def parse_every(text: str) -> float:
    """``15m``, ``1h``, ``900`` or ``900s`` as seconds; ``0`` means never."""
    match = _DURATION.match(text)
    if match is None:
        raise ConfigError(
            f"--update-every {text!r}: give a duration like 15m, 1h or 900s (0: no updates)"
        )
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if 0 < seconds < MIN_EVERY:
        raise ConfigError(f"--update-every {text!r}: at least {MIN_EVERY:.0f} s, or 0 for none")
    return seconds


class UpdateSchedule:
    """Runs ``dyadwatch update`` every ``every`` seconds until :meth:`stop`."""

    def __init__(self, settings: Settings, every: float, say: Callable[[str], None]) -> None:
        self.settings, self.every, self.say = settings, every, say
        self.log = settings.cache_dir / "update.log"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="dyadwatch-update-schedule")
        self.runs: list[int] = []  # exit codes, oldest first

    def start(self) -> UpdateSchedule:
        self.settings.cache_dir.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the schedule; a run in progress finishes (its writes are transactions)."""
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            self.runs.append(self._run_once())
            self._stop.wait(max(0.0, self.every - (time.monotonic() - started)))

    def _run_once(self) -> int:
        command = [sys.executable, "-m", "dyadwatch.cli", "--db", str(self.settings.db), "update"]
        began = time.monotonic()
        with Path(self.log).open("a", encoding="utf-8") as log:
            log.write(f"\n== {dt.datetime.now().isoformat(timespec='seconds')} update ==\n")
            log.flush()
            code = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT)
        outcome = "finished" if code == 0 else f"failed (exit {code}; see {self.log})"
        self.say(f"update {outcome} in {time.monotonic() - began:.0f} s")
        return code
