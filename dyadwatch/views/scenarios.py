"""The scenarios page: a VAR shock form that returns conditional paths, and the
bargaining model on a bundled scenario with edited stakeholders and shocks."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyadwatch.errors import ScenarioError
from dyadwatch.scenarios.bargaining import Stakeholder, compare_shocks, parse_shock
from dyadwatch.scenarios.report import bargain_report, var_report
from dyadwatch.scenarios.scenario_file import Scenario, bundled_scenarios, load_scenario
from dyadwatch.scenarios.var import run_var_scenario
from dyadwatch.views.charts import Chart, line_chart

MAX_HORIZON = 36
MAX_SHOCKS = 20


@dataclass(frozen=True, slots=True)
class StakeholderRow:
    """A stakeholder as the form shows it (salience on the file's 0-100 scale)."""

    name: str
    capability: float
    position: float
    salience: float
    rationale: str


@dataclass(frozen=True, slots=True)
class ScenarioFile:
    """A bundled scenario file, for the bargaining form."""

    name: str
    title: str
    question: str
    stakeholders: tuple[StakeholderRow, ...]


@dataclass(frozen=True, slots=True)
class VarResult:
    """A VAR run: the report (model checks, path, impulse responses) and its chart."""

    shock: str
    months: int
    horizon: int
    report: dict[str, Any]
    chart: Chart


@dataclass(frozen=True, slots=True)
class BargainResult:
    """A bargaining run: the report (outcome, rounds) and its chart."""

    scenario: str
    shocks: tuple[str, ...]
    report: dict[str, Any]
    chart: Chart


@dataclass(frozen=True, slots=True)
class ScenariosContext:
    """``/scenarios`` and its JSON twin; the POST forms fill ``var`` or ``bargain``."""

    panel_source: str
    panel_columns: tuple[str, ...]
    files: tuple[ScenarioFile, ...]
    var: VarResult | None = None
    bargain: BargainResult | None = None
    error: str | None = None


def scenario_files() -> tuple[ScenarioFile, ...]:
    """The bundled scenario files with their stakeholders."""
    out = []
    for name in bundled_scenarios():
        sc = load_scenario(name)
        rows = tuple(
            StakeholderRow(
                s.name, s.capability, s.position, round(s.salience * 100, 6), sc.rationales[s.name]
            )
            for s in sc.stakeholders
        )
        out.append(ScenarioFile(sc.name, sc.title, sc.question, rows))
    return tuple(out)


def build_scenarios(panel: pd.DataFrame, source: str) -> ScenariosContext:
    """The page with its empty forms."""
    columns = tuple(c for c in panel.columns if panel[c].notna().any())
    return ScenariosContext(source, columns, scenario_files())


def run_var(
    panel: pd.DataFrame,
    source: str,
    *,
    series: str,
    size: float,
    months: int,
    horizon: int = 12,
) -> VarResult:
    """Shock ``series`` by ``size`` for ``months`` and trace every series."""
    if series not in panel.columns:
        raise ScenarioError(f"unknown series {series!r}; choose one of: {', '.join(panel.columns)}")
    if not math.isfinite(size):
        raise ScenarioError("the shock size must be a finite number")
    if not 1 <= months <= horizon <= MAX_HORIZON:
        raise ScenarioError(f"use 1 ≤ months ≤ horizon ≤ {MAX_HORIZON}")
    run = run_var_scenario(panel, series=series, size=size, months=months, horizon=horizon)
    report = _finite(var_report(run, source=source))
    rows = [
        {"month": row["month"], "series": name, "difference": cell["difference"]}
        for row in report["path"]
        for name, cell in row["series"].items()
    ]
    chart = line_chart(
        "var-path",
        f"{series} {size:+g} for {months} months: scenario minus baseline",
        rows,
        x="month",
        y="difference",
        color="series",
    )
    return VarResult(f"{series}={size:g}", months, horizon, report, chart)


def run_bargain(
    name: str, *, edits: Mapping[str, Mapping[str, float]], shocks: Sequence[str]
) -> BargainResult:
    """Run a bundled scenario with edited stakeholders (``name → field → value``, salience
    0-100) and ``NAME:field=value`` shocks."""
    if name not in bundled_scenarios():
        raise ScenarioError(
            f"unknown scenario {name!r}; choose one of: {', '.join(bundled_scenarios())}"
        )
    if len(shocks) > MAX_SHOCKS:
        raise ScenarioError(f"at most {MAX_SHOCKS} shocks")
    scenario = _edited(load_scenario(name), edits)
    parsed = [parse_shock(text) for text in shocks]
    comparison = compare_shocks(scenario.stakeholders, parsed, params=scenario.params)
    report = _finite(bargain_report(scenario, comparison))
    rows = [
        {"round": r["round"], "run": run, "median": r["median"]}
        for run in ("baseline", "shocked")
        if run in report
        for r in report[run]["rounds"]
    ]
    chart = _round_chart(rows)
    return BargainResult(name, tuple(shocks), report, chart)


def _edited(scenario: Scenario, edits: Mapping[str, Mapping[str, float]]) -> Scenario:
    known = {s.name for s in scenario.stakeholders}
    unknown = set(edits) - known
    if unknown:
        raise ScenarioError(f"unknown stakeholder(s): {', '.join(sorted(unknown))}")
    people = []
    for s in scenario.stakeholders:
        change = dict(edits.get(s.name, {}))
        if "salience" in change:
            change["salience"] = change["salience"] / 100.0
        if any(not math.isfinite(v) for v in change.values()):
            raise ScenarioError(f"{s.name}: values must be finite numbers")
        people.append(Stakeholder(**(dataclasses.asdict(s) | change)))
    return dataclasses.replace(scenario, stakeholders=tuple(people))


def _round_chart(rows: list[dict[str, Any]]) -> Chart:
    chart = line_chart(
        "bargain-path", "Median position by round", rows, x="round", y="median", color="run"
    )
    chart.spec["encoding"]["x"]["type"] = "ordinal"
    chart.spec["encoding"]["tooltip"][0]["type"] = "ordinal"
    return chart


def _finite(value: Any) -> Any:
    """NaN and infinities become None, so the report is valid JSON."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
