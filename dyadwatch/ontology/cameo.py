"""CAMEO event codes: names, Goldstein values, PLOVER type and quad class.

Sources (bundled in ``dyadwatch/data/ontology``, provenance in ``PROVENANCE.md``):

* names: GDELT's ``LOOKUP-CAMEO.eventcodes.txt`` (one broken line repaired, see PROVENANCE);
* Goldstein values: GDELT's official ``CAMEO.goldsteinscale.txt``. It agrees with every
  (EventCode, GoldsteinScale) pair in the real GDELT 1.0 and 2.0 fixtures, which
  ``cameo_goldstein.json`` does not (it matches 13 of 133 codes), so that file is unused;
* PLOVER type, mode and context: :func:`dyadwatch.ontology.plover.cameo_to_plover`.

A code is *known* when either CAMEO table lists it (311 codes, both tables agree).
Codes the CAMEO→PLOVER table does not list inherit the mapping of their nearest listed
ancestor (first three digits, then the two-digit root). Roots 01 (statements) and 02
(appeals) have no PLOVER mapping at all: their ``plover_type`` is None and their quad
class follows CAMEO's root rule (01–05 → 1, 06–09 → 2, 10–14 → 3, 15–20 → 4).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files

from dyadwatch.errors import OntologyError
from dyadwatch.ontology.plover import (
    PloverMapping,
    cameo_to_plover,
    quad_class_for_plover,
    quad_class_for_root,
)

NAMES_FILE = "LOOKUP-CAMEO.eventcodes.txt"
GOLDSTEIN_FILE = "CAMEO.goldsteinscale.txt"


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code. ``code`` keeps its leading zeros ("0256")."""

    code: str
    name: str
    goldstein: float | None
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None
    quad_class: int


@dataclass(frozen=True, slots=True)
class CameoLookup:
    """The result of :func:`lookup_cameo`.

    ``entry`` is the exact code when ``known``, else its nearest known ancestor (first
    three digits, then the root), or None when even the root is unknown.
    """

    code: str
    known: bool
    entry: CameoCode | None


@functools.cache
def cameo_table() -> dict[str, CameoCode]:
    """Return every known CAMEO code, keyed by code (cached; treat as read-only)."""
    names = _read_pairs(NAMES_FILE)
    scale = {code: _to_float(value, code) for code, value in _read_pairs(GOLDSTEIN_FILE).items()}
    codes = sorted(names.keys() | scale.keys())
    return {code: _build_code(code, names.get(code, ""), scale.get(code)) for code in codes}


def cameo_rows() -> list[CameoCode]:
    """Return every known CAMEO code sorted by code, e.g. to fill a SQL reference table."""
    return sorted(cameo_table().values(), key=lambda entry: entry.code)


def lookup_cameo(code: str) -> CameoLookup:
    """Look a CAMEO code up; never raises, whatever the input ("", "X", "99", "0256")."""
    key = code.strip() if isinstance(code, str) else ""
    table = cameo_table()
    for candidate in _ancestry(key):
        entry = table.get(candidate)
        if entry is not None:
            return CameoLookup(code=code, known=candidate == key, entry=entry)
    return CameoLookup(code=code, known=False, entry=None)


def _ancestry(code: str) -> tuple[str, ...]:
    """Return the code, then its three-digit and two-digit prefixes when shorter."""
    return (code, *(code[:n] for n in (3, 2) if len(code) > n))


def _build_code(code: str, name: str, goldstein: float | None) -> CameoCode:
    mapping = _plover_mapping(code)
    if mapping is not None:
        quad = quad_class_for_plover(mapping.plover_type)
    else:
        quad = _root_quad(code)
    return CameoCode(
        code=code,
        name=name,
        goldstein=goldstein,
        plover_type=mapping.plover_type if mapping else None,
        plover_mode=mapping.plover_mode if mapping else None,
        plover_context=mapping.plover_context if mapping else None,
        quad_class=quad,
    )


def _plover_mapping(code: str) -> PloverMapping | None:
    table = cameo_to_plover()
    return next((table[c] for c in _ancestry(code) if c in table), None)


def _root_quad(code: str) -> int:
    quad = quad_class_for_root(code)
    if quad is None:
        msg = f"CAMEO code {code!r} in the bundled tables has no root 01–20; fix the table"
        raise OntologyError(msg)
    return quad


def _read_pairs(name: str) -> dict[str, str]:
    """Read a two-column, tab-separated file with a header row into a dict."""
    text = (files("dyadwatch") / "data" / "ontology" / name).read_text(encoding="utf-8")
    pairs: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines()[1:], start=2):
        if not line.strip():
            continue
        code, sep, value = line.partition("\t")
        if not sep or not code.strip().isdigit():
            raise OntologyError(f"{name} line {lineno}: expected 'CODE<TAB>value', got {line!r}")
        pairs[code.strip()] = value.strip()
    return pairs


def _to_float(value: str, code: str) -> float:
    try:
        return float(value)
    except ValueError:
        msg = f"{GOLDSTEIN_FILE}: Goldstein value {value!r} of code {code} is not a number"
        raise OntologyError(msg) from None
