"""The dashboard's pages, each an HTML page and its ``.json`` twin from one context."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.background import BackgroundTask

from dyadwatch.analysis.fronts import check_front
from dyadwatch.errors import DyadwatchError
from dyadwatch.views.events import EventQuery, build_document, build_event_detail, export_filtered
from dyadwatch.views.methods import doc_text
from dyadwatch.views.scenarios import MAX_HORIZON, run_bargain, run_var
from dyadwatch.web import contexts
from dyadwatch.web.params import (
    event_query,
    json_cached,
    json_response,
    render,
    render_cached,
)
from dyadwatch.web.state import WebState

router = APIRouter(include_in_schema=False)
ID = r"^[A-Za-z0-9_.:\-]{1,200}$"


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def warm(state: WebState) -> None:
    """Build the slow caches in the background when the server starts."""
    contexts.warm(state)


@router.get("/healthz")
def healthz(request: Request) -> Response:
    """200 when the store answers and the startup caches are built; 503 while warming."""
    state = web(request)
    state.store()
    fp = state.fingerprint
    body: dict[str, Any] = {"status": "ok", "events_estimate": fp.events_estimate if fp else None}
    if not state.ready.is_set():
        body |= {"status": "warming", "error": "warming up", "detail": WARMING}
        return json_response(body, status_code=503)
    return json_response(body)


WARMING = "building the overview, alerts, map and explorer caches; pages answer meanwhile"


@router.get("/")
def overview_page(request: Request) -> Response:
    return render_cached(request, "overview.html", contexts.overview(web(request)))


@router.get("/overview.json")
def overview_json(request: Request) -> Response:
    return json_cached(request, contexts.overview(web(request)))


def _front(request: Request, front: str) -> Any:
    try:
        check_front(front)
    except DyadwatchError as exc:
        raise HTTPException(404, str(exc)) from exc
    return contexts.front(web(request), front)


@router.get("/fronts/{front}.json")
def front_json(request: Request, front: str) -> Response:
    return json_response(_front(request, front))


@router.get("/fronts/{front}")
def front_page(request: Request, front: str) -> Response:
    return render_cached(request, "front.html", _front(request, front))


@router.get("/events.json")
def events_json(request: Request, query: EventQuery = Depends(event_query)) -> Response:
    return json_response(contexts.events_page(web(request), query, base="/events.json"))


@router.get("/events")
def events_page(request: Request, query: EventQuery = Depends(event_query)) -> Response:
    state = web(request)
    page = contexts.events_page(state, query, count=False)
    env = request.app.state.templates.env
    html = state.lru(
        ("html", query, page.total),
        lambda _: env.get_template("events.html").render(page=page, filter=query.params(page=1)),
    )
    return HTMLResponse(html)


@router.get("/events/count.json")
def events_count_json(request: Request, query: EventQuery = Depends(event_query)) -> Response:
    return json_response({"total": contexts.event_count(web(request), query)})


@router.get("/events/count")
def events_count(request: Request, query: EventQuery = Depends(event_query)) -> Response:
    total = contexts.event_count(web(request), query)
    full = request.headers.get("hx-request") != "true"
    name = "count.html" if full else "_count.html"
    return render(request, name, total=total, filter=query.params(page=1), full=full)


def _export(request: Request, query: EventQuery, fmt: str, media: str) -> Response:
    handle, name = tempfile.mkstemp(prefix="dyadwatch-export-", suffix=f".{fmt}")
    os.close(handle)
    try:
        export_filtered(web(request).store(), query, _path(name), fmt=fmt)
    except BaseException:
        os.unlink(name)
        raise
    return FileResponse(
        name,
        media_type=media,
        filename=f"dyadwatch-events.{fmt}",
        background=BackgroundTask(os.unlink, name),
    )


def _path(name: str) -> Any:
    from pathlib import Path

    return Path(name)


@router.get("/events/export.csv")
def export_csv(request: Request, query: EventQuery = Depends(event_query)) -> Response:
    return _export(request, query, "csv", "text/csv")


@router.get("/events/export.parquet")
def export_parquet(request: Request, query: EventQuery = Depends(event_query)) -> Response:
    return _export(request, query, "parquet", "application/vnd.apache.parquet")


def _event(request: Request, event_id: str) -> Any:
    if len(event_id) > 200:
        raise HTTPException(404, "no such event")
    detail = build_event_detail(web(request).store(), event_id)
    if detail is None:
        raise HTTPException(404, f"no event {event_id[:80]!r} in the store")
    return detail


@router.get("/events/{event_id}.json")
def event_json(request: Request, event_id: str) -> Response:
    return json_response(_event(request, event_id))


@router.get("/events/{event_id}")
def event_page(request: Request, event_id: str) -> Response:
    return render(request, "event.html", page=_event(request, event_id))


def _document(request: Request, doc_id: str, event: str | None) -> Any:
    if len(doc_id) > 300:
        raise HTTPException(404, "no such document")
    doc = build_document(web(request).store(), doc_id, event_id=event)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id[:80]!r} in the store")
    return doc


@router.get("/documents/{doc_id}.json")
def document_json(
    request: Request, doc_id: str, event: str | None = Query(None, max_length=200)
) -> Response:
    return json_response(_document(request, doc_id, event))


@router.get("/documents/{doc_id}")
def document_page(
    request: Request, doc_id: str, event: str | None = Query(None, max_length=200)
) -> Response:
    return render(request, "document.html", page=_document(request, doc_id, event))


@router.get("/map.json")
def map_json(request: Request) -> Response:
    return json_response(contexts.map_context(web(request)))


@router.get("/map")
def map_page(request: Request) -> Response:
    return render_cached(request, "map.html", contexts.map_context(web(request)))


@router.get("/alerts.json")
def alerts_json(request: Request) -> Response:
    return json_response(contexts.alerts(web(request)))


@router.get("/alerts")
def alerts_page(request: Request) -> Response:
    return render_cached(request, "alerts.html", contexts.alerts(web(request)))


@router.get("/forecasts.json")
def forecasts_json(request: Request) -> Response:
    return json_response(contexts.forecasts(web(request)))


@router.get("/forecasts")
def forecasts_page(request: Request) -> Response:
    return render(request, "forecasts.html", page=contexts.forecasts(web(request)))


@router.get("/scenarios.json")
def scenarios_json(request: Request) -> Response:
    return json_response(contexts.scenarios(web(request)))


@router.get("/scenarios")
def scenarios_page(request: Request) -> Response:
    return render(request, "scenarios.html", page=contexts.scenarios(web(request)))


def _scenario_response(request: Request, fragment: str, **result: Any) -> Response:
    page = contexts.scenarios(web(request), **result)
    status = 400 if page.error else 200
    if "application/json" in request.headers.get("accept", ""):
        return json_response(page, status_code=status)
    name = fragment if request.headers.get("hx-request") == "true" else "scenarios.html"
    response = render(request, name, page=page)
    response.status_code = status
    return response


@router.post("/scenarios/var")
def scenario_var(
    request: Request,
    shock: str = Form(..., max_length=100, description="SERIES=SIZE, e.g. imports=500"),
    months: int = Form(3, ge=1, le=MAX_HORIZON),
    horizon: int = Form(12, ge=1, le=MAX_HORIZON),
) -> Response:
    from dyadwatch.scenarios.var import parse_var_shock

    state = web(request)
    frame, source = contexts.panel(state)
    try:
        series, size = parse_var_shock(shock)
        result = state.lru(
            ("var", series, size, months, horizon),
            lambda _: run_var(
                frame, source, series=series, size=size, months=months, horizon=horizon
            ),
        )
    except DyadwatchError as exc:
        return _scenario_response(request, "_var_result.html", error=str(exc))
    return _scenario_response(request, "_var_result.html", var=result)


@router.post("/scenarios/bargain")
async def scenario_bargain(request: Request) -> Response:
    form = await request.form()
    fields = {k: str(v) for k, v in form.multi_items() if isinstance(v, str)}
    try:
        name, edits, shocks = _bargain_form(fields)
        result = run_bargain(name, edits=edits, shocks=shocks)
    except DyadwatchError as exc:
        return _scenario_response(request, "_bargain_result.html", error=str(exc))
    return _scenario_response(request, "_bargain_result.html", bargain=result)


def _bargain_form(fields: dict[str, str]) -> tuple[str, dict[str, dict[str, float]], list[str]]:
    """``scenario``, ``shocks`` (one per line) and ``NAME|field`` edits from the form."""
    from dyadwatch.errors import ScenarioError

    if len(fields) > 200 or any(len(v) > 2000 for v in fields.values()):
        raise ScenarioError("the form is too large")
    name = fields.get("scenario", "")
    shocks = [line.strip() for line in fields.get("shocks", "").splitlines() if line.strip()]
    edits: dict[str, dict[str, float]] = {}
    for key, value in fields.items():
        who, sep, what = key.rpartition("|")
        if not sep or what not in ("capability", "position", "salience") or not value.strip():
            continue
        try:
            edits.setdefault(who, {})[what] = float(value)
        except ValueError as exc:
            raise ScenarioError(f"{who} {what}: {value[:20]!r} is not a number") from exc
    return name, edits, shocks


@router.get("/methods.json")
def methods_json(request: Request) -> Response:
    return json_response(contexts.methods(web(request)))


@router.get("/methods")
def methods_page(request: Request) -> Response:
    return render(request, "methods.html", page=contexts.methods(web(request)))


@router.get("/sources.json")
def sources_json(request: Request) -> Response:
    return methods_json(request)


@router.get("/sources")
def sources_page(request: Request) -> Response:
    return methods_page(request)


@router.get("/methods/docs/{name}.md")
def methods_doc(name: str) -> Response:
    text = doc_text(name)
    if text is None:
        raise HTTPException(404, f"no methods document {name[:40]!r}")
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


@router.get("/docs")
def api_docs(request: Request) -> Response:
    return render(request, "docs.html")
