"""The backtest report: a Markdown score table and an SVG calibration figure.

The figure is a Vega-Lite spec rendered to SVG offline by ``vl_convert`` (no CDN):
the PIT histogram of each forecaster at horizons 1–3, and the empirical coverage of
its 50/80/95% intervals against the nominal level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.forecast.backtest import (
    PUBLISH_HORIZONS,
    BacktestResult,
    WindowResult,
    forecaster_names,
)
from dyadwatch.forecast.baselines import BASELINES

COVERAGE_TOLERANCE = 0.05


@dataclass(frozen=True, slots=True)
class Goal:
    """Does ``model`` beat no-change and conflictology at horizons 1–3, with 80% and 95%
    coverage within ±5 points, in a window?"""

    model: str
    beats_baselines: bool
    calibrated: bool

    @property
    def met(self) -> bool:
        return self.beats_baselines and self.calibrated


@dataclass(frozen=True, slots=True)
class ReportFiles:
    markdown: Path
    figure: Path


def check_goal(window: WindowResult, model: str) -> Goal:
    """The issue's goal for one forecaster in one window."""
    horizons = [h for h in PUBLISH_HORIZONS if _has(window, model, h)]
    beats = all(
        window.score(model, h).crps < window.score(base, h).crps
        for h in horizons
        for base in ("no_change", "conflictology")
    )
    calibrated = all(
        abs(window.score(model, h).coverage80 - 0.8) <= COVERAGE_TOLERANCE
        and abs(window.score(model, h).coverage95 - 0.95) <= COVERAGE_TOLERANCE
        for h in horizons
    )
    return Goal(model, beats, calibrated)


def verdict(result: BacktestResult) -> str:
    """One plain paragraph: what is published and why, and whether the goal is met."""
    window = result.latest
    best_baseline = min(BASELINES, key=window.mean_crps)
    if result.published_is_model:
        ours, theirs = window.mean_crps(result.published), window.mean_crps(best_baseline)
        lead = (
            f"**Published: `{result.published}`.** It has the lowest mean CRPS at horizons "
            f"1–3 in the last {result.test_months} months ({ours:,.2f} against {theirs:,.2f} "
            f"for the best baseline, `{best_baseline}`)."
        )
    else:
        lead = (
            f"**No model beats the baselines here. Published: the best baseline, "
            f"`{result.published}`** (mean CRPS at horizons 1–3: "
            f"{window.mean_crps(result.published):,.2f})."
        )
    model = best_model(window)
    goals = [check_goal(w, model) for w in result.windows]
    states = ", ".join(
        f"{w.label}: {_goal_text(g)}" for w, g in zip(result.windows, goals, strict=True)
    )
    return (
        f"{lead}\n\nGoal (beat no_change and conflictology at h=1–3; 80%/95% coverage within "
        f"±5 points) for the best model, `{model}`: {states}."
    )


def best_model(window: WindowResult) -> str:
    """The model (not a baseline) with the lowest mean CRPS at horizons 1–3."""
    models = [name for name in forecaster_names() if name not in BASELINES]
    return min(models, key=window.mean_crps)


def write_report(result: BacktestResult, folder: Path) -> ReportFiles:
    """Write ``backtest_<target>.md`` and its SVG figure into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    figure = folder / f"backtest_{result.target}_calibration.svg"
    figure.write_text(calibration_svg(result), encoding="utf-8")
    markdown = folder / f"backtest_{result.target}.md"
    markdown.write_text(report_markdown(result, figure.name), encoding="utf-8")
    return ReportFiles(markdown, figure)


def report_markdown(result: BacktestResult, figure_name: str) -> str:
    """The whole report as Markdown."""
    parts = [
        f"# Backtest: `{result.target}`",
        "",
        f"{result.n_units} unit(s). {result.note} Rolling origin, no leakage: every "
        "forecast uses only the months up to its origin. Scores are means over units and "
        "test months; ratios below 1 beat the baseline.",
        "",
        verdict(result),
        "",
    ]
    for window in result.windows:
        parts += [
            f"## {window.label.capitalize()} ({window.first:%Y-%m} to {window.last:%Y-%m})",
            "",
            *score_table(window),
            "",
        ]
    parts += [
        "## Calibration",
        "",
        f"![PIT histograms and interval coverage, last window]({figure_name})",
        "",
        "A calibrated forecaster has a flat PIT histogram (each bar 0.1) and its coverage "
        "points on the diagonal. Escalation (Brier): " + _escalation_text(result) + ".",
        "",
    ]
    return "\n".join(parts)


def score_table(window: WindowResult) -> list[str]:
    """Markdown rows: forecaster × horizon with every score and the two baseline ratios."""
    lines = [
        "| model | h | CRPS | ÷ no_change | ÷ conflictology | MAE | pinball | Brier "
        "| cov50 | cov80 | cov95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for score in sorted(window.scores, key=lambda s: (s.horizon, s.crps)):
        no_change = window.score("no_change", score.horizon).crps
        conflictology = window.score("conflictology", score.horizon).crps
        lines.append(
            f"| {score.model} | {score.horizon} | {score.crps:.4g} | "
            f"{_ratio(score.crps, no_change)} | {_ratio(score.crps, conflictology)} | "
            f"{score.mae:.4g} | {score.pinball:.4g} | {score.brier:.3f} | "
            f"{score.coverage50:.2f} | {score.coverage80:.2f} | {score.coverage95:.2f} |"
        )
    return lines


def calibration_spec(result: BacktestResult) -> dict[str, Any]:
    """The Vega-Lite spec of the calibration figure (last window)."""
    window = result.latest
    pit_rows = [
        {"model": model, "bin": round((i + 0.5) / len(shares), 3), "share": share}
        for model, shares in window.pit.items()
        for i, share in enumerate(shares)
    ]
    coverage_rows = [
        {"model": s.model, "nominal": nominal, "empirical": empirical, "horizon": s.horizon}
        for s in window.scores
        if s.horizon in PUBLISH_HORIZONS
        for nominal, empirical in ((0.5, s.coverage50), (0.8, s.coverage80), (0.95, s.coverage95))
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": f"{result.target}: calibration, {window.label} (h = 1–3)",
        "hconcat": [_pit_chart(pit_rows), _coverage_chart(coverage_rows)],
    }


def _pit_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "data": {"values": rows},
        "mark": "bar",
        "width": 110,
        "height": 70,
        "encoding": {
            "facet": {"field": "model", "type": "nominal", "columns": 4, "title": "PIT"},
            "x": {
                "field": "bin",
                "type": "ordinal",
                "title": None,
                "axis": {"labels": False, "ticks": False},
            },
            "y": {"field": "share", "type": "quantitative", "title": "share"},
        },
    }


def _coverage_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    diagonal = [{"nominal": v, "empirical": v} for v in (0.4, 1.0)]
    return {
        "width": 220,
        "height": 220,
        "layer": [
            {
                "data": {"values": diagonal},
                "mark": {"type": "line", "color": "grey"},
                "encoding": {
                    "x": {"field": "nominal", "type": "quantitative"},
                    "y": {"field": "empirical", "type": "quantitative"},
                },
            },
            {
                "data": {"values": rows},
                "mark": {"type": "point", "filled": True},
                "encoding": {
                    "x": {
                        "field": "nominal",
                        "type": "quantitative",
                        "scale": {"domain": [0.4, 1.0]},
                        "title": "nominal coverage",
                    },
                    "y": {
                        "field": "empirical",
                        "type": "quantitative",
                        "scale": {"domain": [0.0, 1.0]},
                        "title": "empirical coverage",
                    },
                    "color": {"field": "model", "type": "nominal"},
                    "shape": {"field": "horizon", "type": "ordinal"},
                },
            },
        ],
    }


def calibration_svg(result: BacktestResult) -> str:
    """The calibration figure as SVG, rendered offline."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(calibration_spec(result)))


def _has(window: WindowResult, model: str, horizon: int) -> bool:
    return any(s.model == model and s.horizon == horizon for s in window.scores)


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.3f}" if base else "–"


def _goal_text(goal: Goal) -> str:
    if goal.met:
        return "met"
    missing = []
    if not goal.beats_baselines:
        missing.append("does not beat both baselines at every horizon")
    if not goal.calibrated:
        missing.append("coverage off by more than 5 points")
    return "not met (" + "; ".join(missing) + ")"


def _escalation_text(result: BacktestResult) -> str:
    rules = {
        "above_p80": "fatalities or victims above the unit's 80th percentile of the last "
        "10 years known at the origin",
        "rise_20pct": "a rise of 20% or more over the last observed month",
        "below_p20": "net cooperation below the unit's 20th percentile",
    }
    from dyadwatch.forecast.targets import TARGETS

    return rules[TARGETS[result.target].escalation]
