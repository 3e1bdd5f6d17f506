"""Layers import only downward; only store/ touches DuckDB; `import dyadwatch` stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import dyadwatch

PACKAGE = Path(dyadwatch.__file__).parent
LAYERS = {
    "settings": 0,
    "errors": 0,
    "records": 0,
    "ontology": 0,
    "store": 1,
    "sources": 1,
    "ingest": 2,
    "coding": 3,
    "analysis": 4,
    "forecast": 5,
    "scenarios": 5,
    "briefs": 6,
    "views": 6,
    "web": 7,
    "cli": 7,
}
STORE_ONLY = ("duckdb", "ibis.backends")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if _part(p) != "__init__"]


def test_every_package_part_has_a_layer() -> None:
    assert {_part(p) for p in _modules()} <= set(LAYERS)


def test_layers_import_only_downward() -> None:
    wrong = []
    for path in _modules():
        layer = LAYERS[_part(path)]
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "dyadwatch" and len(parts) > 1 and parts[1] in LAYERS:
                if LAYERS[parts[1]] > layer:
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_views_never_import_the_briefing() -> None:
    """briefs/ and views/ share layer 6; the briefing may use the views' formatters, but a
    page model never depends on the briefing."""
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules()
        if _part(path) == "views"
        for name in _imports(path)
        if name.startswith("dyadwatch.briefs")
    ]
    assert wrong == []


def test_only_the_store_imports_duckdb_or_ibis_backends() -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules()
        if _part(path) != "store"
        for name in _imports(path)
        if name.startswith(STORE_ONLY)
    ]
    assert wrong == []


def test_import_dyadwatch_loads_no_heavy_or_edge_modules() -> None:
    code = (
        "import sys, dyadwatch; "
        "print(sorted(m for m in ('fastapi', 'typer', 'rich', 'torch', 'spacy', 'sklearn') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
