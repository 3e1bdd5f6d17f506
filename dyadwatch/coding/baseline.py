"""Baselines that every real coder is measured beside.

:class:`MajorityCoder` always answers one PLOVER type, with no actors, on every input. Built
with :meth:`MajorityCoder.fit` it answers the most frequent primary gold type of a dev set:
the "always answer the most common label" baseline of ``CODER_NOTES.md``. Fitting on the
set it is scored on makes it an optimistic reference, which is the point: a coder that does
not beat it has learned nothing about the speech act.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dyadwatch.coding.types import CodedActor, CodedEvent, TextInput
from dyadwatch.ontology import PLOVER_TYPES, quad_class_for_plover

_NO_ACTOR = CodedActor(text="", code=None, country=None, sector=None)


@dataclass(frozen=True, slots=True)
class MajorityCoder:
    """Always one event of ``plover_type``, confidence 1, source unknown, no target."""

    plover_type: str
    name: str = "majority-baseline"
    version: str = "1"

    def __post_init__(self) -> None:
        quad_class_for_plover(self.plover_type)  # raises OntologyError on an unknown type

    @classmethod
    def fit(cls, labels: Iterable[str | None]) -> MajorityCoder:
        """The coder answering the most frequent label (ties: first in PLOVER order)."""
        counts = Counter(label for label in labels if label is not None)
        if not counts:
            return cls(plover_type=PLOVER_TYPES[0])
        best = max(counts.values())
        return cls(plover_type=next(t for t in PLOVER_TYPES if counts[t] == best))

    def code(self, item: TextInput) -> list[CodedEvent]:
        return [self._event(item)]

    def code_many(self, items: Sequence[TextInput]) -> list[list[CodedEvent]]:
        return [self.code(item) for item in items]

    def _event(self, item: TextInput) -> CodedEvent:
        return CodedEvent(
            doc_id=item.id,
            event_type=self.plover_type,
            mode=None,
            quad_class=quad_class_for_plover(self.plover_type),
            source=_NO_ACTOR,
            target=None,
            fronts=(),
            location=None,
            date=item.date,
            confidence=1.0,
            evidence=item.text,
            lang=item.lang or "en",
        )
