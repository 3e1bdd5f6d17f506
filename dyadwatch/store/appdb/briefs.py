"""Published briefs (numbered 1, 2, … in the order first published), analysts' section
notes, and the six reactions.

Publishing a period that is already published replaces its text and keeps its number,
reactions and comments. A user reacts once per brief: the UNIQUE(brief_id, user_id)
constraint decides, so concurrent attempts leave one row and the others get
:class:`AlreadyReactedError`.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dyadwatch.errors import AlreadyReactedError, InvalidInputError, NotFoundError
from dyadwatch.store.appdb.engine import AppDB
from dyadwatch.store.appdb.models import REACTION_KINDS, Brief, BriefNote, Reaction
from dyadwatch.store.appdb.records import (
    BriefList,
    BriefRecord,
    BriefSummary,
    NewBrief,
    ReactionCounts,
)

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_TITLE = 300
PUBLISH_RETRIES = 3


def check_period(period: str) -> str:
    if not PERIOD.match(period):
        raise InvalidInputError(f"a period is a month written YYYY-MM, got {period[:20]!r}")
    return period


def brief_record(brief: Brief) -> BriefRecord:
    return BriefRecord(
        id=brief.id,
        number=brief.number,
        period=brief.period,
        title=brief.title,
        lead=brief.lead,
        html=brief.html,
        markdown=brief.markdown,
        sections=tuple(brief.sections or ()),
        created_at=brief.created_at,
        published_at=brief.published_at,
        author=brief.author,
    )


def _check(new: NewBrief) -> None:
    check_period(new.period)
    if not new.title.strip() or len(new.title) > MAX_TITLE:
        raise InvalidInputError(f"a brief's title has 1 to {MAX_TITLE} characters")
    if not new.html.strip():
        raise InvalidInputError("a brief needs a body")


def publish(db: AppDB, new: NewBrief, *, author_id: int | None = None) -> BriefRecord:
    """Publish (or republish) the brief of ``new.period``; the stored record."""
    _check(new)
    for attempt in range(PUBLISH_RETRIES):
        try:
            with db.transaction() as session:
                return brief_record(_upsert(session, db, new, author_id))
        except IntegrityError:  # two first publications raced for a number or period
            if attempt == PUBLISH_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _upsert(session: Session, db: AppDB, new: NewBrief, author_id: int | None) -> Brief:
    now = db.clock()
    brief = session.scalar(select(Brief).where(Brief.period == new.period))
    if brief is None:
        number = (session.scalar(select(func.max(Brief.number))) or 0) + 1
        brief = Brief(number=number, period=new.period)
        session.add(brief)
    brief.title, brief.lead = new.title.strip(), new.lead
    brief.html, brief.markdown = new.html, new.markdown
    brief.sections = [dict(s) for s in new.sections]
    created = new.created_at or now
    brief.created_at = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
    brief.published_at = now
    brief.author, brief.author_id = (new.author or None), author_id
    session.flush()
    return brief


def list_briefs(db: AppDB, *, page: int = 1, per_page: int = 10) -> BriefList:
    """Published briefs, newest number first."""
    with db.transaction() as session:
        total = int(session.scalar(select(func.count()).select_from(Brief)) or 0)
        rows = session.scalars(
            select(Brief)
            .order_by(Brief.number.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
        return BriefList(tuple(brief_record(b).summary() for b in rows), total, page, per_page)


def get_brief(db: AppDB, number: int) -> BriefRecord:
    """Brief number ``number``, or :class:`NotFoundError`."""
    with db.transaction() as session:
        brief = session.scalar(select(Brief).where(Brief.number == number))
        if brief is None:
            raise NotFoundError(f"no brief number {number}")
        return brief_record(brief)


def neighbours(db: AppDB, number: int) -> tuple[BriefSummary | None, BriefSummary | None]:
    """The previous (lower number) and next (higher number) briefs of ``number``."""
    with db.transaction() as session:
        before = session.scalar(
            select(Brief).where(Brief.number < number).order_by(Brief.number.desc()).limit(1)
        )
        after = session.scalar(
            select(Brief).where(Brief.number > number).order_by(Brief.number).limit(1)
        )
        return (
            brief_record(before).summary() if before else None,
            brief_record(after).summary() if after else None,
        )


def check_kind(kind: str) -> str:
    if kind not in REACTION_KINDS:
        raise InvalidInputError(f"a reaction is one of {', '.join(REACTION_KINDS)}")
    return kind


def react(db: AppDB, number: int, *, user_id: int, kind: str) -> None:
    """Record ``user_id``'s reaction to brief ``number``; :class:`AlreadyReactedError` when
    they already reacted (the unique constraint decides, also under concurrency)."""
    check_kind(kind)
    brief_id = get_brief(db, number).id
    try:
        with db.transaction() as session:
            session.add(
                Reaction(brief_id=brief_id, user_id=user_id, kind=kind, created_at=db.clock())
            )
    except IntegrityError as exc:
        raise AlreadyReactedError("Already reacted for this post") from exc


def reaction_counts(db: AppDB, number: int, *, user_id: int | None = None) -> ReactionCounts:
    """The six counts of brief ``number`` (zeros included) and ``user_id``'s own kind."""
    brief_id = get_brief(db, number).id
    with db.transaction() as session:
        rows = session.execute(
            select(Reaction.kind, func.count())
            .where(Reaction.brief_id == brief_id)
            .group_by(Reaction.kind)
        ).all()
        mine = None
        if user_id is not None:
            mine = session.scalar(
                select(Reaction.kind).where(
                    Reaction.brief_id == brief_id, Reaction.user_id == user_id
                )
            )
    counts = dict.fromkeys(REACTION_KINDS, 0) | {str(k): int(n) for k, n in rows}
    return ReactionCounts(counts, mine)


def set_brief_note(
    db: AppDB, period: str, section: str, text: str, *, author_id: int | None = None
) -> None:
    """An analyst's note on ``section`` (a front key) of ``period``'s brief; an empty text
    removes it. The briefing generator reads them with :func:`brief_notes`."""
    check_period(period)
    if not section or len(section) > 40 or len(text) > 4000:
        raise InvalidInputError("a note needs a section key (≤ 40) and at most 4000 characters")
    with db.transaction() as session:
        note = session.scalar(
            select(BriefNote).where(BriefNote.period == period, BriefNote.section == section)
        )
        if not text.strip():
            if note is not None:
                session.delete(note)
            return
        if note is None:
            note = BriefNote(period=period, section=section)
            session.add(note)
        note.text, note.author_id, note.created_at = text.strip(), author_id, db.clock()


def brief_notes(db: AppDB, period: str) -> dict[str, str]:
    """Section key → note, for ``period``."""
    with db.transaction() as session:
        rows = session.execute(
            select(BriefNote.section, BriefNote.text).where(BriefNote.period == period)
        ).all()
    return {str(section): str(text) for section, text in rows}
