"""Locust users for benchmarks/web_load.py: readers of the overview and the events explorer.

web_load.py passes the request mix in ``DW_MIX`` (JSON: page name → weight and URLs) and
the pause between a reader's requests in ``DW_WAIT_MIN``/``DW_WAIT_MAX`` seconds. Requests
are grouped under the page names, so locust's statistics are per page. Run only through
web_load.py (it pins this process to its own core and reads the CSV statistics).
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

MIX: dict[str, dict[str, object]] = json.loads(os.environ.get("DW_MIX", "{}"))


class Reader(HttpUser):
    """One reader: picks a page by weight, then one of its URLs, then pauses."""

    wait_time = between(
        float(os.environ.get("DW_WAIT_MIN", "0.5")), float(os.environ.get("DW_WAIT_MAX", "1.5"))
    )

    def on_start(self) -> None:
        self.rng = random.Random(int(os.environ.get("DW_SEED", "1")) * 1000 + id(self) % 1000)
        self.names = list(MIX)
        self.weights = [float(MIX[name]["weight"]) for name in self.names]  # type: ignore[arg-type]

    @task
    def read(self) -> None:
        name = self.rng.choices(self.names, self.weights)[0]
        urls: list[str] = MIX[name]["urls"]  # type: ignore[assignment]
        self.client.get(self.rng.choice(urls), name=name)
