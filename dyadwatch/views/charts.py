"""Vega-Lite specifications, built in Python so every page and its JSON twin share them.

Each chart is a :class:`Chart`: a spec with its data inlined (no URL but the bundled
GeoJSON of the map), and the same numbers as a table for readers without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
PALETTE = ["#1f5f99", "#b5451b", "#2a7d4f", "#6b4c9a", "#8a6d00", "#444444"]


@dataclass(frozen=True, slots=True)
class Chart:
    """A Vega-Lite spec, its title, and a table fallback (column names and rows)."""

    key: str
    title: str
    spec: dict[str, Any]
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = field(default=())


def _base(title: str, *, height: int = 220) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": title,
        "width": "container",
        "height": height,
        "config": {"range": {"category": PALETTE}, "view": {"stroke": None}},
    }


def line_chart(
    key: str,
    title: str,
    rows: Sequence[dict[str, Any]],
    *,
    x: str,
    y: str,
    color: str | None = None,
    y_title: str | None = None,
    height: int = 220,
) -> Chart:
    """Lines of ``y`` over the months of ``x``, one per ``color`` value."""
    encoding: dict[str, Any] = {
        "x": {"field": x, "type": "temporal", "title": None},
        "y": {"field": y, "type": "quantitative", "title": y_title or y},
        "tooltip": [{"field": x, "type": "temporal"}, {"field": y, "type": "quantitative"}],
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "title": None}
        encoding["tooltip"].append({"field": color, "type": "nominal"})
    spec = _base(title, height=height) | {
        "data": {"values": list(rows)},
        "mark": {"type": "line", "point": False, "strokeWidth": 1.5},
        "encoding": encoding,
    }
    cols = (x, *((color,) if color else ()), y)
    return Chart(key, title, spec, cols, tuple(tuple(r.get(c) for c in cols) for r in rows))


def sparkline(key: str, title: str, points: Sequence[tuple[str, float]]) -> Chart:
    """A small line without axes: the last months of one indicator."""
    values = [{"period": p, "value": v} for p, v in points]
    spec = {
        "$schema": SCHEMA,
        "width": "container",
        "height": 48,
        "data": {"values": values},
        "mark": {"type": "line", "strokeWidth": 1.5, "color": PALETTE[0]},
        "encoding": {
            "x": {"field": "period", "type": "temporal", "axis": None},
            "y": {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}},
            "tooltip": [
                {"field": "period", "type": "temporal"},
                {"field": "value", "type": "quantitative", "format": ",.0f"},
            ],
        },
        "config": {"view": {"stroke": None}},
    }
    return Chart(key, title, spec, ("period", "value"), tuple(points))


def fan_chart(
    key: str, title: str, history: Sequence[tuple[str, float]], bands: Sequence[dict[str, Any]]
) -> Chart:
    """History as a line, then the forecast median and its 50% and 80% (or 90%) bands.

    ``bands`` rows: ``period``, ``median``, ``lo50``, ``hi50``, ``lo80``, ``hi80``.
    """
    past = [{"period": p, "value": v} for p, v in history]
    layers = [
        _band(bands, "lo80", "hi80", 0.18),
        _band(bands, "lo50", "hi50", 0.35),
        {
            "data": {"values": past},
            "mark": {"type": "line", "color": "#333333"},
            "encoding": {
                "x": {"field": "period", "type": "temporal", "title": None},
                "y": {"field": "value", "type": "quantitative", "title": None},
            },
        },
        {
            "data": {"values": list(bands)},
            "mark": {"type": "line", "color": PALETTE[1], "strokeDash": [4, 2]},
            "encoding": {
                "x": {"field": "period", "type": "temporal"},
                "y": {"field": "median", "type": "quantitative"},
                "tooltip": [
                    {"field": "period", "type": "temporal"},
                    {"field": "median", "type": "quantitative", "format": ",.1f"},
                    {"field": "lo80", "type": "quantitative", "format": ",.1f"},
                    {"field": "hi80", "type": "quantitative", "format": ",.1f"},
                ],
            },
        },
    ]
    spec = _base(title, height=180) | {"layer": layers}
    cols = ("period", "lo80", "lo50", "median", "hi50", "hi80")
    return Chart(key, title, spec, cols, tuple(tuple(b.get(c) for c in cols) for b in bands))


def _band(rows: Sequence[dict[str, Any]], lo: str, hi: str, opacity: float) -> dict[str, Any]:
    return {
        "data": {"values": list(rows)},
        "mark": {"type": "area", "color": PALETTE[1], "opacity": opacity},
        "encoding": {
            "x": {"field": "period", "type": "temporal"},
            "y": {"field": lo, "type": "quantitative"},
            "y2": {"field": hi},
        },
    }


def geo_chart(
    key: str,
    title: str,
    *,
    url: str,
    values: Sequence[dict[str, Any]],
    measure: str,
    projection: dict[str, Any],
) -> Chart:
    """A choropleth over a bundled GeoJSON file, joined on the features' ``properties.id``."""
    spec = _base(title, height=320) | {
        "data": {"url": url, "format": {"type": "json", "property": "features"}},
        "projection": projection,
        "transform": [
            {
                "lookup": "properties.id",
                "from": {
                    "data": {"values": list(values)},
                    "key": "id",
                    "fields": [measure, "name"],
                },
            },
            {"calculate": f"datum.{measure} || 0", "as": "shown"},
        ],
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
        "encoding": {
            "color": {
                "field": "shown",
                "type": "quantitative",
                "title": measure,
                "scale": {"scheme": "oranges"},
            },
            "tooltip": [
                {"field": "properties.name", "type": "nominal", "title": "state"},
                {"field": "shown", "type": "quantitative", "title": measure},
            ],
        },
    }
    cols = ("id", "name", measure)
    return Chart(key, title, spec, cols, tuple(tuple(v.get(c) for c in cols) for v in values))


def bar_chart(
    key: str, title: str, rows: Sequence[dict[str, Any]], *, x: str, y: str, height: int = 200
) -> Chart:
    """Horizontal bars of ``x`` per ``y`` category."""
    spec = _base(title, height=height) | {
        "data": {"values": list(rows)},
        "mark": {"type": "bar", "color": PALETTE[0]},
        "encoding": {
            "y": {"field": y, "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": x, "type": "quantitative"},
            "tooltip": [{"field": y, "type": "nominal"}, {"field": x, "type": "quantitative"}],
        },
    }
    return Chart(key, title, spec, (y, x), tuple((r[y], r[x]) for r in rows))
