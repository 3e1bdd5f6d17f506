"""Backups, as docs/deploy.md writes them: each block marked ``<!-- test: NAME -->`` is run
as written, and what it restores is reopened and compared with what was backed up."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from community_support import fast_hasher, fresh_database, postgres_cluster
from deploy_support import ICEWS_SAMPLE, script_env, table_snapshot

from dyadwatch.ingest import ingest_gdelt, ingest_icews
from dyadwatch.settings import Settings
from dyadwatch.store import open_store
from dyadwatch.store.appdb import AppDB, list_users, register_user

from conftest import GDELT2_EXPORT, GDELT2_MENTIONS, ROOT


def doc_blocks() -> dict[str, str]:
    """The shell blocks of docs/deploy.md marked ``<!-- test: NAME -->``."""
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    found = re.findall(r"<!-- test: ([\w-]+) -->\n```sh\n(.*?)```", text, flags=re.S)
    return dict(found)


def run_block(name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["sh", "-ec", doc_blocks()[name]], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (name, result.stdout, result.stderr)
    return result


@pytest.fixture
def backup_env(tmp_path: Path) -> dict[str, str]:
    env = script_env(tmp_path)
    (tmp_path / "backup").mkdir()
    return env | {"DATA": str(tmp_path / "data"), "BACKUP": str(tmp_path / "backup")}


def build_store(db: Path) -> None:
    """A store of real data: a GDELT 2.0 export and an ICEWS sample (the readers' copy is
    published when the writer closes)."""
    settings = Settings(db=db)
    with open_store(db) as store:
        ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
        ingest_icews(store, ICEWS_SAMPLE, settings=settings)


def test_the_documented_blocks_are_all_here() -> None:
    assert set(doc_blocks()) == {
        "backup-store",
        "restore-store",
        "export-store",
        "import-store",
        "backup-sqlite",
        "backup-sqlite-python",
        "restore-sqlite",
        "backup-postgres",
        "restore-postgres",
    }


def test_store_backup_by_copy_restores_and_reopens(backup_env: dict[str, str]) -> None:
    db = Path(backup_env["DYADWATCH_DB"])
    build_store(db)
    before = table_snapshot(db)
    assert before["events"][0] > 1000
    run_block("backup-store", backup_env)
    with open_store(db) as store:  # the store moves on after the backup
        ingest_gdelt(store, GDELT2_MENTIONS, settings=Settings(db=db))
    assert table_snapshot(db) != before
    restored = run_block("restore-store", backup_env)
    assert "events" in restored.stdout
    assert table_snapshot(db) == before
    assert table_snapshot(db.with_name("dyadwatch.read.duckdb")) == before


def test_store_export_and_import_restore_every_table(backup_env: dict[str, str]) -> None:
    db = Path(backup_env["DYADWATCH_DB"])
    build_store(db)
    before = table_snapshot(db)
    run_block("export-store", backup_env)
    exported = list(Path(backup_env["BACKUP"]).glob("dyadwatch-export-*/events.parquet"))
    assert len(exported) == 1
    run_block("import-store", backup_env)
    assert table_snapshot(db) == before
    assert table_snapshot(db.with_name("dyadwatch.read.duckdb")) == before


def _usernames(app_db: str) -> set[str]:
    db = AppDB(app_db, password_hasher=fast_hasher()).open()
    try:
        return {user.username for user in list_users(db)}
    finally:
        db.close()


def _register(app_db: str, username: str) -> None:
    db = AppDB(app_db, password_hasher=fast_hasher()).open()
    try:
        register_user(
            db, username=username, email=f"{username}@example.org", password="a long passphrase 1"
        )
    finally:
        db.close()


@pytest.mark.parametrize("block", ["backup-sqlite", "backup-sqlite-python"])
def test_sqlite_app_database_backup_restores(backup_env: dict[str, str], block: str) -> None:
    if block == "backup-sqlite" and shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 program is not installed")
    app_db = str(Path(backup_env["DATA"]) / "dyadwatch-app.sqlite")
    _register(app_db, "alice")
    run_block(block, backup_env)
    _register(app_db, "bob")  # after the backup: gone once it is restored
    assert _usernames(app_db) == {"alice", "bob"}
    listing = run_block("restore-sqlite", backup_env).stdout
    assert "alice" in listing and "bob" not in listing
    assert _usernames(app_db) == {"alice"}


@pytest.fixture
def postgres_admin() -> Iterator[str]:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed")
    try:
        with postgres_cluster() as url:
            yield url
    except RuntimeError as exc:
        pytest.skip(f"no PostgreSQL server: {exc}")


def test_postgres_app_database_backup_restores(
    backup_env: dict[str, str], postgres_admin: str
) -> None:
    url = fresh_database(postgres_admin, "dyadwatch_backup")
    env = backup_env | {
        "DYADWATCH_APP_DB": url,
        "PGURL": url.replace("postgresql+psycopg://", "postgresql://"),
    }
    _register(url, "alice")
    run_block("backup-postgres", env)
    _register(url, "bob")  # after the backup: gone once it is restored
    assert _usernames(url) == {"alice", "bob"}
    listing = run_block("restore-postgres", env).stdout
    assert "alice" in listing and "bob" not in listing
    assert _usernames(url) == {"alice"}
