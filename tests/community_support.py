"""Helpers of the community tests: apps on a real SQLite file, a throwaway PostgreSQL
cluster when the server is installed, a real uvicorn server, and form tokens."""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher

from dyadwatch.settings import Settings
from dyadwatch.store.appdb import AppDB, app_db_location

with warnings.catch_warnings():  # Starlette 1.10 would rather have httpx2 for its TestClient
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["TestClient"]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a long enough passphrase"


def fast_hasher() -> PasswordHasher:
    """argon2id with small parameters, so tests register many users quickly."""
    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


def community_settings(folder: Path, app_db: str | None = None) -> Settings:
    return Settings(
        db=folder / "events.duckdb",
        cache_dir=folder / "cache",
        web_warm=False,
        app_db=app_db or str(folder / "app.sqlite"),
    )


def make_app(settings: Settings) -> Any:
    """The whole web app, its app database on ``settings.app_db`` with the fast hasher."""
    from dyadwatch.web.app import create_app

    app = create_app(settings)
    app.state.community.db = AppDB(app_db_location(settings), password_hasher=fast_hasher())
    return app


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no csrf_token input"
    return match.group(1)


def register(client: httpx.Client | Any, username: str, email: str | None = None) -> None:
    """Register (and so log in) ``username`` through the form."""
    token = csrf_of(client.get("/register").text)
    response = client.post(
        "/register",
        data={
            "username": username,
            "email": email or f"{re.sub(r'[^a-z0-9]', '', username.lower()) or 'x'}@example.org",
            "password": PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


# --- PostgreSQL -------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root without runuser: cannot start PostgreSQL")
    return [runuser, "-u", "postgres", "--", *command]


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port: its admin URL.

    Raises ``RuntimeError`` with the reason when no server can be started.
    """
    binaries = postgres_bin()
    if binaries is None:
        raise RuntimeError("no PostgreSQL server installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="dyadwatch-pg-"))
    data, port = folder / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    try:
        _run(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "dw",
                "-E",
                "UTF8",
                "-N",
            ]
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "start",
                "-l",
                str(folder / "log"),
            ]
        )
        try:
            yield f"postgresql+psycopg://dw@127.0.0.1:{port}"
        finally:
            _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(command: list[str]) -> None:
    result = subprocess.run(_as_postgres(command), capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()[-400:]}")


def fresh_database(admin_url: str, name: str) -> str:
    """A new empty database on the cluster: its URL."""
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", "") + "/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    return f"{admin_url}/{name}"


# --- a real server ------------------------------------------------------------------------


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """``app`` under a real uvicorn server on a free loopback port: its base URL."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
