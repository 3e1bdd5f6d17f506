"""The typing ratchet (docs/architecture.md, "Types"): it may only tighten.

``# type: ignore`` comments in the library may not grow past the recorded number, each
names its error code, and the mypy flags on the way to ``--strict`` stay on.
"""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT

TYPE_IGNORES = 28  # the library's count when recorded; lower it when you remove some
STRICT_FLAGS_ON = (
    "check_untyped_defs",
    "disallow_subclassing_any",
    "disallow_untyped_decorators",
    "extra_checks",
    "strict_equality",
    "warn_redundant_casts",
    "warn_unused_configs",
)
IGNORE = re.compile(r"#\s*type:\s*ignore(\[[a-z-]+(, *[a-z-]+)*\])?")


def _ignores() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "dyadwatch").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in IGNORE.finditer(line):
                found.append((f"{path.relative_to(ROOT)}:{n}", match.group(0)))
    return found


def test_type_ignores_do_not_grow() -> None:
    found = _ignores()
    assert found, "the pattern finds nothing: the check would pass on anything"
    assert len(found) <= TYPE_IGNORES, (
        f"{len(found)} '# type: ignore' in dyadwatch/ (at most {TYPE_IGNORES}): type the code "
        "instead of silencing mypy"
    )


def test_every_type_ignore_names_its_code() -> None:
    bare = [where for where, text in _ignores() if "[" not in text]
    assert not bare, f"name the error code, e.g. '# type: ignore[arg-type]': {bare}"


def test_mypy_flags_towards_strict_stay_on() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    off = [flag for flag in STRICT_FLAGS_ON if config.get(flag) is not True]
    assert not off, f"these mypy flags were switched off; the ratchet only tightens: {off}"
