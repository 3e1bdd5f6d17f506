"""``dyadwatch demo``: build the demo store from the bundled real data."""

from __future__ import annotations

import typer


def demo(ctx: typer.Context) -> None:
    """Build the demo store from the bundled real data and print its status."""
    raise typer.Exit(1)
