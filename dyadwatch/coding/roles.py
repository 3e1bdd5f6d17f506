"""Who did what to whom: source and target actors around an event trigger.

Rules, in order:
- passive voice ("were designated ... by the State Department", "fue detenido por"):
  the actor after "by"/"por" is the source, the nearest actor before the trigger the target;
- otherwise the nearest actor ending before the trigger is the source and the nearest
  actor starting after it (and not the same entity) is the target;
- with no actor before the trigger, the first actor after it is the source;
- with no actor at all, the document's government (a White House text → USA GOV, a
  mañanera → MEX GOV) is the source, with lower confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.coding.types import ActorMention, CodedActor, Trigger

_PASSIVE_BEFORE = re.compile(
    r"\b(was|were|been|being|is|are|be|fue|fueron|sido|será|serán|son)\s+(\w+\s+){0,2}$", re.I
)
_AGENT_AFTER = re.compile(r"^\W*(\w+\W+){0,6}?(by|por)\b", re.I)


@dataclass(frozen=True, slots=True)
class Roles:
    source: ActorMention | None
    target: ActorMention | None


def assign_roles(sentence: str, trigger: Trigger, actors: Sequence[ActorMention]) -> Roles:
    """Pick the source and target of ``trigger`` among ``actors`` (sorted by position)."""
    before = [a for a in actors if a.end <= trigger.start]
    after = [a for a in actors if a.start >= trigger.end]
    if _is_passive(sentence, trigger) and after:
        return Roles(source=after[0], target=before[-1] if before else None)
    source = before[-1] if before else (after[0] if after else None)
    rest = [a for a in after if a is not source and not _same(a, source)]
    return Roles(source=source, target=rest[0] if rest else None)


def _is_passive(sentence: str, trigger: Trigger) -> bool:
    return bool(
        _PASSIVE_BEFORE.search(sentence[: trigger.start])
        and _AGENT_AFTER.search(sentence[trigger.end :])
    )


def _same(a: ActorMention, b: ActorMention | None) -> bool:
    return b is not None and a.code is not None and a.code == b.code and a.text == b.text


def as_coded(mention: ActorMention) -> CodedActor:
    return CodedActor(mention.text, mention.code, mention.country, mention.sector)


def default_actor(country: str | None) -> CodedActor:
    """The publishing government, for sentences that name no actor ("We will act")."""
    if country is None:
        return CodedActor("", None, None, None)
    return CodedActor("", f"{country}GOV", country, "GOV")
