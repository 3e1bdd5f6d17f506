"""Scenario files for the bargaining model: YAML, validated with pydantic at the trust boundary.

A bundled scenario (``dyadwatch/data/scenarios/*.yaml``) can be named without its path or
suffix, e.g. ``usmx_tariffs``. Every stakeholder value in a scenario file is an analyst's
assumption, not data; the file says so in its ``basis`` field and gives a one-line
rationale per stakeholder.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dyadwatch.errors import ScenarioFileError
from dyadwatch.scenarios.bargaining import BargainingParams, Stakeholder

ASSUMPTIONS = "analyst assumptions, not data"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IssueSpec(_Strict):
    question: str = Field(min_length=3)
    low: float = 0.0
    high: float = 100.0
    anchors: dict[float, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> IssueSpec:
        if self.high <= self.low:
            raise ValueError(f"high ({self.high}) must be above low ({self.low})")
        return self


class StakeholderSpec(_Strict):
    name: str = Field(min_length=1)
    capability: float = Field(gt=0, le=100)
    position: float
    salience: float = Field(ge=0, le=100)
    rationale: str = Field(min_length=10, max_length=300, pattern=r"^[^\n]+$")


class ModelSpec(_Strict):
    q: float = Field(default=1.0, ge=0, le=1)
    t: float = Field(default=1.0, ge=0, le=1)
    max_rounds: int = Field(default=10, ge=1, le=100)


class ScenarioSpec(_Strict):
    """The file layout. Capability is relative (0-100], salience 0-100 (the model uses /100),
    positions lie on the issue's scale."""

    scenario: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    basis: Literal["analyst assumptions, not data"]
    as_of: str | None = None
    issue: IssueSpec
    model: ModelSpec = ModelSpec()
    stakeholders: list[StakeholderSpec] = Field(min_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> ScenarioSpec:
        names = [s.name for s in self.stakeholders]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise ValueError(f"stakeholder names must be unique; repeated: {', '.join(doubles)}")
        for s in self.stakeholders:
            if not self.issue.low <= s.position <= self.issue.high:
                raise ValueError(
                    f"{s.name}: position {s.position} is outside the issue scale "
                    f"{self.issue.low}-{self.issue.high}"
                )
        return self


@dataclass(frozen=True, slots=True)
class Scenario:
    """A loaded scenario, ready for :func:`run_bargaining`."""

    name: str
    title: str
    question: str
    source: str
    stakeholders: tuple[Stakeholder, ...]
    rationales: dict[str, str]
    params: BargainingParams
    anchors: dict[float, str]


def bundled_scenarios() -> list[str]:
    """Names of the scenario files shipped with dyadwatch."""
    return sorted(p.name.removesuffix(".yaml") for p in _bundled_dir().iterdir() if _is_yaml(p))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read and validate a scenario file, or a bundled scenario by name."""
    source, text = _read(name_or_path)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioFileError(f"{source}: not valid YAML: {exc}") from exc
    try:
        spec = ScenarioSpec.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioFileError(f"{source}: {_explain(exc)}") from exc
    return _scenario(spec, source)


def _bundled_dir() -> Traversable:
    return resources.files("dyadwatch") / "data" / "scenarios"


def _is_yaml(path: Traversable) -> bool:
    return path.name.endswith(".yaml")


def _read(name_or_path: str | Path) -> tuple[str, str]:
    path = Path(name_or_path)
    if path.is_file():
        return str(path), path.read_text(encoding="utf-8")
    bundled = _bundled_dir() / f"{path.name.removesuffix('.yaml')}.yaml"
    if path.parent == Path(".") and bundled.is_file():
        return f"bundled:{bundled.name}", bundled.read_text(encoding="utf-8")
    raise ScenarioFileError(
        f"{name_or_path}: no such scenario file; give a path or one of the bundled "
        f"scenarios: {', '.join(bundled_scenarios())}"
    )


def _explain(exc: ValidationError) -> str:
    """One line per problem: the field's path, what is wrong, and the value given."""
    lines = []
    for err in exc.errors():
        where = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"])
        where = where.replace(".[", "[") or "file"
        given = f" (got {err['input']!r})" if err["type"] != "missing" else ""
        lines.append(f"{where}: {err['msg']}{given}")
    return "; ".join(lines)


def _scenario(spec: ScenarioSpec, source: str) -> Scenario:
    stakeholders = tuple(
        Stakeholder(s.name, s.capability, s.position, s.salience / 100.0) for s in spec.stakeholders
    )
    params = BargainingParams(q=spec.model.q, t=spec.model.t, max_rounds=spec.model.max_rounds)
    return Scenario(
        name=spec.scenario,
        title=spec.title,
        question=spec.issue.question,
        source=source,
        stakeholders=stakeholders,
        rationales={s.name: s.rationale for s in spec.stakeholders},
        params=params,
        anchors=dict(spec.issue.anchors),
    )
