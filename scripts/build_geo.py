"""Build the map's two small GeoJSON files from the npm packages fetched by vendor_js.sh.

- ``us_border_states.geojson``: California, Arizona, New Mexico and Texas from us-atlas's
  ``states-10m.json`` (U.S. Census Bureau cartographic boundaries, public domain), in
  longitude/latitude, rounded to 0.01 degree.
- ``mx_states.geojson``: the 32 Mexican states from @svg-maps/mexico (CC BY 4.0), whose
  SVG paths are in the map's own pixel space (viewBox 0 0 793 498); rendered with Vega's
  identity projection, rounded to 0.1 pixel.

Usage: python3 scripts/build_geo.py --us-atlas states-10m.json --mexico index.js --out DIR
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

BORDER_STATES = {"06": "US-CA", "04": "US-AZ", "35": "US-NM", "48": "US-TX"}


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 2), round(y * sy + ty, 2)))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(arc if not ring else arc[1:])
    return _dedupe(ring)


def _dedupe(points: list[tuple[float, float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for p in points:
        if not out or out[-1] != list(p):
            out.append(list(p))
    return out


def us_states(path: Path) -> dict:
    topology = json.loads(path.read_text())
    arcs = _arcs(topology)
    features = []
    for geom in topology["objects"]["states"]["geometries"]:
        if geom["id"] not in BORDER_STATES:
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        coords = [[_ring(r, arcs) for r in poly] for poly in polys]
        coords = [[r for r in poly if len(r) >= 4] for poly in coords]
        features.append(
            {
                "type": "Feature",
                "id": BORDER_STATES[geom["id"]],
                "properties": {"id": BORDER_STATES[geom["id"]], "name": geom["properties"]["name"]},
                "geometry": {"type": "MultiPolygon", "coordinates": [c for c in coords if c]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


TOKEN = re.compile(r"[MmLlHhVvZz]|-?[0-9]*\.?[0-9]+(?:e-?[0-9]+)?")


def svg_rings(d: str) -> list[list[list[float]]]:
    """Rings of an SVG path made of M/L/H/V/Z commands (absolute or relative)."""
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    cmd = "M"
    tokens = TOKEN.findall(d.replace(",", " "))
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isalpha():
            cmd = tok
            i += 1
            if cmd in "Zz":
                if rings and rings[-1]:
                    x, y = rings[-1][0]
                continue
        if cmd in "Mm":
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            x, y = (x + dx, y + dy) if cmd == "m" else (dx, dy)
            rings.append([(x, y)])
            cmd = "l" if cmd == "m" else "L"
            i += 2
        elif cmd in "Ll":
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            x, y = (x + dx, y + dy) if cmd == "l" else (dx, dy)
            rings[-1].append((x, y))
            i += 2
        elif cmd in "Hh":
            x = x + float(tokens[i]) if cmd == "h" else float(tokens[i])
            rings[-1].append((x, y))
            i += 1
        elif cmd in "Vv":
            y = y + float(tokens[i]) if cmd == "v" else float(tokens[i])
            rings[-1].append((x, y))
            i += 1
        else:
            raise ValueError(f"unsupported SVG path command {cmd!r}")
    out = []
    for ring in rings:
        pts = _dedupe([(round(px, 1), round(py, 1)) for px, py in ring])
        if len(pts) >= 3:
            if pts[0] != pts[-1]:
                pts.append(pts[0])
            out.append(pts)
    return out


def mx_states(path: Path) -> dict:
    text = path.read_text()
    data = json.loads(text[text.index("{") : text.rindex("}") + 1])
    features = []
    for loc in data["locations"]:
        code = "MX-" + loc["id"].upper()
        rings = svg_rings(loc["path"])
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"id": code, "name": loc["name"]},
                "geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--us-atlas", type=Path, required=True)
    parser.add_argument("--mexico", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in (
        ("us_border_states.geojson", us_states(args.us_atlas)),
        ("mx_states.geojson", mx_states(args.mexico)),
    ):
        (args.out / name).write_text(json.dumps(data, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
