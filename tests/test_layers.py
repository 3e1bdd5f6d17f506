"""Layers import only downward; only store/ touches DuckDB or holds SQL; `import dyadwatch`
stays light."""

from __future__ import annotations

import ast
import re
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
# SQL keywords in upper case, as this code base writes SQL; "Select a month" or "select"
# in lower case is English, not SQL.
SQL = re.compile(
    r"\b(SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET|CREATE (OR REPLACE )?(TEMP )?"
    r"(TABLE|VIEW)|ALTER TABLE|DROP (TABLE|VIEW)|COPY \w+ TO)\b|\bWITH \w+ AS \("
)
RUNS_SQL = ("execute", "scalar", "sql", "raw_sql", "execute_with_progress")
CONNECTIONS = ("store", "con", "self.store")


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


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _has_string(node: ast.Call) -> bool:
    return any(
        isinstance(arg, ast.JoinedStr)
        or (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
        for arg in node.args
    )


def sql_outside_store(tree: ast.AST) -> list[str]:
    """Where ``tree`` holds SQL text, or runs SQL on a connection: string constants (f-string
    parts too) that read as SQL, ``.execute("...")``-like calls with a string, and any
    ``store.execute``/``store.scalar``-like call at all. Line numbers and what was found."""
    docstrings = _docstrings(tree)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and SQL.search(node.value):
                hits.append(f"{node.lineno}: {node.value.strip()[:60]!r}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, owner = node.func.attr, ast.unparse(node.func.value)
            if method in RUNS_SQL and (_has_string(node) or owner in CONNECTIONS):
                hits.append(f"{node.lineno}: {owner}.{method}(...)")
    return sorted(hits, key=lambda hit: int(hit.split(":")[0]))


def test_the_sql_finder_finds_sql_and_only_sql() -> None:
    source = '''
"""Module docstring: SELECT * FROM events is fine here."""
def f(store, con, table):
    """So is UPDATE events SET x in a docstring."""
    label = "Select a month"
    word = "select the rows you want"
    query = f"SELECT count(*) FROM {table} WHERE x = 1"
    store.execute(query)
    con.sql("anything")
    table.count().execute()
    return store.ibis.table("events"), "WITH picked AS (SELECT 1)", "DROP VIEW _v"
'''
    hits = sql_outside_store(ast.parse(source))
    assert [h.split(":")[0] for h in hits] == ["7", "8", "9", "11", "11"], hits


def test_sql_lives_only_in_the_store() -> None:
    """Every query is a typed function in store/ (docs/architecture.md, the query layer);
    elsewhere there is no SQL text and no call that runs it."""
    wrong = [
        f"{path.relative_to(PACKAGE)}:{hit}"
        for path in sorted(_modules())
        if _part(path) != "store"
        for hit in sql_outside_store(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert wrong == []
