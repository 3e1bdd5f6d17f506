"""The one protocol every event coder implements (the real coder, baselines, test fakes).

A coder turns one text into zero or more :class:`~dyadwatch.coding.types.CodedEvent`.
``code_many`` codes a batch and must return one list per input, in input order; coders
batch their expensive steps there. ``name`` and ``version`` identify the coder in every
coded event's lineage and in EVALUATION.md; they are read-only here, so a frozen dataclass
with ``name: str`` and ``version: str`` fields conforms as well as a plain class.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from dyadwatch.coding.types import CodedEvent, TextInput


@runtime_checkable
class Coder(Protocol):
    """Text in, events out."""

    @property
    def name(self) -> str:
        """The coder's name, e.g. ``"dyadwatch-rules"`` (a plain attribute satisfies this)."""
        ...

    @property
    def version(self) -> str:
        """The coder's version, e.g. ``"0.1.0"``."""
        ...

    def code(self, item: TextInput) -> list[CodedEvent]:
        """Code one text; an empty list when it reports no event."""
        ...

    def code_many(self, items: Sequence[TextInput]) -> list[list[CodedEvent]]:
        """Code a batch; one list per item, in the same order."""
        ...
