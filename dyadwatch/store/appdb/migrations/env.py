"""Alembic's environment for the app database: run on the connection the caller passes in
``config.attributes["connection"]`` (see ``dyadwatch.store.appdb.engine.migrate``)."""

from __future__ import annotations

from alembic import context

from dyadwatch.store.appdb.models import Base


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("the app database migrations run online only (upgrade head at startup)")
run_migrations_online()
