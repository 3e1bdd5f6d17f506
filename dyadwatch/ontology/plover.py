"""PLOVER event types, quad classes, and the official CAMEO→PLOVER table.

PLOVER is dyadwatch's primary event type. The 19 current types fall into four quad
classes (``docs`` ARCHITECTURE.md, "Ontology")::

    1 verbal cooperation     AGREE, CONSULT, SUPPORT, CONCEDE
    2 material cooperation   COOPERATE, AID, RETREAT, INVESTIGATE
    3 verbal conflict        DEMAND, DISAPPROVE, REJECT, THREATEN, SANCTION
    4 material conflict      PROTEST, CRIME, MOBILIZE, COERCE, ASSAULT, FIGHT

CAMEO codes are mapped with the official table ``CAMEO2PLOVER-2021.txt`` (PLOVER manual
draft 0.8, 17 September 2021), bundled verbatim. Each line reads
``CODE: TYPE, mode, context # description``; fields may be blank or missing, ``#`` lines
and the ``~~~~~`` terminator are skipped, and a bare ``NN: TYPE`` line heads a CAMEO root.

The table uses the 2021 draft labels. They are converted to the current 19 types:

* ``ACCUSE`` → ``INVESTIGATE`` when its mode is ``investigate`` or the code is under CAMEO
  root 09 (the bare ``09: ACCUSE`` header has no mode, but every 09x line is
  ``investigate`` and CAMEO 09 is "Investigate"); every other ``ACCUSE`` → ``DISAPPROVE``.
* ``REQUEST`` → ``DEMAND``.
* ``ASSAULT`` under CAMEO root 19 (conventional military force: 19, 190, 193–196,
  including 195 aerial weapons) → ``FIGHT``. Root 20 (unconventional mass violence)
  stays ``ASSAULT``. 191 and 192 are ``COERCE`` in the table and stay so.

No other draft label occurs; an unknown label is an :class:`OntologyError`. Modes and
contexts are kept as written, with surrounding blanks stripped (``"ban "`` → ``"ban"``).

Duplicates: 175 appears twice with identical type, mode and context (only the description
differs); the later line wins. Root 08 is headed twice, ``08: CONCEDE`` then
``08: RETREAT``; a repeated bare header only opens a sub-block and never overrides, so
root 08 stays ``CONCEDE``, the type of 080 "Yield, not specified below".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.resources import files

from dyadwatch.errors import OntologyError

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "SANCTION",
    "PROTEST",
    "CRIME",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "FIGHT",
)

QUAD_CLASSES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

_QUAD_OF_TYPE: dict[str, int] = {
    **dict.fromkeys(PLOVER_TYPES[0:4], 1),
    **dict.fromkeys(PLOVER_TYPES[4:8], 2),
    **dict.fromkeys(PLOVER_TYPES[8:13], 3),
    **dict.fromkeys(PLOVER_TYPES[13:19], 4),
}

# CAMEO's own grouping of its 20 roots, used only when a code has no PLOVER type.
_QUAD_OF_ROOT: dict[int, int] = {
    **dict.fromkeys(range(1, 6), 1),
    **dict.fromkeys(range(6, 10), 2),
    **dict.fromkeys(range(10, 15), 3),
    **dict.fromkeys(range(15, 21), 4),
}

TABLE_FILE = "CAMEO2PLOVER-2021.txt"

_LINE = re.compile(r"^(?P<code>\d{2,4})\s*:(?P<fields>[^#]*)(?:#(?P<note>.*))?$")


@dataclass(frozen=True, slots=True)
class PloverMapping:
    """One row of the CAMEO→PLOVER table, with its type converted to the current 19."""

    plover_type: str
    plover_mode: str | None
    plover_context: str | None
    draft_label: str


def quad_class_for_plover(plover_type: str) -> int:
    """Return the quad class (1–4) of a PLOVER type; raise OntologyError if unknown."""
    try:
        return _QUAD_OF_TYPE[plover_type]
    except (KeyError, TypeError):
        valid = ", ".join(PLOVER_TYPES)
        msg = f"unknown PLOVER type {plover_type!r}; use one of: {valid}"
        raise OntologyError(msg) from None


def quad_class_for_root(code: str) -> int | None:
    """Return CAMEO's quad class for a code's root (01–05 → 1 … 15–20 → 4), or None."""
    root = code[:2]
    if len(root) != 2 or not root.isdigit():
        return None
    return _QUAD_OF_ROOT.get(int(root))


def current_plover_type(label: str, *, mode: str | None, code: str) -> str | None:
    """Convert a 2021 draft label to one of the 19 current types, or None if unknown."""
    if label == "ACCUSE":
        return "INVESTIGATE" if mode == "investigate" or code.startswith("09") else "DISAPPROVE"
    if label == "REQUEST":
        return "DEMAND"
    if label == "ASSAULT" and code.startswith("19"):
        return "FIGHT"
    return label if label in _QUAD_OF_TYPE else None


@functools.cache
def cameo_to_plover() -> dict[str, PloverMapping]:
    """Parse the bundled CAMEO→PLOVER table into ``{cameo_code: mapping}`` (read-only)."""
    table: dict[str, PloverMapping] = {}
    text = (files("dyadwatch") / "data" / "ontology" / TABLE_FILE).read_text(encoding="utf-8")
    for lineno, line in enumerate(text.splitlines(), start=1):
        parsed = _parse_line(line, lineno)
        if parsed is None:
            continue
        code, mapping, is_header = parsed
        if is_header and code in table:
            continue  # a repeated root header ("08: RETREAT") only opens a sub-block
        table[code] = mapping
    return table


def _parse_line(line: str, lineno: int) -> tuple[str, PloverMapping, bool] | None:
    text = line.strip()
    if not text or text.startswith(("#", "~")):
        return None
    match = _LINE.match(text)
    fields = [field.strip() for field in match["fields"].split(",")] if match else []
    if match is None or len(fields) > 3 or not fields[0]:
        expected = "'CODE: TYPE, mode, context # description'"
        msg = f"{TABLE_FILE} line {lineno}: cannot parse {text!r}; expected {expected}"
        raise OntologyError(msg)
    code = match["code"]
    label, mode, context = (fields + ["", ""])[:3]
    plover_type = current_plover_type(label.upper(), mode=mode or None, code=code)
    if plover_type is None:
        msg = f"{TABLE_FILE} line {lineno}: unknown PLOVER label {label!r}; add a conversion"
        raise OntologyError(msg)
    mapping = PloverMapping(plover_type, mode or None, context or None, label.upper())
    return code, mapping, len(fields) == 1
