"""Scenario YAML files: the bundled ones load, and a bad file names the field that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dyadwatch.errors import ScenarioFileError
from dyadwatch.scenarios.scenario_file import ASSUMPTIONS, bundled_scenarios, load_scenario

STAKEHOLDERS = {
    "White House",
    "Pentagon",
    "State Department",
    "U.S. Congress",
    "U.S. business",
    "Sheinbaum government",
    "SEDENA/Guardia Nacional",
    "Mexican Senate",
    "the cartels",
    "Canada",
}


def _good() -> dict[str, object]:
    return {
        "scenario": "toy",
        "title": "A toy issue",
        "basis": ASSUMPTIONS,
        "issue": {"question": "How much?", "low": 0, "high": 100},
        "stakeholders": [
            {
                "name": "A",
                "capability": 50,
                "position": 10,
                "salience": 80,
                "rationale": "a reason here",
            },
            {
                "name": "B",
                "capability": 40,
                "position": 90,
                "salience": 60,
                "rationale": "another reason",
            },
        ],
    }


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "toy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_bundled_scenarios_are_discoverable() -> None:
    assert bundled_scenarios() == ["usmx_military_action", "usmx_tariffs"]


@pytest.mark.parametrize("name", ["usmx_military_action", "usmx_tariffs", "usmx_tariffs.yaml"])
def test_bundled_scenarios_load_with_every_stakeholder(name: str) -> None:
    scenario = load_scenario(name)
    assert {s.name for s in scenario.stakeholders} == STAKEHOLDERS
    assert all(len(r) >= 10 and "\n" not in r for r in scenario.rationales.values())
    assert all(0 <= s.salience <= 1 for s in scenario.stakeholders)
    assert scenario.source.startswith("bundled:")


def test_a_good_file_loads_by_path(tmp_path: Path) -> None:
    scenario = load_scenario(_write(tmp_path, _good()))
    assert [s.salience for s in scenario.stakeholders] == [0.8, 0.6]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["stakeholders"][1].update(salience=140), r"stakeholders\[1\]\.salience.*140"),
        (
            lambda d: d["stakeholders"][0].pop("rationale"),
            r"stakeholders\[0\]\.rationale: Field required",
        ),
        (lambda d: d["stakeholders"][0].update(capability=0), r"stakeholders\[0\]\.capability"),
        (lambda d: d.update(basis="survey data"), r"basis: Input should be 'analyst assumptions"),
        (lambda d: d["stakeholders"][1].update(name="A"), r"repeated: A"),
        (lambda d: d["stakeholders"][1].update(position=120), r"B: position 120"),
        (lambda d: d["stakeholders"][0].update(mood="grim"), r"stakeholders\[0\]\.mood: Extra"),
        (lambda d: d.update(stakeholders=d["stakeholders"][:1]), r"stakeholders: List should"),
    ],
    ids=["salience", "rationale", "capability", "basis", "duplicate", "scale", "extra", "one"],
)
def test_bad_fields_are_named(tmp_path: Path, change: object, message: str) -> None:
    data = _good()
    change(data)  # type: ignore[operator]
    with pytest.raises(ScenarioFileError, match=message):
        load_scenario(_write(tmp_path, data))


def test_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("stakeholders: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match="not valid YAML"):
        load_scenario(path)


def test_unknown_name_lists_the_bundled_scenarios() -> None:
    with pytest.raises(ScenarioFileError, match="usmx_military_action, usmx_tariffs"):
        load_scenario("usmx_nothing")
