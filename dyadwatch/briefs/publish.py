"""Publishing a briefing to the web site's app database (``dyadwatch brief --publish``).

``publish_brief(settings, briefing_or_rendered, author=None, html=..., markdown=...)``
takes either

* a :class:`~dyadwatch.store.appdb.NewBrief` (period, title, lead, HTML, Markdown,
  sections), published as it is; or
* a :class:`~dyadwatch.briefs.briefing.Briefing` plus its rendered ``html`` (and
  ``markdown``): the title, lead, period and numbered sections come from the briefing.

A full HTML document is cut down to what its ``<body>`` holds (less its leading
``<header>``), because the site wraps the brief in its own page. Publishing a period again
replaces its text and keeps its number, reactions and comments.
"""

from __future__ import annotations

import re
from typing import Any

from dyadwatch.errors import InvalidInputError
from dyadwatch.settings import Settings
from dyadwatch.store.appdb import (
    AppDB,
    BriefRecord,
    NewBrief,
    app_db_location,
    brief_notes,
    publish,
)

BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
HEADER = re.compile(r"^<header\b.*?</header>", re.S | re.I)


def publish_brief(
    settings: Settings,
    briefing_or_rendered: Any,
    author: str | None = None,
    *,
    html: str | None = None,
    markdown: str | None = None,
    db: AppDB | None = None,
) -> BriefRecord:
    """Publish a brief to ``settings.app_db`` (migrated first); the stored record, whose
    ``number`` gives its page, ``/briefs/{number}``."""
    new = to_new_brief(briefing_or_rendered, author=author, html=html, markdown=markdown)
    target = db or AppDB(app_db_location(settings))
    try:
        return publish(target, new)
    finally:
        if db is None:
            target.close()


def load_notes(settings: Settings, period: str, *, db: AppDB | None = None) -> dict[str, str]:
    """Analysts' section notes for ``period`` (front key → text), for ``build_briefing``."""
    target = db or AppDB(app_db_location(settings))
    try:
        return brief_notes(target, period)
    finally:
        if db is None:
            target.close()


def to_new_brief(
    item: Any, *, author: str | None = None, html: str | None = None, markdown: str | None = None
) -> NewBrief:
    """A :class:`NewBrief` from a rendered brief or a briefing and its rendered text."""
    if isinstance(item, NewBrief):
        return NewBrief(
            period=item.period,
            title=item.title,
            lead=item.lead,
            html=body_of(html or item.html),
            markdown=markdown or item.markdown,
            sections=item.sections,
            created_at=item.created_at,
            author=author or item.author,
        )
    if html is None:
        raise InvalidInputError(
            "publish_brief needs the rendered HTML of a briefing: pass html=render_html(...)"
        )
    return NewBrief(
        period=str(item.period),
        title=str(item.title),
        lead=str(getattr(item, "lead", "") or ""),
        html=body_of(html),
        markdown=markdown or "",
        sections=tuple(_section(s) for s in getattr(item, "sections", ())),
        created_at=getattr(item, "generated", None),
        author=author,
    )


def _section(section: Any) -> dict[str, Any]:
    keys = ("rank", "front", "label", "verdict")
    return {k: _plain(getattr(section, k, None)) for k in keys}


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | str) else str(value)


def body_of(html: str) -> str:
    """What a full HTML document's ``<body>`` holds, without its leading ``<header>`` (the
    site's page shows the title itself); a fragment as it is."""
    match = BODY.search(html)
    if not match:
        return html
    return HEADER.sub("", match.group(1).strip(), count=1).strip()
