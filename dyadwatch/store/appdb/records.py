"""What the app database's functions return: frozen records, never ORM objects.

A comment's email is stored but appears in no record: it is never shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

ROLE_RANK = {"reader": 0, "analyst": 1, "admin": 2}


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    email: str
    role: str
    created_at: dt.datetime

    def can(self, role: str) -> bool:
        """Whether this user has ``role`` or a higher one (reader < analyst < admin)."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


@dataclass(frozen=True)
class SessionInfo:
    """A live session: its user, and the secret its forms' CSRF tokens must match."""

    user: UserRecord
    csrf_secret: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class NewBrief:
    """A brief to publish: what the briefing renderer produced for one period."""

    period: str
    title: str
    lead: str
    html: str
    markdown: str = ""
    sections: tuple[dict[str, Any], ...] = ()
    created_at: dt.datetime | None = None
    author: str | None = None


@dataclass(frozen=True)
class BriefSummary:
    number: int
    period: str
    title: str
    lead: str
    published_at: dt.datetime
    author: str | None


@dataclass(frozen=True)
class BriefRecord:
    id: int
    number: int
    period: str
    title: str
    lead: str
    html: str
    markdown: str
    sections: tuple[dict[str, Any], ...]
    created_at: dt.datetime
    published_at: dt.datetime
    author: str | None

    def summary(self) -> BriefSummary:
        return BriefSummary(
            self.number, self.period, self.title, self.lead, self.published_at, self.author
        )


@dataclass(frozen=True)
class BriefList:
    items: tuple[BriefSummary, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class CommentRecord:
    """A comment as shown: never its email."""

    id: int
    brief_number: int
    user_id: int | None
    name: str
    text: str
    created_at: dt.datetime
    hidden: bool


@dataclass(frozen=True)
class CommentPage:
    items: tuple[CommentRecord, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class ReactionCounts:
    """The count of each of the six kinds (zeros included), and the viewer's own kind."""

    counts: dict[str, int] = field(default_factory=dict)
    mine: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Annotation:
    id: int
    event_id: str
    author: str | None
    text: str
    created_at: dt.datetime
