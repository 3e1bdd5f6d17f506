"""The app database (layer 1): accounts, sessions, published briefs, reactions, comments
and event annotations, in SQLAlchemy 2 with Alembic migrations (docs/community.md).

SQLite by default (``DYADWATCH_APP_DB``, a path), PostgreSQL by URL. Every function takes
an :class:`AppDB` first and returns frozen records from ``records``.
"""

from dyadwatch.store.appdb.accounts import (
    MAX_FAILURES,
    WINDOW,
    authenticate,
    get_user,
    list_users,
    register_user,
    set_role,
)
from dyadwatch.store.appdb.briefs import (
    brief_notes,
    get_brief,
    list_briefs,
    neighbours,
    publish,
    react,
    reaction_counts,
    set_brief_note,
)
from dyadwatch.store.appdb.comments import (
    add_comment,
    annotate_event,
    delete_comment,
    event_annotations,
    list_comments,
    set_comment_hidden,
)
from dyadwatch.store.appdb.engine import AppDB, app_db_location, database_url, open_app_db
from dyadwatch.store.appdb.models import REACTION_KINDS, ROLES
from dyadwatch.store.appdb.records import (
    Annotation,
    BriefList,
    BriefRecord,
    BriefSummary,
    CommentPage,
    CommentRecord,
    NewBrief,
    ReactionCounts,
    SessionInfo,
    UserRecord,
)
from dyadwatch.store.appdb.sessions import end_session, read_session, start_session

__all__ = [
    "MAX_FAILURES",
    "REACTION_KINDS",
    "ROLES",
    "WINDOW",
    "Annotation",
    "AppDB",
    "BriefList",
    "BriefRecord",
    "BriefSummary",
    "CommentPage",
    "CommentRecord",
    "NewBrief",
    "ReactionCounts",
    "SessionInfo",
    "UserRecord",
    "add_comment",
    "app_db_location",
    "annotate_event",
    "authenticate",
    "brief_notes",
    "database_url",
    "delete_comment",
    "end_session",
    "event_annotations",
    "get_brief",
    "get_user",
    "list_briefs",
    "list_comments",
    "list_users",
    "neighbours",
    "open_app_db",
    "publish",
    "react",
    "reaction_counts",
    "read_session",
    "register_user",
    "set_brief_note",
    "set_comment_hidden",
    "set_role",
    "start_session",
]
