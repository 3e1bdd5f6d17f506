"""The bargaining model on the worked example of Scholz, Calbert & Smith (2011) and on the
bundled U.S.-Mexico scenarios.

The example's input (BDM 1994, Table 1: ten EC members' preferred delay, in years, before
emission standards for medium-sized cars) is transcribed from the open replications
dmasad/BDM_DecisionModel_Replication and jmckib/bdm-scholz-expected-utility-model
(ExampleActors.csv). The paper's own round-by-round numbers could not be retrieved here;
see docs/scenarios.md for what is and is not compared.
"""

from __future__ import annotations

import numpy as np
import pytest

from dyadwatch.errors import ScenarioError
from dyadwatch.scenarios.bargaining import (
    BargainingParams,
    Shock,
    Stakeholder,
    apply_shocks,
    compare_shocks,
    median_voter,
    parse_shock,
    run_bargaining,
    win_probabilities,
)
from dyadwatch.scenarios.scenario_file import load_scenario

EC_EMISSIONS = [  # name, capability, position (years), salience
    ("Netherlands", 0.08, 4, 0.8),
    ("Belgium", 0.08, 7, 0.4),
    ("Luxembourg", 0.03, 4, 0.2),
    ("Germany", 0.16, 4, 0.8),
    ("France", 0.16, 10, 0.6),
    ("Italy", 0.16, 10, 0.6),
    ("UK", 0.16, 10, 0.9),
    ("Ireland", 0.05, 7, 0.1),
    ("Denmark", 0.05, 4, 1.0),
    ("Greece", 0.08, 7, 0.7),
]


def _ec() -> list[Stakeholder]:
    return [Stakeholder(n, c, float(x), s) for n, c, x, s in EC_EMISSIONS]


def test_example_starting_median_and_mean() -> None:
    result = run_bargaining(_ec(), params=BargainingParams(max_rounds=1))
    start = result.rounds[0]
    assert start.median == 7.0  # the Condorcet winner among held positions
    assert start.mean == pytest.approx(7.389955686853767)  # as in dmasad's replication


def test_example_risk_exponents_span_half_to_two() -> None:
    result = run_bargaining(_ec(), params=BargainingParams(max_rounds=1))
    risk = dict(zip([s[0] for s in EC_EMISSIONS], result.rounds[1].risk, strict=True))
    assert min(risk.values()) == pytest.approx(0.5)
    assert max(risk.values()) == pytest.approx(2.0)
    assert risk["Luxembourg"] == pytest.approx(0.5)  # least threatened: most risk-acceptant
    assert risk["UK"] == pytest.approx(2.0)  # most threatened: most risk-averse


def test_example_path_and_outcome() -> None:
    result = run_bargaining(_ec(), params=BargainingParams(max_rounds=10))
    first = result.rounds[1].positions
    assert first[1] == 4.0  # Belgium loses a confrontation with the Netherlands
    assert first[4] == first[5] == 7.0  # France and Italy move to Greece's 7 years
    assert first[0] == pytest.approx(6.811040, abs=1e-5)  # the Netherlands compromises
    assert result.outcome == 7.0
    assert result.mean == pytest.approx(6.904, abs=1e-3)
    assert [round(r.median, 6) for r in result.rounds] == [7.0] * 11


def test_two_actor_probabilities() -> None:
    x, w = np.array([0.0, 10.0]), np.array([0.5, 0.5])
    assert win_probabilities(x, w)[0, 1] == pytest.approx(0.5)
    w2 = np.array([1.0, 0.5])
    p = win_probabilities(x, w2)
    assert p[0, 1] == pytest.approx(2 / 3)
    assert p[0, 1] + p[1, 0] == pytest.approx(1.0)
    assert p[0, 0] == 0.0


def test_median_voter_is_weighted_median() -> None:
    x = np.array([0.0, 40.0, 100.0])
    assert median_voter(x, np.array([1.0, 1.0, 1.0])) == 40.0
    assert median_voter(x, np.array([1.0, 1.0, 3.0])) == 100.0


def test_identical_positions_do_not_move() -> None:
    same = [Stakeholder("a", 1, 50, 0.5), Stakeholder("b", 2, 50, 0.9)]
    result = run_bargaining(same)
    assert result.outcome == 50.0 and result.converged and len(result.rounds) == 1


def test_raising_salience_above_the_outcome_pulls_it_up() -> None:
    scenario = load_scenario("usmx_military_action")
    base = run_bargaining(scenario.stakeholders, params=scenario.params)
    pentagon = next(s for s in scenario.stakeholders if s.name == "Pentagon")
    assert pentagon.position > base.outcome
    shocked = compare_shocks(
        scenario.stakeholders, [Shock("Pentagon", "salience", 0.95)], params=scenario.params
    )
    assert shocked.outcome_change > 0
    assert shocked.baseline.outcome == base.outcome


def test_moving_a_position_down_does_not_raise_the_outcome() -> None:
    scenario = load_scenario("usmx_tariffs")
    compared = compare_shocks(
        scenario.stakeholders,
        [Shock("White House", "position", 0.0)],
        params=scenario.params,
    )
    assert compared.outcome_change <= 0
    assert compared.position_changes["White House"] <= 0


def test_parse_shock() -> None:
    assert parse_shock("U.S. business:salience=100") == Shock("U.S. business", "salience", 1.0)
    assert parse_shock("SEDENA/Guardia Nacional:position=40") == Shock(
        "SEDENA/Guardia Nacional", "position", 40.0
    )
    for bad in ("Pentagon", "Pentagon:salience", "Pentagon:mood=3", "Pentagon:salience=x"):
        with pytest.raises(ScenarioError, match="^shock "):
            parse_shock(bad)


def test_unknown_stakeholder_lists_the_names() -> None:
    with pytest.raises(ScenarioError, match="no stakeholder 'Pentagram'.*Netherlands"):
        apply_shocks(_ec(), [Shock("Pentagram", "salience", 0.5)])


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ScenarioError, match="at least two"):
        run_bargaining(_ec()[:1])
    with pytest.raises(ScenarioError, match="salience"):
        run_bargaining([Stakeholder("a", 1, 0, 1.5), Stakeholder("b", 1, 10, 0.5)])
