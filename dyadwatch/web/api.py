"""``/api/v1``: events, index, alerts, verdicts and forecasts as JSON (docs/web.md)."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from dyadwatch.analysis import IndexSpec, compute_index, monthly_verdicts
from dyadwatch.briefs.events import EventQuery
from dyadwatch.briefs.forecasts import build_forecasts
from dyadwatch.forecast.targets import TARGETS
from dyadwatch.web import contexts
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
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A parameter has a valid form but an unusable value."},
    422: {"description": "A parameter is malformed."},
}


def _web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


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
    return json_response(
        {
            "items": page.items,
            "total": page.total,
            "total_is_estimate": page.total_is_estimate,
            "page": query.page,
            "per_page": query.per_page,
            "next": page.next,
            "previous": page.previous,
        }
    )


@router.get("/index", responses=ERRORS)
def index(
    request: Request,
    freq: Literal["day", "week", "month"] = Query("month"),
    front: str | None = Query(None, max_length=40, description="A front key."),
    source: list[str] | None = Query(None, max_length=10, description="Source system(s)."),
    per: Literal["report", "event"] = Query("report"),
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
    return json_response({"items": rows})


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
    return json_response(
        {"items": items[:limit], "total": len(items), "computed_since": found.since}
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
        return json_response({"month": latest, "items": rows})
    chosen = parse_month_param(month)
    rows = state.lru(
        ("verdicts", chosen),
        lambda s: verdicts_as_dicts(monthly_verdicts(s, state.settings, chosen)),
    )
    return json_response({"month": month, "items": rows})


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
        return json_response(contexts.forecasts(state))
    return json_response(
        state.lru(
            ("forecasts", target), lambda s: build_forecasts(s, state.settings, target=target)
        )
    )
