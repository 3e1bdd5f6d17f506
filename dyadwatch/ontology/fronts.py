"""The six fronts of the dyad: a fixed set, defined in ``data/ontology/fronts.toml``.

An event may belong to several fronts. The keys and their order are fixed here in
:data:`FRONT_KEYS`; labels and the "covers" text live in the TOML file, whose keys must
match (checked when it is loaded).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files

from dyadwatch.errors import OntologyError

FRONTS_FILE = "fronts.toml"

FRONT_KEYS: tuple[str, ...] = (
    "fentanyl",
    "migration",
    "trade",
    "militarization",
    "military_action",
    "cooperation",
)


@dataclass(frozen=True, slots=True)
class Front:
    """One front: its key, a short label for pages, and what it covers."""

    key: str
    label: str
    covers: str


@functools.cache
def fronts() -> tuple[Front, ...]:
    """Return the six fronts in :data:`FRONT_KEYS` order."""
    path = files("dyadwatch") / "data" / "ontology" / FRONTS_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if tuple(data) != FRONT_KEYS:
        msg = f"{FRONTS_FILE} defines {list(data)}; it must define {list(FRONT_KEYS)} in order"
        raise OntologyError(msg)
    return tuple(_front(key, table) for key, table in data.items())


def validate_fronts(keys: Iterable[str]) -> tuple[str, ...]:
    """Return the given front keys deduplicated, in FRONT_KEYS order.

    A single string counts as one key. Raises OntologyError naming every unknown key and
    listing the valid ones.
    """
    wanted = [keys] if isinstance(keys, str) else list(keys)
    unknown = [key for key in dict.fromkeys(wanted) if key not in FRONT_KEYS]
    if unknown:
        bad = ", ".join(repr(key) for key in unknown)
        msg = f"unknown front {bad}; valid fronts are: {', '.join(FRONT_KEYS)}"
        raise OntologyError(msg)
    return tuple(key for key in FRONT_KEYS if key in wanted)


def _front(key: str, table: object) -> Front:
    if not isinstance(table, dict) or not all(
        isinstance(table.get(field), str) for field in ("label", "covers")
    ):
        raise OntologyError(f"{FRONTS_FILE}: [{key}] needs a string 'label' and 'covers'")
    return Front(key=key, label=table["label"], covers=table["covers"])
