"""``create_app(settings)``: the FastAPI dashboard and JSON API (docs/web.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyadwatch.errors import DyadwatchError, StoreError
from dyadwatch.settings import Settings
from dyadwatch.web import api, community, pages
from dyadwatch.web.freshness import Clock, DataThrough
from dyadwatch.web.state import WebState

WEB = Path(str(files("dyadwatch") / "web"))
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers (a strict Content-Security-Policy) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def templates() -> Jinja2Templates:
    """The Jinja environment: autoescaping on for every template."""
    env = Environment(
        loader=FileSystemLoader(str(WEB / "templates")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def create_app(settings: Settings, *, clock: Clock = dt.date.today) -> FastAPI:
    """The dashboard for the store ``settings.db``; nothing is opened until the first
    request (or the warm-up thread, when ``settings.web_warm``). ``clock`` gives the day
    each source's freshness is judged on (docs/web.md, Freshness)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.web_warm:
            pages.warm(app.state.web)
        yield
        app.state.web.close()

    app = FastAPI(
        title="dyadwatch",
        summary=f"An open early-warning monitor for a pair of countries ({settings.pair.title}).",
        version="1",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = WebState(settings)
    app.state.templates = templates()
    app.state.templates.env.globals["pair"] = settings.pair  # names on every page
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    community.install(app, settings)
    _errors(app)
    app.state.clock = clock
    app.add_middleware(DataThrough, state=app.state.web, env=app.state.templates.env, clock=clock)
    app.add_middleware(SecurityHeaders)
    return app


def error_body(error: str, detail: Any) -> dict[str, Any]:
    """Every error's JSON: what went wrong, and the detail that says how to fix it."""
    return {"error": error, "detail": detail}


def _errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {
                "parameter": ".".join(str(p) for p in e.get("loc", ())[1:]) or None,
                "problem": e.get("msg"),
            }
            for e in exc.errors()
        ]
        return JSONResponse(error_body("invalid parameter", detail), status_code=422)

    @app.exception_handler(DyadwatchError)
    async def library(request: Request, exc: DyadwatchError) -> JSONResponse:
        if isinstance(exc, StoreError):
            return JSONResponse(error_body("store unavailable", str(exc)), status_code=503)
        return JSONResponse(error_body("bad request", str(exc)), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {404: "not found", 405: "method not allowed"}
        error = names.get(exc.status_code, "error")
        return JSONResponse(
            error_body(error, exc.detail), status_code=exc.status_code, headers=exc.headers
        )
