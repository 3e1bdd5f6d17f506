"""What every command shares: the settings, the consoles, and error-to-exit-code mapping."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import typer
from rich.console import Console

from dyadwatch.errors import ConfigError, DyadwatchError, SourceError
from dyadwatch.settings import Settings, load_settings
from dyadwatch.store import Store, open_reader, open_store

EXIT_INPUT = 2  # a bad file, option or setting
EXIT_FAILURE = 1  # the store or the network failed


@dataclass(frozen=True, slots=True)
class CliState:
    settings: Settings
    out: Console
    err: Console


def state(ctx: typer.Context) -> CliState:
    return ctx.ensure_object(CliState)  # type: ignore[no-any-return]


def fail(err: Console, exc: DyadwatchError) -> typer.Exit:
    """Print a library error on stderr and give the exit code for it."""
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
    code = EXIT_INPUT if isinstance(exc, SourceError | ConfigError) else EXIT_FAILURE
    return typer.Exit(code)


@contextlib.contextmanager
def store_for(cli: CliState, *, read_only: bool = False) -> Iterator[Store]:
    """Open the configured store: as its writer (waiting, with a message, while another
    writer works), or with ``read_only`` its readers' copy, which never waits for a
    writer (see :mod:`dyadwatch.store.connection`). Library errors become exit codes."""
    settings = cli.settings

    def on_wait(message: str) -> None:
        cli.err.print(f"[yellow]{message}[/]", highlight=False, soft_wrap=True)

    opener = open_reader if read_only else open_store
    try:
        with opener(settings.db, wait=settings.store_wait_seconds, on_wait=on_wait) as store:
            yield store
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc


def dyad_option(dyad: str | None) -> tuple[str, str] | None:
    """A ``--dyad`` option (``USA-MEX``) as two ISO3 codes, or a clear error."""
    if dyad is None:
        return None
    try:
        return load_settings(dyad=dyad).dyad_countries
    except ConfigError as exc:
        raise ConfigError(f"--dyad {dyad!r}: use two ISO3 codes like USA-MEX") from exc
