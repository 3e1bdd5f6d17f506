"""The six fronts of the dyad: fixed keys; labels, covers and keywords per pair.

An event may belong to several fronts. The keys and their order are fixed here in
:data:`FRONT_KEYS` (analysis rules, verdicts and stored events use them). Each pair's file
(``data/pairs/<dyad>.toml``, read by :mod:`dyadwatch.ontology.pairs`) gives their labels,
"covers" text and keywords, and must list the same keys in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dyadwatch.errors import OntologyError

if TYPE_CHECKING:
    from dyadwatch.ontology.pairs import Pair

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
    """One front: its key, a short label for pages, what it covers, and its keywords
    (language → words, for the coder; see ``coding/fronts.py``)."""

    key: str
    label: str
    covers: str
    keywords: tuple[tuple[str, tuple[str, ...]], ...] = ()


def fronts(pair: Pair | None = None) -> tuple[Front, ...]:
    """The six fronts in :data:`FRONT_KEYS` order, as ``pair`` configures them (default:
    the shipped U.S.–Mexico pair)."""
    from dyadwatch.ontology.pairs import DEFAULT_DYAD, bundled_pair

    return (pair or bundled_pair(DEFAULT_DYAD)).fronts


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
