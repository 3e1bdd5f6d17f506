"""The site's accounts and publishing from the command line: users set-role, brief --publish."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.ingest import ingest_icews
from dyadwatch.settings import Settings
from dyadwatch.store import open_store
from dyadwatch.store.appdb import AppDB, app_db_location, get_brief, register_user, set_brief_note

from conftest import SHARED_DATA

ICEWS_SAMPLE = SHARED_DATA / "fixtures" / "icews" / "events.2018.sample.tab"


def _app_db(settings: Settings) -> AppDB:
    return AppDB(app_db_location(settings)).open()


def test_set_role_gives_the_first_admin(settings: Settings) -> None:
    db = _app_db(settings)
    register_user(db, username="alice", email="alice@example.org", password="a long passphrase 1")
    db.close()
    base = ["--db", str(settings.db), "users"]
    result = CliRunner().invoke(app, [*base, "set-role", "alice", "admin"])
    assert result.exit_code == 0, result.output
    assert "alice is now admin" in result.stdout
    listing = CliRunner().invoke(app, [*base, "list"])
    assert "alice" in listing.stdout and "admin" in listing.stdout
    for args in (["set-role", "nobody", "admin"], ["set-role", "alice", "emperor"]):
        bad = CliRunner().invoke(app, [*base, *args])
        assert bad.exit_code == 2, bad.output


def test_brief_publish_includes_site_notes_and_keeps_the_number(
    settings: Settings, tmp_path: Path
) -> None:
    with open_store(settings.db) as store:
        ingest_icews(store, ICEWS_SAMPLE, settings=settings)
    db = _app_db(settings)
    set_brief_note(db, "2018-06", "trade", "Steel tariff talks: watch the G7.", author_id=None)
    db.close()
    args = ["--db", str(settings.db), "brief", "--period", "2018-06", "--format", "html"]
    args += ["--out", str(tmp_path / "b.html"), "--publish"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "published brief #1 at /briefs/1" in first.stdout
    again = CliRunner().invoke(app, args)
    assert "published brief #1" in again.stdout
    db = _app_db(settings)
    brief = get_brief(db, 1)
    db.close()
    assert brief.period == "2018-06"
    assert "Steel tariff talks: watch the G7." in brief.html
