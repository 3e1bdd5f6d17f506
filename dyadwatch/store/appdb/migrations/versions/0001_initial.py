"""The first schema: users, sessions, login attempts, briefs and notes, reactions, comments,
event annotations, and the app's signing key.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLES = "role IN ('reader', 'analyst', 'admin')"
KINDS = "kind IN ('like', 'insightful', 'concerned', 'agree', 'disagree', 'surprised')"


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _user(nullable: bool, ondelete: str) -> sa.Column[int]:
    return sa.Column(
        "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable
    )


def _brief() -> sa.Column[int]:
    return sa.Column(
        "brief_id", sa.Integer(), sa.ForeignKey("briefs.id", ondelete="CASCADE"), nullable=False
    )


def _when(name: str = "created_at") -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(), nullable=False)


def upgrade() -> None:
    keys = op.create_table(
        "app_keys",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )
    op.bulk_insert(keys, [{"name": "csrf", "value": secrets.token_hex(32)}])
    op.create_table(
        "users",
        _id(),
        sa.Column("username", sa.String(40), nullable=False, unique=True),
        sa.Column("username_key", sa.String(160), nullable=False, unique=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        _when(),
        sa.CheckConstraint(ROLES, name="ck_users_role"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        _user(False, "CASCADE"),
        _when(),
        _when("expires_at"),
        sa.Column("csrf_secret", sa.String(64), nullable=False),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        _id(),
        sa.Column("username_key", sa.String(160), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        _when("at"),
    )
    op.create_index("ix_login_attempts_user_at", "login_attempts", ["username_key", "at"])
    op.create_index("ix_login_attempts_ip_at", "login_attempts", ["ip", "at"])
    _briefs()
    _community()


def _briefs() -> None:
    op.create_table(
        "briefs",
        _id(),
        sa.Column("number", sa.Integer(), nullable=False, unique=True),
        sa.Column("period", sa.String(7), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("lead", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        _when(),
        _when("published_at"),
        sa.Column("author", sa.String(80), nullable=True),
        sa.Column(
            "author_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
    )
    op.create_table(
        "brief_notes",
        _id(),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("section", sa.String(40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "author_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
        _when(),
        sa.UniqueConstraint("period", "section", name="uq_brief_notes_section"),
    )


def _community() -> None:
    op.create_table(
        "reactions",
        _id(),
        _brief(),
        _user(False, "CASCADE"),
        sa.Column("kind", sa.String(12), nullable=False),
        _when(),
        sa.UniqueConstraint("brief_id", "user_id", name="uq_reactions_brief_user"),
        sa.CheckConstraint(KINDS, name="ck_reactions_kind"),
    )
    op.create_index("ix_reactions_user_id", "reactions", ["user_id"])
    op.create_table(
        "comments",
        _id(),
        _brief(),
        _user(True, "SET NULL"),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _when(),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_comments_brief_created", "comments", ["brief_id", "created_at"])
    op.create_table(
        "event_annotations",
        _id(),
        sa.Column("event_id", sa.String(200), nullable=False),
        _user(True, "SET NULL"),
        sa.Column("text", sa.Text(), nullable=False),
        _when(),
    )
    op.create_index("ix_event_annotations_event_id", "event_annotations", ["event_id"])


def downgrade() -> None:
    for table in ("event_annotations", "comments", "reactions", "brief_notes", "briefs"):
        op.drop_table(table)
    for table in ("login_attempts", "sessions", "users", "app_keys"):
        op.drop_table(table)
