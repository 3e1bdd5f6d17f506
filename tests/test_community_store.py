"""The app database's repository: accounts, argon2id, rate limits, sessions, briefs,
reactions, comments and annotations, on a real SQLite file and, when a PostgreSQL server is
installed, on a throwaway PostgreSQL cluster too (the same tests)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from community_support import PASSWORD, fast_hasher, fresh_database, postgres_cluster
from sqlalchemy import func, select, text

from dyadwatch.briefs.publish import load_notes, publish_brief
from dyadwatch.errors import (
    AlreadyReactedError,
    DuplicateError,
    InvalidInputError,
    LoginError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
)
from dyadwatch.settings import Settings
from dyadwatch.store.appdb import (
    AppDB,
    NewBrief,
    add_comment,
    annotate_event,
    app_db_location,
    authenticate,
    brief_notes,
    delete_comment,
    end_session,
    event_annotations,
    get_brief,
    list_briefs,
    list_comments,
    neighbours,
    publish,
    react,
    reaction_counts,
    read_session,
    register_user,
    set_brief_note,
    set_comment_hidden,
    set_role,
    start_session,
)
from dyadwatch.store.appdb.models import Base, Reaction, User

SQL_INJECTION = "Robert'); DROP TABLE comments;--"
TABLES = [t.name for t in Base.metadata.sorted_tables if t.name != "app_keys"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="module")
def postgres_admin() -> Iterator[str]:
    try:
        with postgres_cluster() as url:
            yield url
    except RuntimeError as exc:
        pytest.skip(f"PostgreSQL variant skipped: {exc}")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "app.sqlite")
    url: str = request.getfixturevalue("postgres_database")
    emptied = AppDB(url).open()  # migrated once; each test starts from empty tables
    with emptied.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    emptied.close()
    return url


@pytest.fixture(scope="module")
def postgres_database(postgres_admin: str) -> str:
    return fresh_database(postgres_admin, "dw_test_store")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(db_url: str, clock: Clock) -> Iterator[AppDB]:
    opened = AppDB(db_url, clock=clock, password_hasher=fast_hasher()).open()
    yield opened
    opened.close()


def _brief(db: AppDB, period: str = "2025-01", title: str = "January") -> int:
    new = NewBrief(period=period, title=title, lead="lead", html="<p>body</p>")
    return publish(db, new).number


# --- schema -------------------------------------------------------------------------------


def test_migrations_match_the_models(db: AppDB) -> None:
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_sqlite_is_opened_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = AppDB(str(tmp_path / "a.sqlite")).open()
    with db.engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert connection.scalar(text("PRAGMA busy_timeout")) == 10_000
    db.close()


def test_reopening_migrates_nothing_and_keeps_rows(db_url: str) -> None:
    first = AppDB(db_url, password_hasher=fast_hasher()).open()
    number = _brief(first)
    add_comment(first, number, name="n", email="n@example.org", text="kept")
    first.close()
    second = AppDB(db_url).open()
    assert [c.text for c in list_comments(second, number).items] == ["kept"]
    second.close()


# --- accounts -----------------------------------------------------------------------------


def test_passwords_are_argon2id_and_verified(db: AppDB) -> None:
    user = register_user(db, username="alice", email="Alice@Example.org", password=PASSWORD)
    assert user.email == "alice@example.org" and user.role == "reader"
    with db.transaction() as session:
        stored = session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert authenticate(db, username="ALICE", password=PASSWORD, ip="1.1.1.1").id == user.id
    with pytest.raises(LoginError):
        authenticate(db, username="alice", password="not the password", ip="1.1.1.1")
    with pytest.raises(LoginError):
        authenticate(db, username="nobody", password=PASSWORD, ip="1.1.1.1")


def test_a_hash_with_old_parameters_is_rehashed_at_login(db_url: str) -> None:
    weak = AppDB(db_url, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024)).open()
    register_user(weak, username="alice", email="a@example.org", password=PASSWORD)
    weak.close()
    db = AppDB(db_url, password_hasher=fast_hasher()).open()
    authenticate(db, username="alice", password=PASSWORD, ip="1.1.1.1")
    with db.transaction() as session:
        stored = session.scalar(select(User.password_hash))
    assert stored is not None and "m=8192" in stored
    db.close()


@pytest.mark.parametrize(
    ("username", "email", "password", "problem"),
    [
        ("ab", "a@example.org", PASSWORD, "3 to 40"),
        ("a" * 41, "a@example.org", PASSWORD, "3 to 40"),
        ("bell\x07", "a@example.org", PASSWORD, "control"),
        ("alice", "not-an-email", PASSWORD, "email"),
        ("alice", "a@example.org", "short", "8 to 256"),
        ("alice", "a@example.org", "password", "common"),
        ("alice", "a@example.org", "Password1", "common"),
        ("alice", "a@example.org", "alice-is-great", "username"),
    ],
)
def test_registration_rules(
    db: AppDB, username: str, email: str, password: str, problem: str
) -> None:
    with pytest.raises(InvalidInputError, match=problem):
        register_user(db, username=username, email=email, password=password)


def test_usernames_and_emails_are_unique(db: AppDB) -> None:
    register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    with pytest.raises(DuplicateError, match="username"):
        register_user(db, username="ALICE", email="b@example.org", password=PASSWORD)
    with pytest.raises(DuplicateError, match="email"):
        register_user(db, username="bob", email="A@example.org", password=PASSWORD)


def test_five_failures_per_username_lock_it_for_the_window(db: AppDB, clock: Clock) -> None:
    register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    for i in range(5):
        with pytest.raises(LoginError):
            authenticate(db, username="alice", password="wrong guess", ip=f"10.0.0.{i}")
        clock.now += dt.timedelta(minutes=1)
    with pytest.raises(RateLimitError) as caught:  # even the right password, from anywhere
        authenticate(db, username="alice", password=PASSWORD, ip="10.9.9.9")
    assert caught.value.retry_after == 10 * 60 + 1  # when the first failure leaves the window
    clock.now += dt.timedelta(minutes=10, seconds=1)
    assert authenticate(db, username="alice", password=PASSWORD, ip="10.9.9.9").username


def test_five_failures_per_address_lock_that_address(db: AppDB) -> None:
    register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    for i in range(5):
        with pytest.raises(LoginError):
            authenticate(db, username=f"guess{i}", password="wrong guess", ip="10.0.0.1")
    with pytest.raises(RateLimitError):
        authenticate(db, username="alice", password=PASSWORD, ip="10.0.0.1")
    assert authenticate(db, username="alice", password=PASSWORD, ip="10.0.0.2").username


def test_roles(db: AppDB) -> None:
    register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    assert set_role(db, "Alice", "analyst").role == "analyst"
    with pytest.raises(InvalidInputError):
        set_role(db, "alice", "owner")
    with pytest.raises(NotFoundError):
        set_role(db, "nobody", "admin")


def test_sessions_are_new_at_each_login_and_expire(db: AppDB, clock: Clock) -> None:
    user = register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    first = start_session(db, user.id)
    second = start_session(db, user.id, replacing=first)
    assert first != second
    assert read_session(db, first) is None
    live = read_session(db, second)
    assert live is not None and live.user.id == user.id and len(live.csrf_secret) >= 32
    with db.transaction() as session:  # the database holds a hash, not the cookie's token
        assert (
            session.scalar(text("SELECT count(*) FROM sessions WHERE id = :t"), {"t": second}) == 0
        )
    clock.now += dt.timedelta(days=15)
    assert read_session(db, second) is None
    third = start_session(db, user.id)
    end_session(db, third)
    assert read_session(db, third) is None
    assert read_session(db, "x" * 500) is None


# --- briefs and reactions -----------------------------------------------------------------


def test_briefs_are_numbered_and_republishing_keeps_the_number(db: AppDB) -> None:
    assert [_brief(db, p, p) for p in ("2025-01", "2025-02", "2025-03")] == [1, 2, 3]
    republished = publish(db, NewBrief(period="2025-02", title="New", lead="", html="<p>2</p>"))
    assert republished.number == 2 and get_brief(db, 2).title == "New"
    page = list_briefs(db, page=1, per_page=2)
    assert [b.number for b in page.items] == [3, 2] and page.total == 3 and page.pages == 2
    before, after = neighbours(db, 2)
    assert before is not None and before.number == 1 and after is not None and after.number == 3
    assert neighbours(db, 1)[0] is None and neighbours(db, 3)[1] is None
    with pytest.raises(InvalidInputError):
        publish(db, NewBrief(period="2025-13", title="x", lead="", html="<p>x</p>"))
    with pytest.raises(NotFoundError):
        get_brief(db, 99)


def test_one_reaction_per_user_per_brief(db: AppDB) -> None:
    number = _brief(db)
    alice = register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    bob = register_user(db, username="bob", email="b@example.org", password=PASSWORD)
    react(db, number, user_id=alice.id, kind="insightful")
    with pytest.raises(AlreadyReactedError, match="Already reacted for this post"):
        react(db, number, user_id=alice.id, kind="concerned")
    react(db, number, user_id=bob.id, kind="insightful")
    counts = reaction_counts(db, number, user_id=alice.id)
    assert counts.counts == {
        "like": 0,
        "insightful": 2,
        "concerned": 0,
        "agree": 0,
        "disagree": 0,
        "surprised": 0,
    }
    assert counts.mine == "insightful" and counts.total == 2
    with pytest.raises(InvalidInputError):
        react(db, number, user_id=bob.id, kind="angry")


def test_twenty_concurrent_reactions_by_one_user_leave_one_row(db: AppDB) -> None:
    number = _brief(db)
    user = register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    barrier, outcomes = threading.Barrier(20), []

    def attempt(kind: str) -> None:
        barrier.wait()
        try:
            react(db, number, user_id=user.id, kind=kind)
            outcomes.append("ok")
        except AlreadyReactedError:
            outcomes.append("already")

    kinds = ["like", "agree", "concerned", "surprised"] * 5
    threads = [threading.Thread(target=attempt, args=(k,)) for k in kinds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already"] * 19 + ["ok"]
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Reaction)) == 1


def test_brief_notes(db: AppDB) -> None:
    set_brief_note(db, "2025-01", "migration", "Note on migration")
    set_brief_note(db, "2025-01", "trade", "Tariffs")
    set_brief_note(db, "2025-01", "trade", "")
    assert brief_notes(db, "2025-01") == {"migration": "Note on migration"}


# --- comments and annotations -------------------------------------------------------------


def test_comments_are_stored_literally_and_paginated(db: AppDB, clock: Clock) -> None:
    number = _brief(db)
    first = add_comment(db, number, name=SQL_INJECTION, email="x@example.org", text=SQL_INJECTION)
    assert (first.name, first.text) == (SQL_INJECTION, SQL_INJECTION)
    for i in range(24):
        clock.now += dt.timedelta(seconds=1)
        add_comment(db, number, name=f"n{i}", email="x@example.org", text=f"t{i}")
    page = list_comments(db, number, page=2, per_page=20)
    assert page.total == 25 and page.pages == 2 and [c.text for c in page.items][0] == "t19"
    assert list_comments(db, number, per_page=20).items[0].text == SQL_INJECTION
    assert not hasattr(first, "email")


@pytest.mark.parametrize(
    ("name", "email", "text", "problem"),
    [
        ("", "x@example.org", "t", "Name"),
        ("n" * 81, "x@example.org", "t", "Name"),
        ("n", "x@example.org", " ", "Comment"),
        ("n", "x@example.org", "t" * 4001, "Comment"),
        ("n", "nope", "t", "email"),
    ],
)
def test_comment_limits(db: AppDB, name: str, email: str, text: str, problem: str) -> None:
    number = _brief(db)
    with pytest.raises(InvalidInputError, match=problem):
        add_comment(db, number, name=name, email=email, text=text)


def test_authors_delete_and_analysts_hide(db: AppDB) -> None:
    number = _brief(db)
    alice = register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    bob = register_user(db, username="bob", email="b@example.org", password=PASSWORD)
    mine = add_comment(db, number, name="a", email="a@example.org", text="x", user_id=alice.id)
    with pytest.raises(PermissionDeniedError):
        delete_comment(db, mine.id, user=bob)
    with pytest.raises(PermissionDeniedError):
        set_comment_hidden(db, mine.id, user=bob, hidden=True)
    analyst = set_role(db, "bob", "analyst")
    set_comment_hidden(db, mine.id, user=analyst, hidden=True)
    assert list_comments(db, number).total == 0
    assert list_comments(db, number, moderator=True).items[0].hidden
    assert delete_comment(db, mine.id, user=alice) == number
    assert list_comments(db, number, moderator=True).total == 0
    with pytest.raises(NotFoundError):
        delete_comment(db, mine.id, user=alice)


def test_event_annotations(db: AppDB) -> None:
    reader = register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    with pytest.raises(PermissionDeniedError):
        annotate_event(db, "gdelt2:1", "note", user=reader)
    analyst = set_role(db, "alice", "analyst")
    annotate_event(db, "gdelt2:1", SQL_INJECTION, user=analyst)
    notes = event_annotations(db, "gdelt2:1")
    assert [(n.author, n.text) for n in notes] == [("alice", SQL_INJECTION)]


# --- publishing from the brief command ----------------------------------------------------


def test_the_app_database_lives_beside_the_event_store_by_default(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "sub" / "events.duckdb")
    assert app_db_location(settings) == str(tmp_path / "sub" / "dyadwatch-app.sqlite")
    assert (
        app_db_location(Settings(app_db="postgresql+psycopg://h/db")) == "postgresql+psycopg://h/db"
    )


@dataclass(frozen=True)
class FakeSection:
    rank: int
    front: str
    label: str
    verdict: str


@dataclass(frozen=True)
class FakeBriefing:
    """The fields of ``Briefing`` that publishing reads."""

    period: str
    title: str
    lead: str
    sections: tuple[FakeSection, ...]
    generated: dt.datetime


def test_publish_brief_takes_a_briefing_and_its_rendered_html(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "events.duckdb")
    briefing = FakeBriefing(
        period="2025-03",
        title="March 2025",
        lead="Trade moved most.",
        sections=(FakeSection(1, "trade", "Trade", "deteriorated"),),
        generated=dt.datetime(2025, 4, 2, 8, 0),
    )
    page = (
        "<!doctype html><html><head><title>x</title></head><body>"
        "<header><h1>March</h1></header>\n<h2>#1 Trade</h2></body></html>"
    )
    record = publish_brief(settings, briefing, author="cli", html=page, markdown="# March")
    assert (record.number, record.period, record.lead, record.author) == (
        1,
        "2025-03",
        "Trade moved most.",
        "cli",
    )
    assert record.html == "<h2>#1 Trade</h2>" and record.markdown == "# March"
    assert record.sections == (
        {"rank": 1, "front": "trade", "label": "Trade", "verdict": "deteriorated"},
    )
    assert record.created_at == dt.datetime(2025, 4, 2, 8, 0, tzinfo=dt.UTC)
    again = publish_brief(
        settings, NewBrief(period="2025-03", title="New", lead="", html="<p>2</p>")
    )
    assert again.number == 1 and again.title == "New"
    with pytest.raises(InvalidInputError, match="html="):
        publish_brief(settings, briefing)


def test_load_notes_reads_analysts_notes(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "events.duckdb")
    db = AppDB(app_db_location(settings)).open()
    set_brief_note(db, "2025-03", "migration", "Watch the new rule.")
    db.close()
    assert load_notes(settings, "2025-03") == {"migration": "Watch the new rule."}


def test_expired_sessions_and_old_failures_are_pruned(db: AppDB, clock: Clock) -> None:
    from dyadwatch.store.appdb.accounts import prune_login_attempts
    from dyadwatch.store.appdb.sessions import prune_sessions

    user = register_user(db, username="alice", email="a@example.org", password=PASSWORD)
    start_session(db, user.id)
    with pytest.raises(LoginError):
        authenticate(db, username="alice", password="wrong guess", ip="10.0.0.1")
    assert (prune_sessions(db), prune_login_attempts(db)) == (0, 0)
    clock.now += dt.timedelta(days=15)
    assert (prune_sessions(db), prune_login_attempts(db)) == (1, 1)
