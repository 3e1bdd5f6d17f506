"""Query parameters shared by pages and the API, validated before any builder runs.

HTML forms send empty strings for "any"; those mean "no filter". Anything else that is not
a valid value is a 4xx with a JSON message naming the parameter.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from dyadwatch.errors import ConfigError
from dyadwatch.views.common import jsonable
from dyadwatch.views.events import MAX_PER_PAGE, EventQuery

MAX_TEXT = 200
FIRST_YEAR, LAST_YEAR = 1700, 2200  # well inside the dates pandas (the analysis) can hold


def parse_date(name: str, value: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` or empty; anything else is a :class:`ConfigError`."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else _bad_date(name, value)
    except ValueError:
        return _bad_date(name, value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ConfigError(f"{name} must be between {FIRST_YEAR} and {LAST_YEAR}, got {value}")
    return day


def parse_month_param(value: str) -> dt.date:
    """``YYYY-MM`` within the years dates may take, or a :class:`ConfigError`."""
    from dyadwatch.analysis.verdicts import parse_month

    month = parse_month(value)
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise ConfigError(f"month must be between {FIRST_YEAR} and {LAST_YEAR}, got {value}")
    return month


def _bad_date(name: str, value: str) -> dt.date:
    raise ConfigError(f"{name} must be a date written YYYY-MM-DD, got {value[:40]!r}")


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def event_query(
    since: str | None = Query(None, max_length=10, description="First date, YYYY-MM-DD."),
    until: str | None = Query(None, max_length=10, description="Last date, YYYY-MM-DD."),
    direction: str | None = Query(
        None, max_length=7, description="Source-target countries, e.g. USA-MEX."
    ),
    dyad: str | None = Query(
        None, max_length=7, description="Both directions between two countries, e.g. USA-MEX."
    ),
    front: str | None = Query(None, max_length=40, description="A front key, e.g. migration."),
    type: str | None = Query(None, max_length=20, description="A PLOVER type, e.g. ASSAULT."),
    source: str | None = Query(None, max_length=20, description="A source system, e.g. ucdp."),
    q: str | None = Query(
        None, max_length=MAX_TEXT, description="Words in the evidence or actor and place names."
    ),
    own: bool = Query(
        False,
        description="With dyad: also each country's own events about the pair (as the index "
        "counts them).",
    ),
    uncounted: bool = Query(
        False,
        description="Also coded events that are not counted (below the confidence threshold, "
        "or hypothetical, negated, historical or generic).",
    ),
    page: int = Query(1, ge=1, le=1_000_000, description="Page number, from 1."),
    per_page: int = Query(50, ge=1, le=MAX_PER_PAGE, description="Events per page."),
) -> EventQuery:
    """The explorer's filters, as one checked :class:`EventQuery`."""
    return EventQuery(
        since=parse_date("since", since),
        until=parse_date("until", until),
        direction=(_clean(direction) or "").upper() or None,
        dyad=(_clean(dyad) or "").upper() or None,
        front=_clean(front),
        type=(_clean(type) or "").upper() or None,
        source=_clean(source),
        q=_clean(q),
        own=own,
        uncounted=uncounted,
        page=page,
        per_page=per_page,
    ).check()


def json_response(context: Any, *, status_code: int = 200) -> Response:
    """The context as JSON (dataclasses, dates and tuples made plain)."""
    body = json.dumps(jsonable(context), ensure_ascii=False, separators=(",", ":"))
    return Response(body, status_code=status_code, media_type="application/json")


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    """A page from its template."""
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(request, template, context)
    return response


def render_cached(request: Request, template: str, page: Any) -> HTMLResponse:
    """A page whose context object is cached: its HTML is rendered once per object."""
    state = request.app.state.web
    env = request.app.state.templates.env
    html = state.derived(
        f"html:{template}:{request.url.path}",
        (id(page),),
        lambda: env.get_template(template).render(page=page),
    )
    return HTMLResponse(html)


def json_cached(request: Request, page: Any) -> Response:
    """The JSON of a cached context object, serialized once per object."""
    state = request.app.state.web
    body = state.derived(
        f"json:{request.url.path}",
        (id(page),),
        lambda: json.dumps(jsonable(page), ensure_ascii=False, separators=(",", ":")),
    )
    return Response(body, media_type="application/json")


def error_json(error: str, detail: Any, status_code: int) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status_code)
