"""Each page's context, from the views layer (page models), through the app's caches."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pandas as pd

from dyadwatch.analysis.fronts import front_keys
from dyadwatch.ontology.plover import PLOVER_TYPES
from dyadwatch.scenarios.panel import scenario_panel
from dyadwatch.store import Store
from dyadwatch.store.events import source_systems
from dyadwatch.views import (
    AlertsContext,
    AlertSet,
    ForecastsContext,
    FrontContext,
    MapContext,
    MethodsContext,
    OverviewContext,
    ScenariosContext,
    Snapshot,
    build_alerts,
    build_alerts_page,
    build_forecasts,
    build_front,
    build_map,
    build_methods,
    build_overview,
    build_scenarios,
    build_snapshot,
)
from dyadwatch.views.events import (
    EventQuery,
    EventsPage,
    block_key,
    build_events_page,
    count_events,
    read_block,
)
from dyadwatch.web.state import WebState

PAGE_WAIT = 0.25  # seconds a page waits for a cache being built before saying so


def snapshot(state: WebState, *, wait: float = PAGE_WAIT) -> Snapshot | None:
    return state.soon("snapshot", lambda s: build_snapshot(s, state.settings), wait=wait)


def alert_set(state: WebState, *, wait: float = PAGE_WAIT) -> AlertSet | None:
    return state.soon("alerts", lambda s: build_alerts(s, state.settings), wait=wait)


WARM_PAGES = 5  # explorer pages built at startup: the first ones, unfiltered


def warm(state: WebState) -> None:
    """Build the slow caches one after the other in a background thread (``/healthz``
    says ready when they are built): what the overview, the map and the explorer's landing
    pages need, the alerts, then the scenario panel."""
    settings = state.settings
    builders: dict[str, Callable[[Store], Any]] = {
        "snapshot": lambda s: build_snapshot(s, settings),
        "forecasts": lambda s: build_forecasts(s, settings),
        "map": lambda s: build_map(s, pair=settings.pair),
        "explorer": lambda _: _warm_explorer(state),
        "alerts": lambda s: build_alerts(s, settings),
        "panel": lambda s: scenario_panel(s, settings),
    }
    state.warm(builders)


def _warm_explorer(state: WebState) -> bool:
    """The explorer's landing views: the first pages unfiltered, the first two of each
    front, and the first of each source system and of each event type (the values of
    the explorer's own menus)."""
    queries = [EventQuery(page=p) for p in range(1, WARM_PAGES + 1)]
    queries += [EventQuery(front=f, page=p) for f in front_keys() for p in (1, 2)]
    queries += [EventQuery(source=s) for s in events_sources(state)]
    queries += [EventQuery(type=t) for t in PLOVER_TYPES]
    for query in queries:
        events_page(state, query, count=False)
    return True


def forecasts(state: WebState) -> ForecastsContext:
    return state.cached("forecasts", lambda s: build_forecasts(s, state.settings))


def overview(state: WebState) -> OverviewContext:
    snap, found, fc = snapshot(state), alert_set(state), forecasts(state)
    dyad = state.settings.dyad
    return state.derived(
        "overview",
        (id(snap), id(found), id(fc)),
        lambda: build_overview(snap, found, fc, dyad=dyad, pair=state.settings.pair),
    )


def front(state: WebState, key: str) -> FrontContext:
    snap, found = snapshot(state), alert_set(state)
    return state.derived(
        f"front:{key}",
        (id(snap), id(found)),
        lambda: build_front(snap, found, key, pair=state.settings.pair),
    )


def map_context(state: WebState) -> MapContext:
    return state.cached("map", lambda s: build_map(s, pair=state.settings.pair))


def methods(state: WebState) -> MethodsContext:
    return state.cached("methods", lambda _: build_methods())


def panel(state: WebState) -> tuple[pd.DataFrame, str]:
    return state.cached("panel", lambda s: scenario_panel(s, state.settings))


def scenarios(state: WebState, **results: Any) -> ScenariosContext:
    frame, source = panel(state)
    page = state.cached("scenarios", lambda _: build_scenarios(frame, source))
    return dataclasses.replace(page, **results) if results else page


def alerts(state: WebState, *, wait: float = PAGE_WAIT) -> AlertsContext:
    found = alert_set(state, wait=wait)
    return state.derived("alerts", (id(found),), lambda: build_alerts_page(found))


def events_sources(state: WebState) -> tuple[str, ...]:
    def build(store: Store) -> tuple[str, ...]:
        found = source_systems(store.tables.events).to_pyarrow()
        return tuple(str(s) for s in found.column("source_system").to_pylist())

    return state.cached("sources", build)


def events_page(
    state: WebState, query: EventQuery, *, base: str = "/events", count: bool = True
) -> EventsPage:
    """One explorer page. The unfiltered total is the table's size estimate; a filtered
    one is counted (and cached) when ``count``, else given only when already cached."""
    query = query.check()
    sources = events_sources(state)
    fingerprint = state.fingerprint
    total: int | None
    if not query.filtered and fingerprint is not None:
        total = fingerprint.events_estimate
    elif count:
        total = event_count(state, query)
    else:
        total = state.peek(("count", _unpaged(query)))
    block = state.lru(("block", *block_key(query)), lambda s: read_block(s, query))
    page = build_events_page(query, block, total=total, sources=sources, base=base)
    return page


def event_count(state: WebState, query: EventQuery) -> int:
    """How many events match the filter (cached per filter)."""
    unpaged = _unpaged(query.check())
    return state.lru(("count", unpaged), lambda s: count_events(s, unpaged))


def _unpaged(query: EventQuery) -> EventQuery:
    return dataclasses.replace(query, page=1, per_page=50)
