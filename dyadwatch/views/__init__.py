"""Views (layer 6): the page models of the web app, one typed context per page.

Each page of the dashboard has a builder here (``build_overview``, ``build_events_page``,
``build_map``, …) that reads the analysis, forecast and scenario layers and returns a frozen
dataclass; :mod:`dyadwatch.web` renders that one object as HTML, as its JSON twin and through
the API, and the CLI may print it. Charts (:mod:`dyadwatch.views.charts`) and the small
formatters of :mod:`dyadwatch.views.common` are shared by every page; the monthly briefing
(:mod:`dyadwatch.briefs`) uses those formatters too, so briefs may import views, never the
reverse. Nothing here imports FastAPI, Jinja or Typer.
"""

from dyadwatch.views.charts import Chart
from dyadwatch.views.common import jsonable
from dyadwatch.views.events import (
    DocumentContext,
    EventDetail,
    EventQuery,
    EventsPage,
    build_document,
    build_event_detail,
    build_events_page,
)
from dyadwatch.views.forecasts import ForecastsContext, build_forecasts
from dyadwatch.views.maps import MapContext, build_map
from dyadwatch.views.methods import MethodsContext, build_methods
from dyadwatch.views.overview import (
    AlertsContext,
    FrontContext,
    OverviewContext,
    build_alerts_page,
    build_front,
    build_overview,
)
from dyadwatch.views.scenarios import ScenariosContext, build_scenarios
from dyadwatch.views.snapshot import AlertSet, Snapshot, build_alerts, build_snapshot

__all__ = [
    "AlertSet",
    "AlertsContext",
    "Chart",
    "DocumentContext",
    "EventDetail",
    "EventQuery",
    "EventsPage",
    "ForecastsContext",
    "FrontContext",
    "MapContext",
    "MethodsContext",
    "OverviewContext",
    "ScenariosContext",
    "Snapshot",
    "build_alerts",
    "build_alerts_page",
    "build_document",
    "build_event_detail",
    "build_events_page",
    "build_forecasts",
    "build_front",
    "build_map",
    "build_methods",
    "build_overview",
    "build_scenarios",
    "build_snapshot",
    "jsonable",
]
