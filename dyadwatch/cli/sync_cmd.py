"""``dyadwatch sync gdelt``: download new GDELT files and ingest them."""

from __future__ import annotations

import typer

app = typer.Typer(help="Fetch new files from a source and ingest them.")
