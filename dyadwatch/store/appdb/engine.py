"""Opening the app database: the engine, SQLite's pragmas, and ``alembic upgrade head``.

``DYADWATCH_APP_DB`` is a SQLite file path (by default ``dyadwatch-app.sqlite`` beside the
event store) or a SQLAlchemy URL (for example
``postgresql+psycopg://user:password@host/dyadwatch``). SQLite is opened with WAL, foreign
keys and a busy timeout, so that many short writes from web workers wait for each other
instead of failing.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from dyadwatch.errors import AppDbError
from dyadwatch.settings import Settings
from dyadwatch.store.appdb.models import AppKey

Clock = Callable[[], dt.datetime]
BUSY_TIMEOUT_MS = 10_000
DEFAULT_FILE = "dyadwatch-app.sqlite"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def app_db_location(settings: Settings) -> str:
    """``DYADWATCH_APP_DB``, or ``dyadwatch-app.sqlite`` in the event store's folder."""
    return settings.app_db or str(settings.db.expanduser().parent / DEFAULT_FILE)


def database_url(app_db: str) -> str:
    """The SQLAlchemy URL of ``DYADWATCH_APP_DB``: a URL as is, a path as a SQLite URL."""
    if "://" in app_db:
        return app_db
    return f"sqlite+pysqlite:///{Path(app_db).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite connections get WAL, foreign keys and a busy timeout."""
    sqlite = url.startswith("sqlite")
    options: dict[str, Any] = {"pool_pre_ping": not sqlite}
    if sqlite:
        options["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    try:
        engine = create_engine(url, **options)
    except (SQLAlchemyError, ImportError) as exc:
        raise AppDbError(
            f"cannot open the app database {url!r}: {exc}. Fix DYADWATCH_APP_DB "
            "(a SQLite path, or postgresql+psycopg://... with the 'postgres' extra installed)."
        ) from exc
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (``alembic upgrade head``)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("dyadwatch.store.appdb") / "migrations"))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise AppDbError(
            f"cannot migrate the app database {engine.url!r}: {exc}. Check that "
            "DYADWATCH_APP_DB points at a database this user may write."
        ) from exc


class AppDB:
    """The app database of one web app or CLI run: opened and migrated on first use.

    ``clock`` gives the current time (timezone-aware) wherever time matters;
    ``password_hasher`` is argon2id with argon2-cffi's default parameters unless given.
    """

    def __init__(
        self,
        app_db: str,
        *,
        clock: Clock = utcnow,
        password_hasher: PasswordHasher | None = None,
    ) -> None:
        self.url = database_url(app_db)
        self.clock = clock
        self.password_hasher = password_hasher or PasswordHasher()
        self._dummy_hash: str | None = None
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._csrf_key: bytes | None = None

    def open(self) -> AppDB:
        """Create the engine and run the migrations, once."""
        with self._lock:
            if self._engine is None:
                engine = make_engine(self.url)
                migrate(engine)
                self._sessions = sessionmaker(engine, expire_on_commit=False)
                self._engine = engine
        return self

    @property
    def engine(self) -> Engine:
        self.open()
        assert self._engine is not None
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        self.open()
        assert self._sessions is not None
        try:
            with self._sessions() as session, session.begin():
                yield session
        except (OperationalError, InterfaceError) as exc:
            raise AppDbError(
                f"the app database is unavailable: {exc.orig or exc}. Check DYADWATCH_APP_DB "
                "and that the database server is running."
            ) from exc

    def csrf_key(self) -> bytes:
        """The server's CSRF signing key (made by the first migration)."""
        if self._csrf_key is None:
            with self.transaction() as session:
                value = session.scalar(select(AppKey.value).where(AppKey.name == "csrf"))
            if value is None:
                raise AppDbError("the app database has no CSRF key; run its migrations again")
            self._csrf_key = bytes.fromhex(value)
        return self._csrf_key

    def dummy_hash(self) -> str:
        """A hash to check a password against when the username is unknown (same cost)."""
        if self._dummy_hash is None:
            self._dummy_hash = self.password_hasher.hash("not anyone's password")
        return self._dummy_hash

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
            self._engine = None
            self._sessions = None


def open_app_db(
    app_db: str, *, clock: Clock = utcnow, password_hasher: PasswordHasher | None = None
) -> AppDB:
    """The app database at ``app_db`` (a path or URL), migrated to the newest schema."""
    return AppDB(app_db, clock=clock, password_hasher=password_hasher).open()
