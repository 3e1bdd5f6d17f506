"""Scenario results as plain JSON-ready dictionaries, the one shape the CLI prints as JSON
and renders as tables."""

from __future__ import annotations

from typing import Any

import numpy as np

from dyadwatch.scenarios.bargaining import BargainingResult, Round, ShockComparison
from dyadwatch.scenarios.scenario_file import ASSUMPTIONS, Scenario
from dyadwatch.scenarios.var import VarScenario


def bargain_report(scenario: Scenario, comparison: ShockComparison) -> dict[str, Any]:
    """The baseline run of a scenario, and the shocked run when shocks were given."""
    report: dict[str, Any] = {
        "scenario": scenario.name,
        "title": scenario.title,
        "question": scenario.question,
        "source": scenario.source,
        "basis": ASSUMPTIONS,
        "stakeholders": [
            {
                "name": s.name,
                "capability": s.capability,
                "position": s.position,
                "salience": round(s.salience * 100, 6),
                "rationale": scenario.rationales[s.name],
            }
            for s in scenario.stakeholders
        ],
        "baseline": _run(comparison.baseline),
    }
    if comparison.shocks:
        report["shocks"] = [
            {
                "name": s.name,
                "field": s.field,
                "value": s.value * 100 if s.field == "salience" else s.value,
            }
            for s in comparison.shocks
        ]
        report["shocked"] = _run(comparison.shocked)
        report["outcome_change"] = comparison.outcome_change
        report["position_changes"] = comparison.position_changes
    return report


def _run(result: BargainingResult) -> dict[str, Any]:
    names = [s.name for s in result.stakeholders]
    return {
        "outcome": result.outcome,
        "mean": result.mean,
        "converged": result.converged,
        "rounds": [_round(r, names) for r in result.rounds],
    }


def _round(r: Round, names: list[str]) -> dict[str, Any]:
    return {
        "round": r.number,
        "median": r.median,
        "mean": r.mean,
        "positions": dict(zip(names, r.positions, strict=True)),
        "risk": dict(zip(names, r.risk, strict=True)),
        "moves": [
            {
                "actor": m.actor,
                "toward": m.toward,
                "kind": m.kind,
                "before": m.before,
                "after": m.after,
            }
            for m in r.moves
        ],
    }


def var_report(run: VarScenario, *, source: str) -> dict[str, Any]:
    """Model checks, the conditional path of every series, and the shocked series'
    impulse responses with bands."""
    fit, path = run.fit, run.path
    data = fit.panel.data
    return {
        "panel": source,
        "columns": fit.columns,
        "transforms": fit.panel.transforms,
        "dropped_constant": list(fit.panel.dropped),
        "left_out": run.left_out,
        "sample": {
            "start": data.index[0].date().isoformat(),
            "end": data.index[-1].date().isoformat(),
            "months": len(data),
        },
        "lag_order": fit.lag_order,
        "criterion": fit.criterion,
        "criteria": {str(k): v for k, v in fit.criteria.items()},
        "max_lags": fit.max_lags,
        "stable": fit.stable,
        "eigenvalue_moduli": list(fit.eigenvalue_moduli),
        "shock": {"series": path.series, "size": path.size, "months": path.months},
        "path": _path_rows(run),
        "irf": _irf(run),
    }


def _path_rows(run: VarScenario) -> list[dict[str, Any]]:
    path = run.path
    rows = []
    for month in path.index:
        rows.append(
            {
                "month": month.date().isoformat(),
                "series": {
                    c: {
                        "baseline": float(path.baseline.at[month, c]),
                        "scenario": float(path.scenario.at[month, c]),
                        "difference": float(path.difference.at[month, c]),
                    }
                    for c in path.baseline.columns
                },
            }
        )
    return rows


def _irf(run: VarScenario) -> dict[str, Any]:
    irf = run.irf
    j = irf.columns.index(run.path.series)

    def table(values: np.ndarray) -> dict[str, list[float]]:
        return {c: [float(v) for v in values[:, i, j]] for i, c in enumerate(irf.columns)}

    return {
        "impulse": run.path.series,
        "units": "modelled units (see transforms), per one standard deviation of the innovation",
        "coverage": irf.coverage,
        "response": table(irf.responses),
        "lower": table(irf.lower),
        "upper": table(irf.upper),
    }
