"""``dyadwatch train coder``: rebuild the coder's learned stages from the labelled corpus."""

from __future__ import annotations

from pathlib import Path

import typer

from dyadwatch.cli.context import fail, state
from dyadwatch.errors import ConfigError, DyadwatchError

app = typer.Typer(help="Train the coder's models from labels.", no_args_is_help=True)


@app.command("coder")
def coder(
    ctx: typer.Context,
    labels: Path = typer.Option(Path("labels"), "--labels", help="The labelled corpus folder."),
    shared: Path | None = typer.Option(
        None,
        "--shared",
        envvar="DYADWATCH_SHARED_DIR",
        help="The shared data folder (for the PLV training set); required.",
    ),
    out: Path = typer.Option(
        None, "--out", help="Where to write the models (default: the package's data/models)."
    ),
) -> None:
    """Fit relevance, type, factuality and direction on the train split (fixed seed)."""
    from dyadwatch.coding.actors import load_actor_matcher
    from dyadwatch.coding.stages import bundled_models_dir
    from dyadwatch.coding.train import dev_scores, train_models, write_models

    cli = state(ctx)
    if shared is None:
        raise fail(
            cli.err,
            ConfigError(
                "no shared data folder: pass --shared (or set DYADWATCH_SHARED_DIR) to the "
                "folder that holds data/devsets/training_only"
            ),
        )
    matcher, pair = load_actor_matcher(), cli.settings.dyad_countries
    try:
        models, manifest = train_models(
            matcher,
            pair=pair,
            labels=labels,
            shared=shared,
            progress=lambda message: cli.err.print(message, markup=False),
        )
        cli.err.print("scoring on the dev split", markup=False)
        manifest["dev_scores"] = dev_scores(models, matcher, labels=labels, pair=pair)
        path = write_models(models, manifest, out or bundled_models_dir())
    except DyadwatchError as exc:
        raise fail(cli.err, exc) from exc
    cli.out.print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) and its manifest")
