"""No country of the shipped pair is written into the code (issue 14: "any pair, by setting").

Every module of ``dyadwatch/`` outside the configuration (``settings.py``) and the ontology
(``ontology/``, which loads ``data/pairs/*.toml`` and ``data/sources.toml``) is parsed with
``ast``. A finding is a string constant that holds

* a country code of the shipped pair as a token (``USA``, ``MEX``, ``US``, ``MX``, also as
  a ``US-``/``MX-`` subdivision prefix), anywhere; or
* a country name (``Mexico``, ``México``, ``Mexican``, ``United States``, ``U.S.``) in the
  layers that speak to people (``views/``, ``briefs/``, ``web/``, ``cli/``), whose names
  must come from the pair. Below them a name may describe what a real source counts
  ("U.S. goods imports from Mexico (FRED IMPMX)", "per Mexican state"): that is a fact
  about the data, true whatever pair is configured.

Docstrings and comments are not code and are not read, nor is a format example of the
dyad setting ("e.g. USA-MEX", "like USA-MEX"). Lower-case words (``mexico`` in a series id
such as ``us-imports-from-mexico``, a keyword in normalized text) are names of things, not
countries in the code, and pass.

What a pair-specific fact is and where it goes instead: the pair's names, fronts, keywords
and map in ``data/pairs/<dyad>.toml`` (``settings.pair``); which country a source counts
in, in ``data/sources.toml`` (``ontology.sources.source_country``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dyadwatch"
CONFIGURATION = ("settings.py", "ontology/")
CODE = re.compile(r"(?<![A-Za-z])(USA|MEX|US|MX)(?![A-Za-z])")
NAME = re.compile(r"M[eé]xic(o|an)|United States|(?<![A-Za-z])U\.S\.")
EXAMPLE = re.compile(r"(e\.g\.|like) USA-MEX")
PEOPLE = ("views/", "briefs/", "web/", "cli/")


def _modules() -> list[Path]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not relative.startswith(CONFIGURATION):
            out.append(path)
    return out


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings (module, class, function)
    and of bare string statements (attribute docstrings)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for statement in body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                found.add(id(statement.value))
    return found


def findings(source: str, *, names: bool = True) -> list[tuple[int, str]]:
    """(line, text) of every string constant of ``source`` that writes a country code
    (or, with ``names``, a country name)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if id(node) in skip:
            continue
        text = EXAMPLE.sub("", node.value)
        if CODE.search(text) or (names and NAME.search(text)):
            out.append((node.lineno, node.value[:60]))
    return sorted(out)


def test_the_scan_sees_codes_and_names_but_not_docstrings_or_words() -> None:
    source = '''"""A docstring about Mexico and the USA."""
X = "MEX"
Y = ("USA", "MX-%", f"US-{1}")
# a comment on the United States
Z = "us-imports-from-mexico"
W = "Events in Mexico"
V = "GOV, e.g. USA-MEX"
U = "CAUSE"
def f():
    """The U.S. side."""
    return "U.S. imports"
'''
    lines = [line for line, _ in findings(source)]
    assert lines == [2, 3, 3, 3, 6, 11]


def test_names_below_the_people_layers_pass_but_codes_do_not() -> None:
    source = 'A = "U.S. goods imports from Mexico"\nB = "MX-%"\n'
    assert [line for line, _ in findings(source, names=False)] == [2]


@pytest.mark.parametrize(
    "text", ["STATUS", "MUST", "USMCA", "MAX", "MEXT", "AMX", "bus", "USD millions", "mx"]
)
def test_words_that_merely_contain_a_code_pass(text: str) -> None:
    assert findings(f"X = {text!r}\n") == []


def test_no_country_literal_outside_configuration_and_ontology() -> None:
    found = []
    for path in _modules():
        relative = path.relative_to(PACKAGE).as_posix()
        names = relative.startswith(PEOPLE)
        for line, text in findings(path.read_text(encoding="utf-8"), names=names):
            found.append(f"dyadwatch/{relative}:{line}: {text!r}")
    assert not found, "country literals (move them to data/pairs or data/sources.toml):\n" + (
        "\n".join(found)
    )


def test_no_country_in_the_page_and_briefing_templates() -> None:
    """The templates print the pair's names (``pair`` in the web app's Jinja globals)."""
    found = []
    for folder in ("web/templates", "briefs/templates"):
        for path in sorted((PACKAGE / folder).iterdir()):
            text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
            for number, line in enumerate(text.splitlines(), start=1):
                if CODE.search(line) or NAME.search(line):
                    found.append(f"{folder}/{path.name}:{number}: {line.strip()[:80]}")
    assert not found, "country names in templates (use the pair's):\n" + "\n".join(found)
