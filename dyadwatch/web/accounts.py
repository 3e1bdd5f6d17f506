"""Register, log in, log out, and roles (docs/community.md).

``/register`` and ``/login`` are HTML forms with a hidden ``csrf_token``. Logging in makes
a new session id (the old one is ended); five failed logins within 15 minutes, per
username or per address, get 429 with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from dyadwatch.errors import (
    DuplicateError,
    InvalidInputError,
    LoginError,
    NotFoundError,
    RateLimitError,
)
from dyadwatch.store.appdb import (
    ROLES,
    authenticate,
    end_session,
    list_users,
    register_user,
    set_role,
    start_session,
)
from dyadwatch.web.auth import (
    app_db,
    check_csrf,
    clear_session_cookie,
    client_ip,
    remember_nonce,
    require_user,
    safe_next,
    set_session_cookie,
    visitor,
)
from dyadwatch.web.params import json_response, render

router = APIRouter(include_in_schema=False)
FIELD = 1000
USERS_PER_PAGE = 50


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> Response:
    """A community page: the visitor and their CSRF token in the context."""
    found = visitor(request)
    response = render(request, template, me=found.user, csrf_token=found.csrf_token, **context)
    response.status_code = status
    return remember_nonce(request, response)


def _logged_in(request: Request, user_id: int, target: str) -> Response:
    found = visitor(request)
    token = start_session(app_db(request), user_id, replacing=found.session_token)
    response = RedirectResponse(safe_next(target), status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.get("/register")
def register_form(request: Request, next: str = "/briefs") -> Response:
    return page(request, "register.html", next=safe_next(next), error=None, form={})


@router.post("/register")
def register(
    request: Request,
    username: str = Form("", max_length=FIELD),
    email: str = Form("", max_length=FIELD),
    password: str = Form("", max_length=FIELD),
    csrf_token: str = Form("", max_length=FIELD),
    next: str = Form("/briefs", max_length=FIELD),
) -> Response:
    check_csrf(request, csrf_token)
    try:
        user = register_user(app_db(request), username=username, email=email, password=password)
    except (InvalidInputError, DuplicateError) as exc:
        status = 409 if isinstance(exc, DuplicateError) else 400
        form = {"username": username, "email": email}
        return page(request, "register.html", status=status, next=next, error=str(exc), form=form)
    return _logged_in(request, user.id, next)


@router.get("/login")
def login_form(request: Request, next: str = "/briefs") -> Response:
    return page(request, "login.html", next=safe_next(next), error=None, form={})


@router.post("/login")
def login(
    request: Request,
    username: str = Form("", max_length=FIELD),
    password: str = Form("", max_length=FIELD),
    csrf_token: str = Form("", max_length=FIELD),
    next: str = Form("/briefs", max_length=FIELD),
) -> Response:
    check_csrf(request, csrf_token)
    form = {"username": username}
    try:
        user = authenticate(
            app_db(request), username=username, password=password, ip=client_ip(request)
        )
    except RateLimitError as exc:
        response = page(request, "login.html", status=429, next=next, error=str(exc), form=form)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except LoginError as exc:
        return page(request, "login.html", status=400, next=next, error=str(exc), form=form)
    return _logged_in(request, user.id, next)


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("", max_length=FIELD)) -> Response:
    found = check_csrf(request, csrf_token)
    end_session(app_db(request), found.session_token)
    response = RedirectResponse("/briefs", status_code=303)
    clear_session_cookie(request, response)
    return response


@router.get("/users")
def users_page(request: Request, page_number: int = Query(1, alias="page", ge=1)) -> Response:
    """Admins: the users and their roles, each with a form to change it."""
    require_user(request, "admin")
    users = list_users(app_db(request), page=page_number, per_page=USERS_PER_PAGE)
    return page(
        request,
        "users.html",
        users=users,
        roles=ROLES,
        page_number=page_number,
        more=len(users) == USERS_PER_PAGE,
    )


@router.post("/users/{username}/role")
def change_role(
    request: Request,
    username: str,
    role: str = Form("", max_length=20),
    csrf_token: str = Form("", max_length=FIELD),
) -> Response:
    """An admin gives ``username`` the role reader, analyst or admin (JSON clients get the
    user's new role; forms go back to ``/users``)."""
    check_csrf(request, csrf_token)
    require_user(request, "admin")
    if role not in ROLES:
        raise HTTPException(400, f"role must be one of {', '.join(ROLES)}")
    try:
        user = set_role(app_db(request), username, role)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    if "application/json" in request.headers.get("accept", ""):
        return json_response({"username": user.username, "role": user.role})
    return RedirectResponse("/users", status_code=303)
