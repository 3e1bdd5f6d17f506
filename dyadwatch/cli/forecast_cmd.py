"""``dyadwatch backtest`` and ``dyadwatch forecast``: honest backtests, stored forecasts."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from dyadwatch.cli.context import CliState, fail, state, store_for
from dyadwatch.errors import DyadwatchError

if TYPE_CHECKING:
    from dyadwatch.forecast.backtest import BacktestPlan, BacktestResult
    from dyadwatch.forecast.publish import PublishedForecast

DEMO_TARGETS = ("mx-state-violence", "border-encounters", "mx-national-crimes")


def backtest(
    ctx: typer.Context,
    target: str = typer.Option(
        ...,
        "--target",
        help="mx-state-violence, mx-state-homicides, mx-national-crimes, border-encounters or "
        "dyad-index.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as one JSON object."),
    reports: Path = typer.Option(Path("reports"), "--reports", help="Folder for the report."),
    quick: bool = typer.Option(
        False, "--quick", help="Horizons 1–3, models fitted once per window (the demo's plan)."
    ),
) -> None:
    """Backtest every baseline and model on a target over the last 24 months and the 24
    before; write reports/backtest_TARGET.md with an SVG calibration figure."""
    from dyadwatch.forecast.publish import backtest_target

    cli = state(ctx)
    with store_for(cli) as store:
        try:
            run = backtest_target(
                store,
                target,
                settings=cli.settings,
                report_dir=reports,
                now=_now(),
                plan=_plan(quick),
            )
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    if as_json:
        from dyadwatch.forecast.backtest import contract

        _print_json(cli, contract(run.result))
        return
    print_scorecard(cli, run.result)
    cli.out.print(f"report: {run.markdown} (figure {run.figure.name})")


def forecast(
    ctx: typer.Context,
    target: str = typer.Option(..., "--target", help="The target to forecast."),
    horizon: int = typer.Option(3, "--horizon", help="Forecast 1 to H months ahead."),
    model: str = typer.Option(
        None, "--model", help="Forecaster to use (default: the one the latest backtest published)."
    ),
    fmt: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Forecast a target with the published forecaster, store its quantiles per unit in the
    store (table forecasts) and print them."""
    from dyadwatch.forecast.publish import publish_forecast

    cli = state(ctx)
    if fmt not in ("table", "json"):
        cli.err.print(f"error: --format must be table or json, not {fmt!r}")
        raise typer.Exit(2)
    with store_for(cli) as store:
        try:
            published = publish_forecast(
                store, target, settings=cli.settings, horizon=horizon, now=_now(), model=model
            )
        except DyadwatchError as exc:
            raise fail(cli.err, exc) from exc
    if fmt == "json":
        _print_json(cli, asdict(published))
        return
    cli.out.print(forecast_table(published))


def demo_scorecards(cli: CliState) -> None:
    """Quick backtests of the demo targets, with their reports and scorecards, then each
    target's forecast (3 months) from the forecaster its backtest published, stored for the
    dashboard and the briefing (for ``dyadwatch demo``)."""
    from dyadwatch.forecast.publish import backtest_target, publish_forecast

    with store_for(cli) as store:
        for target in DEMO_TARGETS:
            try:
                run = backtest_target(
                    store,
                    target,
                    settings=cli.settings,
                    report_dir=Path("reports"),
                    now=_now(),
                    plan=_plan(True),
                )
                published = publish_forecast(
                    store, target, settings=cli.settings, horizon=3, now=_now()
                )
            except DyadwatchError as exc:
                raise fail(cli.err, exc) from exc
            print_scorecard(cli, run.result)
            cli.out.print(
                f"report: {run.markdown}; stored a 3-month forecast by {published.model}\n"
            )


def print_scorecard(cli: CliState, result: BacktestResult) -> None:
    """The last window's CRPS per forecaster at horizons 1–3, with ratios and coverage."""
    from dyadwatch.forecast.report import verdict

    window = result.latest
    horizons = [h for h in (1, 2, 3) if any(s.horizon == h for s in window.scores)]
    table = Table(
        title=f"backtest {result.target}: {window.label} "
        f"({window.first:%Y-%m} to {window.last:%Y-%m})"
    )
    table.add_column("model")
    for h in horizons:
        table.add_column(f"CRPS h{h} (÷ no_change)", justify="right")
    table.add_column("cov80 / cov95", justify="right")
    for model in result.forecasters:
        cells = []
        for h in horizons:
            crps, base = window.score(model, h).crps, window.score("no_change", h).crps
            cells.append(f"{crps:,.1f} ({crps / base:.2f})" if base else f"{crps:,.1f}")
        cov80 = sum(window.score(model, h).coverage80 for h in horizons) / len(horizons)
        cov95 = sum(window.score(model, h).coverage95 for h in horizons) / len(horizons)
        name = f"[bold]{model}[/]" if model == result.published else model
        table.add_row(name, *cells, f"{cov80:.2f} / {cov95:.2f}")
    cli.out.print(table)
    cli.out.print(verdict(result).replace("**", ""), soft_wrap=True)


def forecast_table(published: PublishedForecast) -> Table:
    """One row per unit and horizon: the median and the 80% and 95% intervals."""
    levels = list(published.levels)
    low95, low80, mid = levels.index(0.025), levels.index(0.1), levels.index(0.5)
    high80, high95 = levels.index(0.9), levels.index(0.975)
    table = Table(title=f"{published.target}: {published.model}, origin {published.origin}")
    for column in ("unit", "month", "median", "80% interval", "95% interval"):
        table.add_column(column, justify="left" if column in ("unit", "month") else "right")
    for row in published.rows:
        q = row.quantiles
        table.add_row(
            row.unit,
            f"{row.period:%Y-%m}",
            f"{q[mid]:,.1f}",
            f"{q[low80]:,.1f} – {q[high80]:,.1f}",
            f"{q[low95]:,.1f} – {q[high95]:,.1f}",
        )
    return table


def _plan(quick: bool) -> BacktestPlan:
    from dyadwatch.forecast.backtest import BacktestPlan

    if quick:
        return BacktestPlan(horizons=(1, 2, 3), refit_every=27, gbm_max_iter=50)
    return BacktestPlan()


def _print_json(cli: CliState, payload: object) -> None:
    cli.out.print(json.dumps(payload, default=str), markup=False, highlight=False, soft_wrap=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
