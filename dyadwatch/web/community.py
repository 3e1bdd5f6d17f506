"""Published briefs and the community around them: the list and brief pages with their
``.json`` twins, six reactions, comments, and publishing by analysts (docs/community.md).

Every POST checks its CSRF token first (403). Reacting needs a signed-in user; a second
reaction to the same brief changes nothing and shows "Already reacted for this post".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import escape
from starlette.concurrency import run_in_threadpool

from dyadwatch.errors import (
    AlreadyReactedError,
    AppDbError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from dyadwatch.settings import Settings
from dyadwatch.store.appdb import (
    REACTION_KINDS,
    Annotation,
    AppDB,
    BriefList,
    BriefRecord,
    BriefSummary,
    CommentPage,
    NewBrief,
    ReactionCounts,
    add_comment,
    annotate_event,
    delete_comment,
    event_annotations,
    get_brief,
    list_briefs,
    list_comments,
    neighbours,
    publish,
    react,
    reaction_counts,
    set_comment_hidden,
)
from dyadwatch.store.appdb.accounts import prune_login_attempts
from dyadwatch.store.appdb.sessions import prune_sessions
from dyadwatch.web import accounts
from dyadwatch.web.accounts import FIELD
from dyadwatch.web.auth import CommunityState, app_db, check_csrf, require_user, visitor
from dyadwatch.web.params import json_response

log = logging.getLogger("dyadwatch.web")
router = APIRouter(include_in_schema=False)
router.include_router(accounts.router)
BRIEFS_PER_PAGE = 10
COMMENTS_PER_PAGE = 20
LOGIN_TO_REACT = "Please log in or register to react"
ALREADY_REACTED = "Already reacted for this post"


@dataclass(frozen=True)
class BriefPage:
    """One brief with its reactions, a page of its comments, and its neighbours."""

    brief: BriefRecord
    reactions: ReactionCounts
    comments: CommentPage
    previous: BriefSummary | None
    next: BriefSummary | None
    kinds: tuple[str, ...] = REACTION_KINDS


def install(app: FastAPI, settings: Settings, db: AppDB | None = None) -> None:
    """Add the community to ``app``: its routes, and the app database, migrated at startup
    (when it cannot be opened, the error is logged and community pages answer 503)."""
    state = CommunityState(settings, db)
    app.state.community = state
    app.include_router(router)
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await run_in_threadpool(_open_and_prune, state.db)
        except AppDbError:  # the dashboard still serves; community pages answer 503
            log.exception("the app database could not be opened at startup")
        async with inner(app):
            yield
        state.close()

    app.router.lifespan_context = lifespan
    app.add_exception_handler(AppDbError, _app_db_error)


def _open_and_prune(db: AppDB) -> None:
    """Migrate, then drop expired sessions and failed logins older than the window."""
    db.open()
    prune_sessions(db)
    prune_login_attempts(db)


async def _app_db_error(request: Request, exc: Exception) -> Response:
    """An unavailable app database is 503; any other refusal not handled by a route, 400."""
    status = 503 if type(exc) is AppDbError else 400
    error = "app database unavailable" if status == 503 else "bad request"
    return json_response({"error": error, "detail": str(exc)}, status_code=status)


# --- briefs ------------------------------------------------------------------------


def _brief_list(request: Request, page_number: int) -> BriefList:
    return list_briefs(app_db(request), page=page_number, per_page=BRIEFS_PER_PAGE)


@dataclass(frozen=True)
class BriefsJson:
    """``/briefs.json``: a page of briefs with links to its neighbours, like ``/events.json``."""

    items: tuple[BriefSummary, ...]
    total: int
    page: int
    per_page: int
    pages: int
    next: str | None
    previous: str | None


@router.get("/briefs.json")
def briefs_json(request: Request, page: int = Query(1, ge=1, le=100_000)) -> Response:
    found = _brief_list(request, page)
    link = "/briefs.json?page={}".format
    return json_response(
        BriefsJson(
            items=found.items,
            total=found.total,
            page=found.page,
            per_page=found.per_page,
            pages=found.pages,
            next=link(page + 1) if page < found.pages else None,
            previous=link(page - 1) if page > 1 else None,
        )
    )


@router.get("/briefs")
def briefs_page(request: Request, page: int = Query(1, ge=1, le=100_000)) -> Response:
    return accounts.page(request, "briefs.html", page=_brief_list(request, page))


def _brief_page(request: Request, number: int, comments_page: int) -> BriefPage:
    db, user = app_db(request), visitor(request).user
    try:
        brief = get_brief(db, number)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    moderator = bool(user and user.can("analyst"))
    previous, following = neighbours(db, number)
    return BriefPage(
        brief=brief,
        reactions=reaction_counts(db, number, user_id=user.id if user else None),
        comments=list_comments(
            db, number, page=comments_page, per_page=COMMENTS_PER_PAGE, moderator=moderator
        ),
        previous=previous,
        next=following,
    )


@router.get("/briefs/{number:int}.json")
def brief_json(request: Request, number: int, page: int = Query(1, ge=1, le=100_000)) -> Response:
    return json_response(_brief_page(request, number, page))


@router.get("/briefs/{number:int}")
def brief_page(request: Request, number: int, page: int = Query(1, ge=1, le=100_000)) -> Response:
    return _show(request, number, comments_page=page)


def _show(
    request: Request,
    number: int,
    *,
    comments_page: int = 1,
    status: int = 200,
    notice: str | None = None,
    comment_error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    context = _brief_page(request, number, comments_page)
    user = visitor(request).user
    prefill = {"name": user.username, "email": user.email} if user else {}
    return accounts.page(
        request,
        "brief.html",
        status=status,
        page=context,
        notice=notice,
        comment_error=comment_error,
        form=form if form is not None else prefill,
        login_to_react=LOGIN_TO_REACT,
    )


# --- reactions and comments ------------------------------------------------------------


@router.post("/briefs/{number:int}/react")
def react_to_brief(
    request: Request,
    number: int,
    kind: str = Form("", max_length=FIELD),
    csrf_token: str = Form("", max_length=FIELD),
) -> Response:
    """React once. A second attempt changes nothing: the brief page again, with "Already
    reacted for this post" (JSON clients, ``Accept: application/json``, get 409)."""
    found = check_csrf(request, csrf_token)
    if found.user is None:
        return _refuse(request, number, 401, LOGIN_TO_REACT)
    try:
        react(app_db(request), number, user_id=found.user.id, kind=kind)
    except AlreadyReactedError:
        return _refuse(request, number, 409, ALREADY_REACTED)
    except InvalidInputError as exc:
        return _refuse(request, number, 400, str(exc))
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    if _wants_json(request):
        counts = reaction_counts(app_db(request), number, user_id=found.user.id)
        return json_response(counts, status_code=201)
    return RedirectResponse(f"/briefs/{number}#reactions", status_code=303)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _refuse(request: Request, number: int, status: int, message: str) -> Response:
    """The refusal as JSON with ``status``, or as the brief page with the message (already
    reacted is a normal outcome of the page, so it keeps 200 there)."""
    if _wants_json(request):
        return json_response({"error": message, "detail": message}, status_code=status)
    return _show(request, number, status=200 if status == 409 else status, notice=message)


@router.post("/briefs/{number:int}/comments")
def comment_on_brief(
    request: Request,
    number: int,
    name: str = Form("", max_length=FIELD),
    email: str = Form("", max_length=FIELD),
    text: str = Form("", max_length=10 * FIELD),
    csrf_token: str = Form("", max_length=FIELD),
) -> Response:
    found = check_csrf(request, csrf_token)
    user_id = found.user.id if found.user else None
    try:
        comment = add_comment(
            app_db(request), number, name=name, email=email, text=text, user_id=user_id
        )
    except InvalidInputError as exc:
        form = {"name": name, "email": email, "text": text}
        return _show(request, number, status=400, comment_error=str(exc), form=form)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    last = list_comments(app_db(request), number, per_page=COMMENTS_PER_PAGE).pages
    return RedirectResponse(f"/briefs/{number}?page={last}#comment-{comment.id}", status_code=303)


@router.post("/comments/{comment_id:int}/delete")
def remove_comment(
    request: Request, comment_id: int, csrf_token: str = Form("", max_length=FIELD)
) -> Response:
    check_csrf(request, csrf_token)
    user = require_user(request)
    try:
        number = delete_comment(app_db(request), comment_id, user=user)
    except PermissionDeniedError as exc:
        raise HTTPException(403, str(exc)) from exc
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    return RedirectResponse(f"/briefs/{number}#comments", status_code=303)


@router.post("/comments/{comment_id:int}/hide")
def hide_comment(
    request: Request,
    comment_id: int,
    hidden: str = Form("1", max_length=1),
    csrf_token: str = Form("", max_length=FIELD),
) -> Response:
    check_csrf(request, csrf_token)
    user = require_user(request, "analyst")
    try:
        number = set_comment_hidden(app_db(request), comment_id, user=user, hidden=hidden != "0")
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    return RedirectResponse(f"/briefs/{number}#comment-{comment_id}", status_code=303)


# --- publishing and annotations (analysts) ----------------------------------------------


@router.get("/briefs/publish")
def publish_form(request: Request) -> Response:
    require_user(request, "analyst")
    return accounts.page(request, "publish.html", error=None, form={})


@router.post("/briefs/publish")
def publish_from_form(
    request: Request,
    period: str = Form("", max_length=20),
    title: str = Form("", max_length=FIELD),
    lead: str = Form("", max_length=10 * FIELD),
    body: str = Form("", max_length=200 * FIELD),
    csrf_token: str = Form("", max_length=FIELD),
) -> Response:
    """An analyst publishes a brief written in the form (plain text, escaped)."""
    check_csrf(request, csrf_token)
    user = require_user(request, "analyst")
    new = NewBrief(
        period=period.strip(),
        title=title,
        lead=lead.strip(),
        html=paragraphs(body),
        markdown=body,
        author=user.username,
    )
    try:
        brief = publish(app_db(request), new, author_id=user.id)
    except InvalidInputError as exc:
        form = {"period": period, "title": title, "lead": lead, "body": body}
        return accounts.page(request, "publish.html", status=400, error=str(exc), form=form)
    return RedirectResponse(f"/briefs/{brief.number}", status_code=303)


def paragraphs(text: str) -> str:
    """Plain text as escaped HTML paragraphs (blank lines separate them)."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "\n".join(f"<p>{escape(b)}</p>" for b in blocks)


@router.get("/events/{event_id}/annotations.json")
def annotations_json(request: Request, event_id: str) -> Response:
    notes: tuple[Annotation, ...] = event_annotations(app_db(request), event_id[:200])
    return json_response({"event_id": event_id[:200], "annotations": notes})


@router.post("/events/{event_id}/annotations")
def annotate(
    request: Request,
    event_id: str,
    text: str = Form("", max_length=10 * FIELD),
    csrf_token: str = Form("", max_length=FIELD),
) -> Response:
    check_csrf(request, csrf_token)
    user = require_user(request, "analyst")
    try:
        note = annotate_event(app_db(request), event_id, text, user=user)
    except InvalidInputError as exc:
        raise HTTPException(400, str(exc)) from exc
    return json_response(note, status_code=201)
