"""``/api/v1``: events, index, alerts, verdicts and forecasts as JSON (docs/web.md).

Every answer is a JSON object with a ``data_through`` field: each source's data-through
date (:mod:`dyadwatch.web.freshness`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from dyadwatch.analysis import IndexSpec, compute_index, monthly_verdicts
from dyadwatch.analysis.index import Freq, Per
from dyadwatch.forecast.targets import TARGETS
from dyadwatch.views.common import jsonable
from dyadwatch.views.events import EventQuery
from dyadwatch.views.forecasts import build_forecasts
from dyadwatch.web import contexts
from dyadwatch.web.freshness import current, data_through
from dyadwatch.web.params import (
    MAX_TEXT,
    event_query,
    json_response,
    parse_date,
    parse_month_param,
)
from dyadwatch.web.state import WebState

API_WAIT = 300.0  # the API waits for a cache being built (pages say it is pending)
router = APIRouter(prefix="/api/v1", tags=["api"])


class Answer(BaseModel):
    """What every answer has besides its own fields (documented for each endpoint)."""

    model_config = ConfigDict(extra="allow")
    data_through: dict[str, dt.date] = Field(
        description="Each source's data-through date: its newest event or document, or the "
        "last day of its newest month for an indicator series (docs/web.md, Freshness). "
        "The X-Data-Stale header names the sources older than their cadence."
    )


ERRORS: dict[int | str, dict[str, Any]] = {
    200: {"model": Answer, "description": "The answer, with each source's data-through date."},
    400: {"description": "A parameter has a valid form but an unusable value."},
    422: {"description": "A parameter is malformed."},
}


def _web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def answer(request: Request, body: Any) -> Response:
    """``body`` (an object) as JSON, with each source's data-through date added."""
    items = current(_web(request), request.app.state.clock())
    return json_response({**jsonable(body), "data_through": data_through(items)})


@router.get("/events", responses=ERRORS)
def events(
    request: Request,
    query: EventQuery = Depends(event_query),
    limit: int | None = Query(None, ge=1, le=200, description="Same as per_page."),
) -> Response:
    """Events matching the filters, newest first: ``{"items", "total", "next"}``."""
    if limit is not None:
        query = dataclasses.replace(query, per_page=limit)
    page = contexts.events_page(_web(request), query, base="/api/v1/events")
    return answer(
        request,
        {
            "items": page.items,
            "total": page.total,
            "total_is_estimate": page.total_is_estimate,
            "page": query.page,
            "per_page": query.per_page,
            "next": page.next,
            "previous": page.previous,
        },
    )


@router.get("/index", responses=ERRORS)
def index(
    request: Request,
    freq: Freq = Query("month"),
    front: str | None = Query(None, max_length=40, description="A front key."),
    source: list[str] | None = Query(None, max_length=10, description="Source system(s)."),
    per: Per = Query("report"),
    own: bool = Query(False, description="Add each country's own events on the pair."),
    since: str | None = Query(None, max_length=10, description="YYYY-MM-DD"),
    until: str | None = Query(None, max_length=10, description="YYYY-MM-DD"),
) -> Response:
    """The conflict–cooperation index per period, direction and source (docs/indices.md)."""
    state = _web(request)
    spec = IndexSpec(
        dyad=state.settings.dyad_countries,
        freq=freq,
        front=front or None,
        sources=tuple(s[:MAX_TEXT] for s in source) if source else None,
        per=per,
        own=own,
        since=parse_date("since", since),
        until=parse_date("until", until),
    )
    rows = state.lru(("index", spec), lambda s: compute_index(s.ibis.table("events"), spec))
    return answer(request, {"items": rows})


@router.get("/alerts", responses=ERRORS)
def alerts(
    request: Request,
    since: str | None = Query(None, max_length=10, description="Alerts ending on or after."),
    limit: int = Query(50, ge=1, le=1000),
) -> Response:
    """Alerts of the last two years (docs/alerts.md), newest and most severe first."""
    state = _web(request)
    start = parse_date("since", since)
    found = contexts.alerts(state, wait=API_WAIT)
    items = [a for a in found.alerts if start is None or a.end >= start.isoformat()]
    return answer(
        request, {"items": items[:limit], "total": len(items), "computed_since": found.since}
    )


@router.get("/verdicts", responses=ERRORS)
def verdicts(
    request: Request,
    month: str | None = Query(None, max_length=7, description="YYYY-MM (default: latest)."),
) -> Response:
    """Monthly verdicts, overall and per front, with their evidence."""
    from dyadwatch.analysis.verdicts import verdicts_as_dicts

    state = _web(request)
    if not month:
        snap = contexts.snapshot(state, wait=API_WAIT)
        latest = snap.month.strftime("%Y-%m") if snap and snap.month else None
        rows = verdicts_as_dicts(list(snap.verdicts)) if snap else []
        return answer(request, {"month": latest, "items": rows})
    chosen = parse_month_param(month)
    rows = state.lru(
        ("verdicts", chosen),
        lambda s: verdicts_as_dicts(monthly_verdicts(s, state.settings, chosen)),
    )
    return answer(request, {"month": month, "items": rows})


@router.get("/forecasts", responses=ERRORS)
def forecasts(
    request: Request,
    target: str | None = Query(None, max_length=40, description="A forecast target."),
) -> Response:
    """The latest stored forecast and backtest scores per target."""
    state = _web(request)
    if target and target not in TARGETS:
        raise HTTPException(404, f"unknown target {target!r}; known: {', '.join(TARGETS)}")
    if not target:
        return answer(request, contexts.forecasts(state))
    return answer(
        request,
        state.lru(
            ("forecasts", target), lambda s: build_forecasts(s, state.settings, target=target)
        ),
    )
