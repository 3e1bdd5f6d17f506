"""Build dyadwatch's wheel, install it into a fresh venv outside the checkout, run the demo.

Started in the background by ``conftest.py`` as soon as ``tests/test_wheel_install.py``
is collected, because the demo takes minutes; the test waits for it and checks each step
in ``steps.json``. Usage: ``python tests/wheel_job.py FOLDER`` (FOLDER outside the checkout).

The venv gets dyadwatch only from the wheel (``pip install --no-deps --no-index``). Its
third-party dependencies come from the test venv's site-packages through a ``.pth`` line,
so the job needs no network beyond the wheel build's own setuptools. A ``.pth`` line is
not a site directory, so the checkout's editable-install hook inside it never runs: the
first import of ``dyadwatch`` is the installed wheel's (step ``where`` checks it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_TIMEOUT = 40 * 60


def clean_env() -> dict[str, str]:
    """This environment without dyadwatch settings, PYTHONPATH or the test venv's PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DYADWATCH_")}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return env


def venv_python(folder: Path) -> Path:
    return folder / "venv" / "bin" / "python"


def _run(name: str, cmd: list[str], cwd: Path, steps: list[dict], timeout: int = 600) -> bool:
    start = time.monotonic()
    try:
        done = subprocess.run(
            cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout
        )
        code, out = done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        code, out = -1, f"timed out after {timeout} s: {exc.stdout or ''}"
    steps.append(
        {
            "step": name,
            "cmd": cmd,
            "returncode": code,
            "seconds": time.monotonic() - start,
            "output": out[-20_000:],
        }
    )
    return code == 0


def _deps_pth(folder: Path) -> None:
    """Let the fresh venv import the test venv's third-party packages (not dyadwatch)."""
    site = next((folder / "venv" / "lib").glob("python3*/site-packages"))
    (site / "_dyadwatch_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")


def main(folder: Path) -> None:
    steps: list[dict] = []
    run = folder / "run"
    run.mkdir(parents=True, exist_ok=True)
    dist = folder / "dist"
    ok = _run(
        "build",
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        folder,
        steps,
    )
    ok = ok and _run("venv", [sys.executable, "-m", "venv", str(folder / "venv")], folder, steps)
    if ok:
        _deps_pth(folder)
        wheels = sorted(str(p) for p in dist.glob("dyadwatch-*.whl"))
        pip = [str(venv_python(folder)), "-m", "pip", "install", "-q", "--no-deps"]
        ok = _run("install", [*pip, "--no-index", *wheels], folder, steps)
    where = "import dyadwatch; print(dyadwatch.__file__)"
    ok = ok and _run("where", [str(venv_python(folder)), "-c", where], run, steps)
    dyadwatch = str(folder / "venv" / "bin" / "dyadwatch")
    demo = [dyadwatch, "--db", "demo.duckdb", "demo", "--no-serve"]
    ok = ok and _run("demo", demo, run, steps, timeout=DEMO_TIMEOUT)
    (folder / "steps.json").write_text(json.dumps(steps, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
