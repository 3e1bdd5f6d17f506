"""The background wheel job (tests/wheel_job.py): started at collection, awaited by its test."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

JOB_SCRIPT = Path(__file__).with_name("wheel_job.py")
WHEEL_TEST = "test_wheel_install.py"
WAIT_SECONDS = 45 * 60


@dataclass
class WheelJob:
    folder: Path
    process: subprocess.Popen[bytes]

    def wait(self) -> dict[str, dict]:
        """Each step's record by name, once the job has ended."""
        self.process.wait(timeout=WAIT_SECONDS)
        path = self.folder / "steps.json"
        if not path.exists():
            log = (self.folder / "job.log").read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"the wheel job wrote no steps.json; its log:\n{log[-5000:]}")
        steps = json.loads(path.read_text(encoding="utf-8"))
        return {step["step"]: step for step in steps}

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


WHEEL_JOB = pytest.StashKey[WheelJob]()


def start_wheel_job() -> WheelJob:
    """Start tests/wheel_job.py in a new folder outside the checkout."""
    folder = Path(tempfile.mkdtemp(prefix="dyadwatch-wheel-"))
    with (folder / "job.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(JOB_SCRIPT), str(folder)],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return WheelJob(folder, process)
