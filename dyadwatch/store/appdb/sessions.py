"""Signed-in sessions: a random token in the browser's cookie, its SHA-256 in the database.

Each session has its own CSRF secret (the synchronizer token of its forms). Logging in
always makes a new session (a new token) and ends the one the browser had, so that a token
planted before login is worth nothing after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select

from dyadwatch.store.appdb.accounts import user_record
from dyadwatch.store.appdb.engine import AppDB
from dyadwatch.store.appdb.models import User, WebSession
from dyadwatch.store.appdb.records import SessionInfo

SESSION_LIFETIME = dt.timedelta(days=14)
MAX_TOKEN = 128


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start_session(db: AppDB, user_id: int, *, replacing: str | None = None) -> str:
    """A new session for ``user_id``: its cookie token. The ``replacing`` token's session
    (the one the browser had before) is ended."""
    token, now = secrets.token_urlsafe(32), db.clock()
    with db.transaction() as session:
        if replacing:
            session.execute(delete(WebSession).where(WebSession.id == _key(replacing)))
        session.add(
            WebSession(
                id=_key(token),
                user_id=user_id,
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
                csrf_secret=secrets.token_urlsafe(32),
            )
        )
    return token


def read_session(db: AppDB, token: str | None) -> SessionInfo | None:
    """The live session of ``token``, or None (unknown, malformed or expired)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    now = db.clock()
    with db.transaction() as session:
        row = session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.id == _key(token))
        ).first()
        if row is None:
            return None
        web, user = row
        if web.expires_at <= now:
            session.delete(web)
            return None
        return SessionInfo(user_record(user), web.csrf_secret, web.expires_at)


def end_session(db: AppDB, token: str | None) -> None:
    """Log out: the session of ``token`` is deleted."""
    if token and len(token) <= MAX_TOKEN:
        with db.transaction() as session:
            session.execute(delete(WebSession).where(WebSession.id == _key(token)))


def end_user_sessions(db: AppDB, user_id: int) -> int:
    """Log a user out everywhere; the number of sessions ended."""
    with db.transaction() as session:
        result = session.execute(delete(WebSession).where(WebSession.user_id == user_id))
        return int(result.rowcount)  # type: ignore[attr-defined]


def prune_sessions(db: AppDB) -> int:
    """Delete expired sessions; the number deleted."""
    with db.transaction() as session:
        result = session.execute(delete(WebSession).where(WebSession.expires_at <= db.clock()))
        return int(result.rowcount)  # type: ignore[attr-defined]
