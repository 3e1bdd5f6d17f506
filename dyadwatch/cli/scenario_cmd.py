"""``dyadwatch scenario var|bargain|list``: what-if scenarios (docs/scenarios.md)."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from dyadwatch.cli.context import EXIT_INPUT, CliState, fail, state, store_for
from dyadwatch.errors import DyadwatchError, ScenarioError

app = typer.Typer(help="What-if scenarios: VAR conditional paths and the bargaining model.")


@app.command("var")
def var(
    ctx: typer.Context,
    shock: str = typer.Option(..., "--shock", help="SERIES=SIZE, in the series' own units."),
    months: int = typer.Option(..., "--months", help="Months the shock lasts."),
    horizon: int = typer.Option(12, "--horizon", help="Months to trace."),
    columns: str = typer.Option(
        None, "--series", help="Comma-separated series to model (default: chosen by coverage)."
    ),
    fmt: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Fit a VAR on the monthly panel and trace every series if SERIES rises by SIZE."""
    from dyadwatch.scenarios.panel import scenario_panel
    from dyadwatch.scenarios.report import var_report
    from dyadwatch.scenarios.var import parse_var_shock, run_var_scenario

    cli = state(ctx)
    with store_for(cli, read_only=True) as store:
        try:
            series, size = parse_var_shock(shock)
            _check_format(fmt)
            panel, source = scenario_panel(store, cli.settings)
            chosen = [c.strip() for c in columns.split(",")] if columns else None
            run = run_var_scenario(
                panel, series=series, size=size, months=months, horizon=horizon, columns=chosen
            )
        except DyadwatchError as exc:
            raise _error(cli, exc) from exc
    report = var_report(run, source=source)
    _print_json(cli, report) if fmt == "json" else _var_tables(cli, report)


@app.command("bargain")
def bargain(
    ctx: typer.Context,
    file: str = typer.Argument(..., help="A scenario YAML file, or a bundled name."),
    shocks: list[str] = typer.Option(
        [], "--shock", help="NAME:field=value (field: position, salience, capability)."
    ),
    fmt: str = typer.Option("table", "--format", help="table or json."),
) -> None:
    """Run the expected-utility bargaining model on a scenario, with optional shocks."""
    from dyadwatch.scenarios.bargaining import compare_shocks, parse_shock
    from dyadwatch.scenarios.report import bargain_report
    from dyadwatch.scenarios.scenario_file import load_scenario

    cli = state(ctx)
    try:
        _check_format(fmt)
        scenario = load_scenario(file)
        parsed = [parse_shock(text) for text in shocks]
        comparison = compare_shocks(scenario.stakeholders, parsed, params=scenario.params)
    except DyadwatchError as exc:
        raise _error(cli, exc) from exc
    report = bargain_report(scenario, comparison)
    _print_json(cli, report) if fmt == "json" else _bargain_tables(cli, report)


@app.command("list")
def list_scenarios(ctx: typer.Context) -> None:
    """List the bundled scenario files, by name and question."""
    from dyadwatch.scenarios.scenario_file import bundled_scenarios, load_scenario

    cli = state(ctx)
    table = Table("name", "question", title="bundled scenarios (analyst assumptions)")
    for name in bundled_scenarios():
        table.add_row(name, load_scenario(name).question)
    cli.out.print(table)


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise ScenarioError(f"--format {fmt!r}: use table or json")


def _error(cli: CliState, exc: DyadwatchError) -> typer.Exit:
    exit_ = fail(cli.err, exc)
    return typer.Exit(EXIT_INPUT) if isinstance(exc, ScenarioError) else exit_


def _print_json(cli: CliState, report: dict[str, Any]) -> None:
    cli.out.print_json(json.dumps(report))


def _var_tables(cli: CliState, report: dict[str, Any]) -> None:
    sample, shock = report["sample"], report["shock"]
    cli.out.print(
        f"VAR({report['lag_order']}) by {report['criterion'].upper()} (max {report['max_lags']}) "
        f"on {sample['months']} months {sample['start']}..{sample['end']}, "
        f"panel {report['panel']}; "
        f"{'stable' if report['stable'] else 'NOT stable'} "
        f"(largest eigenvalue modulus {report['eigenvalue_moduli'][0]:.3f})"
    )
    cli.out.print("transforms: " + ", ".join(f"{k}={v}" for k, v in report["transforms"].items()))
    if report["lag_order"] == report["max_lags"] > 1:
        cli.out.print(
            "note: the criterion chose the largest lag tried; the fit may be overparameterised"
        )
    for name, why in report["left_out"].items():
        cli.out.print(f"left out {name}: {why}", markup=False)
    columns = report["columns"]
    table = Table(
        "month",
        *columns,
        title=f"{shock['series']} +{shock['size']:g} for {shock['months']} months, "
        "scenario minus baseline",
    )
    for row in report["path"]:
        table.add_row(row["month"], *(f"{row['series'][c]['difference']:+,.1f}" for c in columns))
    cli.out.print(table)
    _irf_table(cli, report["irf"])


def _irf_table(cli: CliState, irf: dict[str, Any]) -> None:
    last = len(next(iter(irf["response"].values()))) - 1
    steps = sorted(h for h in {1, 3, 6, last} if h <= last)
    title = f"impulse responses to {irf['impulse']}, {irf['coverage']:.0%} bands ({irf['units']})"
    table = Table("response of", *(f"h={h}" for h in steps), title=title)
    for name, values in irf["response"].items():
        low, high = irf["lower"][name], irf["upper"][name]
        table.add_row(name, *(f"{values[h]:.3g} [{low[h]:.3g}, {high[h]:.3g}]" for h in steps))
    cli.out.print(table)


def _bargain_tables(cli: CliState, report: dict[str, Any]) -> None:
    cli.out.print(f"{report['title']} ({report['source']}); inputs are {report['basis']}")
    runs = {
        "baseline": report["baseline"],
        **({"shocked": report["shocked"]} if "shocked" in report else {}),
    }
    table = Table("stakeholder", "capability", "salience", "start", *(f"{k} end" for k in runs))
    for s in report["stakeholders"]:
        ends = (f"{run['rounds'][-1]['positions'][s['name']]:.1f}" for run in runs.values())
        table.add_row(
            s["name"], f"{s['capability']:g}", f"{s['salience']:g}", f"{s['position']:g}", *ends
        )
    cli.out.print(table)
    path = Table(
        "round", *(f"{k} median" for k in runs), *(f"{k} mean" for k in runs), title="path"
    )
    for i in range(max(len(run["rounds"]) for run in runs.values())):
        rounds = [run["rounds"][min(i, len(run["rounds"]) - 1)] for run in runs.values()]
        path.add_row(
            str(i), *(f"{r['median']:.2f}" for r in rounds), *(f"{r['mean']:.2f}" for r in rounds)
        )
    cli.out.print(path)
    for name, run in runs.items():
        settled = "settled" if run["converged"] else "still moving at the last round"
        outcome = f"{name} outcome (median voter): {run['outcome']:.2f}"
        cli.out.print(f"{outcome}; mean {run['mean']:.2f}; {settled}")
    if "outcome_change" in report:
        cli.out.print(f"the shocks move the outcome by {report['outcome_change']:+.2f}")
