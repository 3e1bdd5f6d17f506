"""``dyadwatch serve``: the web dashboard and JSON API under uvicorn (docs/web.md)."""

from __future__ import annotations

import typer

from dyadwatch.cli.context import CliState, fail, state
from dyadwatch.cli.schedule import UpdateSchedule, parse_every
from dyadwatch.errors import DyadwatchError, StoreError


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    update_every: str = typer.Option(
        "0",
        "--update-every",
        help="Run 'dyadwatch update' this often beside the server (15m, 1h; 0: never).",
    ),
) -> None:
    """Serve the dashboard and the /api/v1 JSON API. It reads the store's readers' copy, so
    writers (update, ingest) run meanwhile; with --update-every it starts them itself."""
    cli = state(ctx)
    try:
        every = parse_every(update_every)
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    run_server(cli, host=host, port=port, update_every=every)


def run_server(cli: CliState, *, host: str, port: int, update_every: float = 0.0) -> None:
    """Serve ``cli.settings.db`` until interrupted, after printing the dashboard's URL;
    with ``update_every`` (seconds), run ``dyadwatch update`` on that schedule."""
    import uvicorn

    from dyadwatch.web.app import create_app

    if not cli.settings.db.exists():
        raise fail(
            cli.err,
            StoreError(
                f"no store at {cli.settings.db}. Build one with 'dyadwatch demo' or pass --db."
            ),
        )
    app = create_app(cli.settings)
    cli.out.print(f"dyadwatch dashboard on http://{host}:{port}/ (store {cli.settings.db})")
    schedule = None
    if update_every:
        schedule = UpdateSchedule(cli.settings, update_every, cli.err.print).start()
        cli.out.print(f"updating every {update_every:.0f} s (log: {schedule.log})")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        if schedule is not None:
            schedule.stop()
