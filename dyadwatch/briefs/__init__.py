"""Briefs (layer 6): the monthly briefing, built from the analysis, forecast and scenario
layers, rendered as Markdown, HTML and PDF, and published on the site.

The web app's page models live in :mod:`dyadwatch.views`, not here; the briefing borrows
their small formatters (:mod:`dyadwatch.views.common`), and views never import briefs."""

from dyadwatch.briefs.briefing import Briefing, briefing_for, build_briefing
from dyadwatch.briefs.briefing_render import (
    render_html,
    render_markdown,
    render_pdf,
    write_briefing,
)

__all__ = [
    "Briefing",
    "briefing_for",
    "build_briefing",
    "render_html",
    "render_markdown",
    "render_pdf",
    "write_briefing",
]
