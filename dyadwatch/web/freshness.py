"""Each source's "data through" date on every response (docs/web.md, Freshness).

- Every response carries ``X-Data-Through: gdelt2=2025-06-14; cbp-encounters=2025-11-30;
  ...`` and, when some source is older than its cadence, ``X-Data-Stale: gdelt2, ucdp``.
- Every HTML page shows a strip of the same dates under its header, stale sources flagged;
  the overview and the methods page show the full table (``#freshness``).
- The JSON API adds ``data_through`` (source → date) to its objects (:mod:`.api`).

Whether a source is stale depends on the day, while pages are cached as rendered HTML.
So the freshness parts are not in the cached HTML: ``base.html`` holds the marker
``<!--dyadwatch:data-through-->`` and the overview and methods pages
``<!--dyadwatch:freshness-->``, and :class:`DataThrough` fills them in each HTML response
from ``_data_through.html`` and ``_freshness.html``. The judged sources are cached per
store state and day (``state.cached``), and the fragments rendered once for each; for
:data:`RECHECK_SECONDS` after a check, responses reuse them without asking again.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dyadwatch.analysis.freshness import Freshness, judge, load_cadences
from dyadwatch.errors import DyadwatchError
from dyadwatch.store import Store
from dyadwatch.store.freshness import latest_dates
from dyadwatch.web.state import WebState

Clock = Callable[[], dt.date]
STRIP_MARK = b"<!--dyadwatch:data-through-->"
PANEL_MARK = b"<!--dyadwatch:freshness-->"
MAX_HEADER_SOURCES = 40  # the rest are on /methods#freshness
RECHECK_SECONDS = 1.0  # parts are reused this long before the store's caches are asked again
log = logging.getLogger("dyadwatch.web")


def current(state: WebState, today: dt.date) -> tuple[Freshness, ...]:
    """Every source's freshness on ``today``, from the store ``state`` serves (built once
    per store state and day)."""

    def build(store: Store) -> tuple[Freshness, ...]:
        return judge(latest_dates(store, until=today), today=today, cadences=load_cadences())

    return state.cached(f"freshness:{today}", build)


def data_through(items: tuple[Freshness, ...]) -> dict[str, str]:
    """The API's ``data_through`` field: source → ISO date."""
    return {f.source: f.data_through.isoformat() for f in items}


def header_value(items: tuple[Freshness, ...]) -> str:
    """``source=YYYY-MM-DD; ...``: ASCII only (names are percent-encoded), at most
    :data:`MAX_HEADER_SOURCES` sources."""
    return "; ".join(f"{_token(f.source)}={f.data_through}" for f in items[:MAX_HEADER_SOURCES])


def _token(name: str) -> str:
    return quote(name, safe="-_.:+")


@dataclass(frozen=True, slots=True)
class Parts:
    """What one day's freshness adds to responses: headers, and the two HTML fragments."""

    headers: tuple[tuple[bytes, bytes], ...]
    strip: bytes
    panel: bytes


def build_parts(items: tuple[Freshness, ...], *, today: dt.date, env: Environment) -> Parts:
    headers = [(b"x-data-through", header_value(items).encode("ascii"))] if items else []
    stale = [f for f in items if f.stale]
    if stale:
        value = ", ".join(_token(f.source) for f in stale[:MAX_HEADER_SOURCES])
        headers.append((b"x-data-stale", value.encode("ascii")))
    context = {"items": items, "stale": stale, "today": today}
    return Parts(
        headers=tuple(headers),
        strip=env.get_template("_data_through.html").render(context).encode("utf-8"),
        panel=env.get_template("_freshness.html").render(context).encode("utf-8"),
    )


@dataclass(frozen=True, slots=True)
class _Last:
    """The last parts built, for which sources, on which day, and when (monotonic)."""

    items: tuple[Freshness, ...]
    parts: Parts
    today: dt.date
    checked: float


class DataThrough:
    """ASGI middleware: the freshness headers on every response, and the strip and table
    filled into HTML pages (see the module docstring). Static files are left alone."""

    def __init__(self, app: ASGIApp, *, state: WebState, env: Environment, clock: Clock) -> None:
        self.app, self.state, self.env, self.clock = app, state, env, clock
        self._last: _Last | None = None

    def parts(self) -> Parts | None:
        """Today's parts, or None when the store cannot be read (the page says why). It
        may read the store, so it runs in a worker thread."""
        today = self.clock()
        try:
            items = current(self.state, today)
        except DyadwatchError as exc:
            log.warning("no freshness for this response: %s", exc)
            return None
        last = self._last
        if last is not None and last.items is items:  # the same store state and day
            built = last.parts
        else:
            built = build_parts(items, today=today, env=self.env)
        self._last = _Last(items, built, today, time.monotonic())
        return built

    def recent(self) -> Parts | None:
        """The parts of the last :data:`RECHECK_SECONDS`, if they are today's: most requests
        take them on the event loop, without a hop to a worker thread."""
        last = self._last
        if last is None or time.monotonic() - last.checked >= RECHECK_SECONDS:
            return None
        return last.parts if last.today == self.clock() else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        parts = self.recent() or await run_in_threadpool(self.parts)
        if parts is None:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Filler(parts, send).send)


class _Filler:
    """Adds the headers to a response's start; holds an HTML body until it is complete,
    then fills the markers in and corrects its length."""

    def __init__(self, parts: Parts, send: Send) -> None:
        self.parts, self.downstream = parts, send
        self.start: Message | None = None
        self.body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [*message.get("headers", []), *self.parts.headers]
            message = {**message, "headers": headers}
            if _is_html(headers):
                self.start = message
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._flush()
            return
        await self.downstream(message)

    async def _flush(self) -> None:
        assert self.start is not None
        body = b"".join(self.body)
        filled = body.replace(STRIP_MARK, self.parts.strip, 1)
        filled = filled.replace(PANEL_MARK, self.parts.panel, 1)
        headers = self.start["headers"]
        if filled != body:
            length = str(len(filled)).encode("ascii")
            headers = [(k, length if k.lower() == b"content-length" else v) for k, v in headers]
        await self.downstream({**self.start, "headers": headers})
        await self.downstream({"type": "http.response.body", "body": filled})


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
