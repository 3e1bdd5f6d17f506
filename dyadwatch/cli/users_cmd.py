"""``dyadwatch users list`` and ``dyadwatch users set-role``: the site's accounts."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from dyadwatch.cli.context import CliState, fail, state
from dyadwatch.errors import ConfigError, DyadwatchError, InvalidInputError, NotFoundError

if TYPE_CHECKING:
    from dyadwatch.store.appdb import AppDB

app = typer.Typer(help="The site's accounts (the app database, DYADWATCH_APP_DB).")


@app.command("list")
def list_(
    ctx: typer.Context,
    page: int = typer.Option(1, "--page", min=1, help="Page of 50 accounts."),
) -> None:
    """List accounts with their roles (emails are shown only here, to the operator)."""
    from dyadwatch.store.appdb import list_users

    cli = state(ctx)
    with _app_db(cli) as db:
        users = list_users(db, page=page)
    table = Table(title=f"Accounts, page {page}")
    for column in ("username", "email", "role", "created"):
        table.add_column(column)
    for user in users:
        table.add_row(user.username, user.email, user.role, f"{user.created_at:%Y-%m-%d}")
    cli.out.print(table)


@app.command("set-role")
def set_role(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="An existing account."),
    role: str = typer.Argument(..., help="reader, analyst or admin."),
) -> None:
    """Give an account a role: analysts publish briefs, annotate events and hide comments;
    admins also manage roles on the site. The first admin is made here."""
    from dyadwatch.store.appdb import set_role as assign

    cli = state(ctx)
    with _app_db(cli) as db:
        user = assign(db, username, role)
    cli.out.print(f"{user.username} is now {user.role}", markup=False)


@contextlib.contextmanager
def _app_db(cli: CliState) -> Iterator[AppDB]:
    from dyadwatch.store.appdb import AppDB, app_db_location

    db = None
    try:
        db = AppDB(app_db_location(cli.settings)).open()
        yield db
    except (InvalidInputError, NotFoundError) as exc:  # a bad name or role: exit 2
        raise fail(cli.err, ConfigError(str(exc))) from exc
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    finally:
        if db is not None:
            db.close()
