"""``dyadwatch serve``: the web dashboard and JSON API under uvicorn (docs/web.md)."""

from __future__ import annotations

import typer

from dyadwatch.cli.context import CliState, fail, state
from dyadwatch.errors import StoreError


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
) -> None:
    """Serve the dashboard and the /api/v1 JSON API on the store (read-only)."""
    run_server(state(ctx), host=host, port=port)


def run_server(cli: CliState, *, host: str, port: int) -> None:
    """Serve ``cli.settings.db`` until interrupted, after printing the dashboard's URL."""
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
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
