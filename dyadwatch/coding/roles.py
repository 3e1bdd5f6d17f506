"""Who did what to whom: source and target actors around an event trigger.

Rules, in order:
- passive voice ("were designated ... by the State Department", "fue detenido por") or an
  agent phrase ("la ejecución de dos campesinos por parte de paramilitares"): the actor
  after "by"/"por" is the source, the nearest actor before the trigger the target;
- otherwise the nearest actor ending before the trigger is the source and the nearest
  actor starting after the trigger's first word (and not the same entity) is the target;
  a trigger phrase may contain its object ("designated six Mexican cartels as ...");
- a generic noun with no country ("troops", "officials") is never a target, nor are the
  forces a MOBILIZE event moves ("deployed 10,000 National Guard troops");
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
# a trigger phrase that holds its own auxiliary ("fue ejecutado", "were detained")
_PASSIVE_TRIGGER = re.compile(r"^(was|were|been|fue|fueron|(ha|han|hab[ií]an?) sido)\s", re.I)
_AGENT_AFTER = re.compile(r"^\W*(\w+\W+){0,6}?(by|por)\b", re.I)


@dataclass(frozen=True, slots=True)
class Roles:
    source: ActorMention | None
    target: ActorMention | None


def assign_roles(sentence: str, trigger: Trigger, actors: Sequence[ActorMention]) -> Roles:
    """Pick the source and target of ``trigger`` among ``actors`` (sorted by position)."""
    before = [a for a in actors if a.end <= trigger.start]
    after = [a for a in actors if a.start >= trigger.start and a not in before]
    if _is_passive(sentence, trigger) and after:
        return Roles(
            source=after[-1] if _by_agent_last(sentence, trigger) else after[0],
            target=before[-1] if before else None,
        )
    source = before[-1] if before else (after[0] if after else None)
    rest = [a for a in after if a is not source and not _same(a, source)]
    targets = [a for a in rest if _can_be_target(a, trigger)]
    return Roles(source=source, target=targets[0] if targets else None)


def _can_be_target(actor: ActorMention, trigger: Trigger) -> bool:
    if actor.kind == "unknown" and actor.country is None:
        return False
    return not (trigger.plover_type == "MOBILIZE" and actor.sector in {"MIL", "COP"})


def _by_agent_last(sentence: str, trigger: Trigger) -> bool:
    """In "designated X as Y by Z" the agent is the last actor of the phrase."""
    return " by " in sentence[trigger.start :] or " por " in sentence[trigger.start :]


# an agent phrase that needs no auxiliary: "la ejecución de dos campesinos por parte de
# paramilitares", "the killing of two farmers at the hands of soldiers"
_AGENTIVE_AFTER = re.compile(r"^\W*(\w+\W+){0,8}?(por parte de|at the hands of)\b", re.I)


def _is_passive(sentence: str, trigger: Trigger) -> bool:
    if _AGENTIVE_AFTER.search(sentence[trigger.end :]):
        return True
    auxiliary = _PASSIVE_BEFORE.search(sentence[: trigger.start]) or _PASSIVE_TRIGGER.match(
        trigger.text
    )
    return bool(auxiliary and _AGENT_AFTER.search(sentence[trigger.end :]))


def _same(a: ActorMention, b: ActorMention | None) -> bool:
    return b is not None and a.code is not None and a.code == b.code and a.text == b.text


def as_coded(mention: ActorMention) -> CodedActor:
    return CodedActor(mention.text, mention.code, mention.country, mention.sector)


def default_actor(country: str | None) -> CodedActor:
    """The publishing government, for sentences that name no actor ("We will act")."""
    if country is None:
        return CodedActor("", None, None, None)
    return CodedActor("", f"{country}GOV", country, "GOV")
