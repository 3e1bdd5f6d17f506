"""Who is asking, and may they post this form: sessions and CSRF tokens for the web site.

* A signed-in browser holds ``dw_session`` (HttpOnly, SameSite=Lax, Secure over HTTPS), a
  random token whose SHA-256 names a row of the app database's ``sessions``. Its forms
  carry that session's CSRF secret (a synchronizer token).
* An anonymous browser holds ``dw_csrf``, a random nonce (HttpOnly, SameSite=Lax); its
  forms carry HMAC-SHA256(server key, nonce), a signed double-submit token, so a cookie
  planted by someone else is worthless without the server's key.

Every POST checks its ``csrf_token`` before anything else: missing or wrong is 403.
HTTPS is the request's scheme; behind a TLS proxy, uvicorn's proxy headers
(``X-Forwarded-Proto`` from an address in ``--forwarded-allow-ips``) make it ``https``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.responses import Response

from dyadwatch.settings import Settings
from dyadwatch.store.appdb import AppDB, SessionInfo, UserRecord, app_db_location, read_session
from dyadwatch.store.appdb.sessions import SESSION_LIFETIME

SESSION_COOKIE = "dw_session"
ANON_COOKIE = "dw_csrf"
MAX_COOKIE = 128


class CommunityState:
    """The app database of one web app (opened and migrated on first use or at startup)."""

    def __init__(self, settings: Settings, db: AppDB | None = None) -> None:
        self.settings = settings
        self.db = db or AppDB(app_db_location(settings))

    def close(self) -> None:
        self.db.close()


def community(request: Request) -> CommunityState:
    state: CommunityState = request.app.state.community
    return state


def app_db(request: Request) -> AppDB:
    return community(request).db


@dataclass(frozen=True)
class Visitor:
    """The browser behind a request: its session (if signed in) and its CSRF token."""

    session: SessionInfo | None
    session_token: str | None
    nonce: str
    new_nonce: bool
    csrf_token: str

    @property
    def user(self) -> UserRecord | None:
        return self.session.user if self.session else None


def _cookie(request: Request, name: str) -> str | None:
    value = request.cookies.get(name)
    return value if value and len(value) <= MAX_COOKIE else None


def _sign(db: AppDB, nonce: str) -> str:
    return hmac.new(db.csrf_key(), nonce.encode(), hashlib.sha256).hexdigest()


def visitor(request: Request) -> Visitor:
    """The request's visitor (a FastAPI dependency), read once per request."""
    cached = getattr(request.state, "visitor", None)
    if isinstance(cached, Visitor):
        return cached
    db = app_db(request)
    token = _cookie(request, SESSION_COOKIE)
    session = read_session(db, token)
    nonce = _cookie(request, ANON_COOKIE)
    new_nonce = nonce is None
    nonce = nonce or secrets.token_urlsafe(24)
    csrf = session.csrf_secret if session else _sign(db, nonce)
    found = Visitor(session, token if session else None, nonce, new_nonce, csrf)
    request.state.visitor = found
    return found


def check_csrf(request: Request, submitted: str | None) -> Visitor:
    """The visitor, when ``submitted`` is their CSRF token; else 403."""
    found = visitor(request)
    if not submitted or found.new_nonce and found.session is None:
        raise HTTPException(403, "missing or expired CSRF token: reload the form and send again")
    if not hmac.compare_digest(submitted.encode(), found.csrf_token.encode()):
        raise HTTPException(403, "wrong CSRF token: reload the form and send again")
    return found


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def remember_nonce(request: Request, response: Response) -> Response:
    """Set the anonymous CSRF cookie on ``response`` when this request made a new one."""
    found = getattr(request.state, "visitor", None)
    if isinstance(found, Visitor) and found.new_nonce and found.session is None:
        response.set_cookie(
            ANON_COOKIE,
            found.nonce,
            httponly=True,
            samesite="lax",
            secure=is_https(request),
            path="/",
        )
    return response


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=is_https(request), path="/"
    )


def require_user(request: Request, role: str = "reader") -> UserRecord:
    """The signed-in user with at least ``role``; 401 when anonymous, 403 when lower."""
    user = visitor(request).user
    if user is None:
        raise HTTPException(401, "log in first")
    if not user.can(role):
        raise HTTPException(403, f"this needs the {role} role")
    return user


def safe_next(target: str | None, default: str = "/briefs") -> str:
    """A local path to go to after a form, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target[:500]
