"""The package installs: a wheel, a fresh venv outside the checkout, the demo, serve, code.

The job (tests/wheel_job.py) starts at collection so its demo (minutes) overlaps the rest
of the suite; these tests wait for it, then check each step and run serve and code with
the installed ``dyadwatch`` from a folder outside the checkout.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from community_support import free_port
from wheel_job import clean_env
from wheel_support import WHEEL_JOB, WheelJob

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
CALL = "President Sheinbaum spoke by phone with President Trump about security."


@pytest.fixture(scope="module")
def job(request: pytest.FixtureRequest) -> WheelJob:
    return request.config.stash[WHEEL_JOB]


@pytest.fixture(scope="module")
def steps(job: WheelJob) -> dict[str, dict]:
    return job.wait()


def _ok(steps: dict[str, dict], name: str) -> dict:
    assert name in steps, f"the job stopped before step {name!r}: ran {list(steps)}"
    step = steps[name]
    assert step["returncode"] == 0, f"{name} failed:\n{step['output'][-4000:]}"
    return step


def _bin(job: WheelJob) -> str:
    return str(job.folder / "venv" / "bin" / "dyadwatch")


def test_the_wheel_installs_into_a_fresh_venv(job: WheelJob, steps: dict[str, dict]) -> None:
    for name in ("build", "venv", "install"):
        _ok(steps, name)
    installed = Path(_ok(steps, "where")["output"].strip().splitlines()[-1]).parent
    assert installed.is_relative_to(job.folder / "venv"), installed
    assert not installed.is_relative_to(ROOT)
    docs = list((installed / "data" / "docs").glob("*.md"))
    assert docs and not any(p.is_symlink() for p in docs), "method docs must ship as files"
    scores = json.loads((installed / "data" / "eval" / "verdict_scores.json").read_text())
    assert scores
    assert (installed / "web" / "templates").is_dir()


def test_the_demo_runs_from_the_wheel(job: WheelJob, steps: dict[str, dict]) -> None:
    output = _ok(steps, "demo")["output"]
    assert "Demo store:" in output and "Dashboard:" in output
    assert (job.folder / "run" / "demo.duckdb").stat().st_size > 1_000_000


def test_serve_from_the_wheel_answers_pages(job: WheelJob, steps: dict[str, dict]) -> None:
    _ok(steps, "demo")
    port = free_port()
    cmd = [_bin(job), "--db", "demo.duckdb", "serve", "--port", str(port)]
    with subprocess.Popen(
        cmd,
        cwd=job.folder / "run",
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as server:
        try:
            page = _get(f"http://127.0.0.1:{port}/", server)
            assert "dyadwatch" in page.text
            methods = _get(f"http://127.0.0.1:{port}/methods", server)
            assert "verdicts" in methods.text.lower()
        finally:
            server.terminate()
            server.wait(timeout=30)


def _get(url: str, server: subprocess.Popen[bytes]) -> httpx.Response:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            out = server.stdout.read().decode() if server.stdout else ""
            pytest.fail(f"serve exited with {server.returncode}:\n{out[-4000:]}")
        try:
            response = httpx.get(url, timeout=60)
        except httpx.TransportError:
            time.sleep(0.5)
            continue
        assert response.status_code == 200, response.text[:2000]
        return response
    pytest.fail(f"serve did not answer {url} within 180 s")


def test_code_from_the_wheel(job: WheelJob, steps: dict[str, dict]) -> None:
    _ok(steps, "install")
    folder = job.folder / "run"
    source, dest = folder / "in.jsonl", folder / "out.jsonl"
    source.write_text(json.dumps({"id": "call", "text": CALL, "date": "2025-02-03"}) + "\n")
    done = subprocess.run(
        [_bin(job), "code", "--input", str(source), "--output", str(dest)],
        cwd=folder,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in dest.read_text(encoding="utf-8").splitlines()]
    assert [e["doc_id"] for e in events] == ["call"]
    assert events[0]["source"]["country"] == "MEX" and events[0]["target"]["country"] == "USA"
    assert events[0]["evidence"] == CALL
