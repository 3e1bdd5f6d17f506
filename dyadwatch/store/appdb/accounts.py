"""Users: registration rules, argon2id passwords, roles, and rate-limited login.

Passwords are hashed with argon2-cffi's ``PasswordHasher`` (argon2id). A login checks the
password of an unknown user against a dummy hash too, so that the time taken does not tell
whether a username exists, and rehashes a password whose hash used older parameters.

A failed login is recorded by username and by address. With ``MAX_FAILURES`` failures for
either within ``WINDOW``, further logins are refused (:class:`RateLimitError`, with the
seconds until the oldest failure in the window expires) without checking the password.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from dyadwatch.errors import (
    DuplicateError,
    InvalidInputError,
    LoginError,
    NotFoundError,
    RateLimitError,
)
from dyadwatch.store.appdb.engine import AppDB
from dyadwatch.store.appdb.models import ROLES, LoginAttempt, User
from dyadwatch.store.appdb.records import UserRecord

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
USERNAME_LENGTH = (3, 40)
PASSWORD_LENGTH = (8, 256)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
COMMON_PASSWORDS = frozenset(
    ["password", "password1", "12345678", "123456789", "1234567890", "qwertyuiop", "11111111"]
)


def hasher(db: AppDB) -> tuple[PasswordHasher, str]:
    """The app's password hasher, and a dummy hash checked for unknown users."""
    return db.password_hasher, db.dummy_hash()


def username_key(username: str) -> str:
    """The case-insensitive form under which usernames are unique."""
    return unicodedata.normalize("NFKC", username).casefold()


def check_username(raw: str) -> str:
    """The username, trimmed; 3 to 40 printable characters."""
    name = unicodedata.normalize("NFC", raw.strip())
    low, high = USERNAME_LENGTH
    if not low <= len(name) <= high:
        raise InvalidInputError(f"a username has {low} to {high} characters")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise InvalidInputError("a username cannot hold control or invisible characters")
    return name


def check_email(raw: str) -> str:
    """The email, trimmed and lowercased; it must look like name@domain.tld."""
    email = raw.strip().lower()
    if len(email) > 254 or not EMAIL.match(email):
        raise InvalidInputError("enter an email address such as name@example.org")
    return email


def check_password(password: str, username: str) -> None:
    """8 to 256 characters, not a common password, and not containing the username."""
    low, high = PASSWORD_LENGTH
    if not low <= len(password) <= high:
        raise InvalidInputError(f"a password has {low} to {high} characters")
    if password.casefold() in COMMON_PASSWORDS or not password.strip():
        raise InvalidInputError("this password is too common; choose a longer phrase")
    if username_key(username) in username_key(password):
        raise InvalidInputError("a password must not contain the username")


def user_record(user: User) -> UserRecord:
    return UserRecord(user.id, user.username, user.email, user.role, user.created_at)


def register_user(
    db: AppDB, *, username: str, email: str, password: str, role: str = "reader"
) -> UserRecord:
    """A new user; :class:`InvalidInputError` or :class:`DuplicateError` when it cannot be."""
    name, address = check_username(username), check_email(email)
    check_password(password, name)
    if role not in ROLES:
        raise InvalidInputError(f"role must be one of {', '.join(ROLES)}")
    ph, _ = hasher(db)
    user = User(
        username=name,
        username_key=username_key(name),
        email=address,
        password_hash=ph.hash(password),
        role=role,
        created_at=db.clock(),
    )
    try:
        with db.transaction() as session:
            _refuse_duplicates(session, user)
            session.add(user)
            session.flush()
            return user_record(user)
    except IntegrityError as exc:
        raise DuplicateError("this username or email is already registered") from exc


def _refuse_duplicates(session: Session, user: User) -> None:
    if session.scalar(select(User.id).where(User.username_key == user.username_key)):
        raise DuplicateError("this username is taken; choose another")
    if session.scalar(select(User.id).where(User.email == user.email)):
        raise DuplicateError("this email is already registered; log in instead")


def get_user(db: AppDB, user_id: int) -> UserRecord:
    with db.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFoundError(f"no user {user_id}")
        return user_record(user)


def list_users(db: AppDB, *, page: int = 1, per_page: int = 50) -> tuple[UserRecord, ...]:
    """Users in order of registration."""
    with db.transaction() as session:
        rows = session.scalars(
            select(User).order_by(User.id).offset((page - 1) * per_page).limit(per_page)
        ).all()
        return tuple(user_record(u) for u in rows)


def set_role(db: AppDB, username: str, role: str) -> UserRecord:
    """Give ``username`` the role reader, analyst or admin."""
    if role not in ROLES:
        raise InvalidInputError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username_key == username_key(username)))
        if user is None:
            raise NotFoundError(f"no user named {username!r}")
        user.role = role
        return user_record(user)


def authenticate(db: AppDB, *, username: str, password: str, ip: str) -> UserRecord:
    """The user whose password this is; :class:`RateLimitError` when this username or
    address failed too often lately, :class:`LoginError` when wrong."""
    key, ip, now = username_key(username.strip())[:160], ip[:64], db.clock()
    check_rate_limit(db, key, ip, now)
    ph, dummy = hasher(db)
    with db.transaction() as session:
        user = session.scalar(select(User).where(User.username_key == key))
        if _verify(ph, user.password_hash if user else dummy, password) and user is not None:
            if ph.check_needs_rehash(user.password_hash):
                user.password_hash = ph.hash(password)
            session.execute(delete(LoginAttempt).where(LoginAttempt.username_key == key))
            return user_record(user)
        session.add(LoginAttempt(username_key=key, ip=ip, at=now))
    raise LoginError("wrong username or password")


def _verify(ph: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return ph.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def check_rate_limit(db: AppDB, key: str, ip: str, now: dt.datetime) -> None:
    """:class:`RateLimitError` when ``key`` or ``ip`` has MAX_FAILURES failures in WINDOW."""
    since = now - WINDOW
    with db.transaction() as session:
        for column, value in ((LoginAttempt.username_key, key), (LoginAttempt.ip, ip)):
            count, oldest = _failures(session, column, value, since)
            if count >= MAX_FAILURES and oldest is not None:
                wait = int((oldest + WINDOW - now).total_seconds()) + 1
                raise RateLimitError(
                    "too many failed logins; try again in a few minutes",
                    retry_after=max(wait, 1),
                )


def _failures(
    session: Session, column: InstrumentedAttribute[str], value: str, since: dt.datetime
) -> tuple[int, dt.datetime | None]:
    recent = (
        select(LoginAttempt.at)
        .where(column == value, LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())
        .limit(MAX_FAILURES)
        .subquery()
    )
    count, oldest = session.execute(select(func.count(), func.min(recent.c.at))).one()
    return int(count), oldest


def prune_login_attempts(db: AppDB) -> int:
    """Delete failures older than the window; the number deleted."""
    since = db.clock() - WINDOW
    with db.transaction() as session:
        result = session.execute(delete(LoginAttempt).where(LoginAttempt.at <= since))
        return int(result.rowcount)  # type: ignore[attr-defined]
