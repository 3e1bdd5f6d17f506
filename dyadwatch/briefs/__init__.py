"""Briefs (layer 6): one typed context object per page, built from the analysis, forecast
and scenario layers, and rendered as HTML, as JSON and in the terminal by the edges."""

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
