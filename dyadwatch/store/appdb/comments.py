"""Comments on briefs, and analysts' annotations of events.

A comment has a name, an email (stored, never returned) and a text, within length limits.
Its author (a signed-in user) can delete it; an analyst or admin can hide it. Deleted
comments are kept as rows (``deleted``) but never listed; hidden ones are listed only for
moderators.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dyadwatch.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from dyadwatch.store.appdb.accounts import check_email
from dyadwatch.store.appdb.briefs import get_brief
from dyadwatch.store.appdb.engine import AppDB
from dyadwatch.store.appdb.models import Brief, Comment, EventAnnotation, User
from dyadwatch.store.appdb.records import Annotation, CommentPage, CommentRecord, UserRecord

MAX_NAME = 80
MAX_TEXT = 4000
MAX_ANNOTATION = 4000


def _comment_record(comment: Comment, number: int) -> CommentRecord:
    return CommentRecord(
        id=comment.id,
        brief_number=number,
        user_id=comment.user_id,
        name=comment.name,
        text=comment.text,
        created_at=comment.created_at,
        hidden=comment.hidden,
    )


def check_comment(name: str, email: str, text: str) -> tuple[str, str, str]:
    """The trimmed name, email and text, or :class:`InvalidInputError` naming the field."""
    name, text = name.strip(), text.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInputError(f"Name is required (at most {MAX_NAME} characters)")
    if not text or len(text) > MAX_TEXT:
        raise InvalidInputError(f"Comment is required (at most {MAX_TEXT} characters)")
    return name, check_email(email), text


def add_comment(
    db: AppDB, number: int, *, name: str, email: str, text: str, user_id: int | None = None
) -> CommentRecord:
    """A new comment on brief ``number`` (``user_id`` when its author is signed in)."""
    name, email, text = check_comment(name, email, text)
    brief_id = get_brief(db, number).id
    with db.transaction() as session:
        comment = Comment(
            brief_id=brief_id,
            user_id=user_id,
            name=name,
            email=email,
            text=text,
            created_at=db.clock(),
            hidden=False,
            deleted=False,
        )
        session.add(comment)
        session.flush()
        return _comment_record(comment, number)


def list_comments(
    db: AppDB, number: int, *, page: int = 1, per_page: int = 20, moderator: bool = False
) -> CommentPage:
    """The comments of brief ``number``, oldest first; hidden ones only for moderators."""
    brief_id = get_brief(db, number).id
    where = [Comment.brief_id == brief_id, Comment.deleted.is_(False)]
    if not moderator:
        where.append(Comment.hidden.is_(False))
    with db.transaction() as session:
        total = int(session.scalar(select(func.count()).where(*where)) or 0)
        rows = session.scalars(
            select(Comment)
            .where(*where)
            .order_by(Comment.created_at, Comment.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
        items = tuple(_comment_record(c, number) for c in rows)
    return CommentPage(items, total, page, per_page)


def delete_comment(db: AppDB, comment_id: int, *, user: UserRecord) -> int:
    """Delete a comment; only its author (or an admin) may. The brief's number."""
    with db.transaction() as session:
        comment = _live_comment(session, comment_id)
        if comment.user_id != user.id and not user.can("admin"):
            raise PermissionDeniedError("only the author of a comment can delete it")
        comment.deleted = True
        return _number(session, comment)


def set_comment_hidden(db: AppDB, comment_id: int, *, user: UserRecord, hidden: bool) -> int:
    """Hide (or show again) a comment; analysts and admins only. The brief's number."""
    if not user.can("analyst"):
        raise PermissionDeniedError("only analysts and admins can hide comments")
    with db.transaction() as session:
        comment = _live_comment(session, comment_id)
        comment.hidden = hidden
        return _number(session, comment)


def _live_comment(session: Session, comment_id: int) -> Comment:
    comment = session.get(Comment, comment_id)
    if comment is None or comment.deleted:
        raise NotFoundError(f"no comment {comment_id}")
    return comment


def _number(session: Session, comment: Comment) -> int:
    return int(session.scalar(select(Brief.number).where(Brief.id == comment.brief_id)) or 0)


def annotate_event(db: AppDB, event_id: str, text: str, *, user: UserRecord) -> Annotation:
    """An analyst's note on event ``event_id``; analysts and admins only."""
    if not user.can("analyst"):
        raise PermissionDeniedError("only analysts and admins can annotate events")
    text = text.strip()
    if not event_id or len(event_id) > 200 or not text or len(text) > MAX_ANNOTATION:
        raise InvalidInputError(f"an annotation has 1 to {MAX_ANNOTATION} characters")
    with db.transaction() as session:
        note = EventAnnotation(event_id=event_id, user_id=user.id, text=text)
        note.created_at = db.clock()
        session.add(note)
        session.flush()
        return Annotation(note.id, event_id, user.username, text, note.created_at)


def event_annotations(db: AppDB, event_id: str) -> tuple[Annotation, ...]:
    """The annotations of event ``event_id``, oldest first."""
    with db.transaction() as session:
        rows = session.execute(
            select(EventAnnotation, User.username)
            .outerjoin(User, User.id == EventAnnotation.user_id)
            .where(EventAnnotation.event_id == event_id)
            .order_by(EventAnnotation.created_at, EventAnnotation.id)
        ).all()
        return tuple(Annotation(a.id, a.event_id, name, a.text, a.created_at) for a, name in rows)
