"""The briefing rendered three ways: Markdown, HTML and PDF, all through Jinja templates.

* **Markdown** (``templates/briefing.md.j2``): every number is a link; text from the data
  (evidence sentences, analyst notes, titles) is backslash-escaped so it cannot become
  markup; each chart is written as an SVG file beside the ``.md`` and referenced by name.
* **HTML** (``templates/briefing.html.j2``): autoescaped, self-contained (inline CSS, charts
  as inline SVG, no script, no external resource).
* **PDF**: the HTML laid out by WeasyPrint (imported only when a PDF is asked for).

Charts are the sections' Vega-Lite specs rendered to SVG offline by ``vl_convert``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from dyadwatch.briefs.briefing import Briefing, ChartData, Section
from dyadwatch.errors import ConfigError
from dyadwatch.views.common import coverage_line

FORMATS = ("md", "html", "pdf")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")


@dataclass(frozen=True, slots=True)
class WrittenBriefing:
    """The files one ``write_briefing`` call wrote: the briefing, then its charts."""

    path: Path
    charts: tuple[Path, ...]


def check_format(fmt: str) -> str:
    """``fmt`` when it is md, html or pdf, else a :class:`ConfigError` listing them."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown --format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return fmt


def default_path(briefing: Briefing, fmt: str) -> Path:
    """``briefing-YYYY-MM.<fmt>`` in the working directory."""
    return Path(f"briefing-{briefing.period}.{check_format(fmt)}")


def chart_file_name(briefing: Briefing, chart: ChartData) -> str:
    """The name of a section's chart file beside the Markdown briefing."""
    return f"briefing-{briefing.period}-{chart.key}.svg"


def chart_svg(chart: ChartData) -> str:
    """The chart's Vega-Lite spec rendered to an SVG document (offline)."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(chart.spec))


def render_markdown(briefing: Briefing) -> str:
    """The briefing as Markdown; charts are referenced as files (see :func:`write_briefing`)."""
    env = _environment(markdown=True)
    return env.get_template("briefing.md.j2").render(
        b=briefing, chart_file=functools.partial(chart_file_name, briefing), **_helpers(briefing)
    )


def render_html(briefing: Briefing) -> str:
    """The briefing as one self-contained HTML page (inline CSS and SVG charts)."""
    env = _environment(markdown=False)
    return env.get_template("briefing.html.j2").render(
        b=briefing, chart_svg=_inline_svg, **_helpers(briefing)
    )


def render_pdf(briefing: Briefing, *, html: str | None = None) -> bytes:
    """The HTML briefing (``html`` when already rendered) laid out as PDF by WeasyPrint."""
    import weasyprint

    pdf = weasyprint.HTML(string=html or render_html(briefing)).write_pdf()
    return bytes(pdf or b"")


def write_briefing(briefing: Briefing, fmt: str, out: Path | None = None) -> WrittenBriefing:
    """Write the briefing in ``fmt`` to ``out`` (default :func:`default_path`); for
    Markdown, each chart's SVG is written beside it."""
    path = out or default_path(briefing, check_format(fmt))
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        path.write_bytes(render_pdf(briefing))
        return WrittenBriefing(path, ())
    if fmt == "html":
        path.write_text(render_html(briefing), encoding="utf-8")
        return WrittenBriefing(path, ())
    charts = []
    for section in (briefing.overall, *briefing.sections):
        chart_path = path.parent / chart_file_name(briefing, section.chart)
        chart_path.write_text(chart_svg(section.chart), encoding="utf-8")
        charts.append(chart_path)
    path.write_text(render_markdown(briefing), encoding="utf-8")
    return WrittenBriefing(path, tuple(charts))


def md_escape(value: object) -> str:
    """Text from the data made inert in Markdown: one line, markup characters escaped."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_url(value: object) -> str:
    """A link target that cannot end a Markdown link early."""
    table = {"(": "%28", ")": "%29", " ": "%20", "<": "%3C", ">": "%3E", '"': "%22"}
    return "".join(table.get(c, c) for c in str(value))


def _environment(*, markdown: bool) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dyadwatch", "briefs/templates"),
        autoescape=not markdown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["mdurl"] = md_url
    env.filters["count"] = lambda v: f"{v:,.0f}"
    env.filters["real"] = lambda v: f"{v:+,.1f}"
    return env


def _helpers(briefing: Briefing) -> dict[str, Any]:
    def link(path: str) -> str:
        return f"{briefing.base_url}{path}"

    judged = [s for s in briefing.sections if s.judged]
    return {
        "link": link,
        "deteriorated": [s for s in briefing.sections if s.verdict == "deteriorated"],
        "improved": [s for s in briefing.sections if s.verdict == "improved"],
        "judged": judged,
        "flagged": [s for s in briefing.sections if s.flags],
        "likely": _likely(briefing),
        "verdict_rule": _verdict_rule,
        "coverage_text": coverage_text,
    }


def _likely(briefing: Briefing) -> list[tuple[Any, Any]]:
    """Outlook lines whose escalation probability is at least one half."""
    return [
        (item, line)
        for item in briefing.outlook.items
        for line in item.lines
        if line.probability >= 0.5
    ]


def coverage_text(section: Section) -> str:
    """What the sources read on each side in the month, and the weight each was given."""
    return coverage_line(section.coverage)


def _verdict_rule(section: Section) -> str:
    if section.verdict == "insufficient coverage":
        return section.reasons[0] if section.reasons else "a side of the pair has no coverage"
    if not section.judged:
        return "too few events to judge (fewer than 5 in the month and the baseline's mean)"
    return {
        "deteriorated": "net cooperation fell at least one baseline deviation and conflict rose",
        "improved": "net cooperation rose at least one baseline deviation and conflict did not",
        "unchanged": "net cooperation stayed within one baseline deviation, or moved "
        "without a matching change in conflict",
    }[section.verdict]


def _inline_svg(chart: ChartData) -> Markup:
    """The chart's SVG for inline use: our own spec and numbers, without the XML prolog."""
    svg = chart_svg(chart)
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return Markup(svg)  # noqa: S704 - generated from our numbers by vl_convert, no reader text
