"""Bueno de Mesquita's expected-utility bargaining model, as read by Scholz, Calbert & Smith
(2011), "Unravelling Bueno De Mesquita's group decision model", J. Theoretical Politics 23(4).

Stakeholders hold a position on one issue scale, a capability and a salience (0-1). Each
round every stakeholder weighs every other one's challenge from its own point of view and
accepts the offer that asks it to move the least. The predicted outcome is the median
voter position once positions settle. docs/scenarios.md gives the equations and where
this reading departs from the paper.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dyadwatch.errors import ScenarioError

Array = npt.NDArray[np.float64]

SHOCK_FIELDS = ("position", "salience", "capability")


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """One actor: a name, its capability (any positive scale), position and salience (0-1)."""

    name: str
    capability: float
    position: float
    salience: float


@dataclass(frozen=True, slots=True)
class BargainingParams:
    """Model constants. ``q`` is the probability that the status quo holds when no one
    challenges; ``t`` the probability that a change without a challenge brings the target
    closer. Rounds stop early once no position moves more than ``tolerance`` x the range."""

    q: float = 1.0
    t: float = 1.0
    max_rounds: int = 10
    tolerance: float = 1e-3


@dataclass(frozen=True, slots=True)
class Move:
    """A stakeholder accepting another one's offer in a round."""

    actor: str
    toward: str
    kind: str  # confrontation, compromise or capitulation
    before: float
    after: float


@dataclass(frozen=True, slots=True)
class Round:
    """Positions after a round (round 0 is the input), and the group's central positions."""

    number: int
    positions: tuple[float, ...]
    median: float
    mean: float
    risk: tuple[float, ...]
    moves: tuple[Move, ...]


@dataclass(frozen=True, slots=True)
class BargainingResult:
    """The path of a bargaining run and its predicted outcome (the last median voter)."""

    stakeholders: tuple[Stakeholder, ...]
    params: BargainingParams
    rounds: tuple[Round, ...]
    converged: bool

    @property
    def outcome(self) -> float:
        return self.rounds[-1].median

    @property
    def mean(self) -> float:
        return self.rounds[-1].mean

    @property
    def final_positions(self) -> dict[str, float]:
        last = self.rounds[-1].positions
        return {s.name: x for s, x in zip(self.stakeholders, last, strict=True)}


@dataclass(frozen=True, slots=True)
class Shock:
    """Set one field of one stakeholder to a new value before the run."""

    name: str
    field: str
    value: float


@dataclass(frozen=True, slots=True)
class ShockComparison:
    """A baseline run beside the same run after shocks: what moved, and by how much."""

    baseline: BargainingResult
    shocked: BargainingResult
    shocks: tuple[Shock, ...]

    @property
    def outcome_change(self) -> float:
        return self.shocked.outcome - self.baseline.outcome

    @property
    def position_changes(self) -> dict[str, float]:
        base, new = self.baseline.final_positions, self.shocked.final_positions
        return {name: new[name] - base[name] for name in base}


@dataclass(frozen=True, slots=True)
class _State:
    """Arrays of one round: positions, capability x salience weights, salience, risk."""

    x: Array
    weight: Array
    salience: Array
    span: float


def run_bargaining(
    stakeholders: Sequence[Stakeholder], *, params: BargainingParams | None = None
) -> BargainingResult:
    """Run rounds of challenges until positions settle or ``max_rounds`` is reached."""
    params = params or BargainingParams()
    _validate(stakeholders, params)
    state = _initial_state(stakeholders)
    rounds = [_round_record(0, state, np.ones(len(stakeholders)), ())]
    converged = state.span == 0
    for number in range(1, params.max_rounds + 1):
        if converged:
            break
        new_x, risk, moves = _play_round(state, stakeholders, params)
        shift = float(np.max(np.abs(new_x - state.x)))
        state = dataclasses.replace(state, x=new_x)
        rounds.append(_round_record(number, state, risk, moves))
        converged = shift <= params.tolerance * state.span
    return BargainingResult(tuple(stakeholders), params, tuple(rounds), converged)


def parse_shock(text: str) -> Shock:
    """``NAME:field=value`` (e.g. ``Pentagon:salience=90``) as a :class:`Shock`. Salience
    is given on the file's 0-100 scale."""
    name, _, rest = text.rpartition(":")
    fld, sep, raw = rest.partition("=")
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not name or not sep or value != value:
        raise ScenarioError(f"shock {text!r}: write NAME:field=value, e.g. Pentagon:salience=90")
    fld = fld.strip()
    if fld not in SHOCK_FIELDS:
        raise ScenarioError(f"shock {text!r}: field must be one of {', '.join(SHOCK_FIELDS)}")
    return Shock(name.strip(), fld, value / 100.0 if fld == "salience" else value)


def apply_shocks(
    stakeholders: Sequence[Stakeholder], shocks: Sequence[Shock]
) -> tuple[Stakeholder, ...]:
    """The stakeholders with each shock's field set to its value."""
    by_name = {s.name: s for s in stakeholders}
    for shock in shocks:
        if shock.name not in by_name:
            raise ScenarioError(
                f"shock {shock.name}:{shock.field}: no stakeholder {shock.name!r}; "
                f"use one of: {', '.join(by_name)}"
            )
        if shock.field not in SHOCK_FIELDS:
            raise ScenarioError(
                f"shock {shock.name}:{shock.field}: unknown field; use one of: "
                f"{', '.join(SHOCK_FIELDS)}"
            )
        by_name[shock.name] = _shocked(by_name[shock.name], shock)
    return tuple(by_name[s.name] for s in stakeholders)


def _shocked(stakeholder: Stakeholder, shock: Shock) -> Stakeholder:
    if shock.field == "position":
        return dataclasses.replace(stakeholder, position=shock.value)
    if shock.field == "salience":
        return dataclasses.replace(stakeholder, salience=shock.value)
    return dataclasses.replace(stakeholder, capability=shock.value)


def compare_shocks(
    stakeholders: Sequence[Stakeholder],
    shocks: Sequence[Shock],
    *,
    params: BargainingParams | None = None,
) -> ShockComparison:
    """Run the model before and after the shocks."""
    baseline = run_bargaining(stakeholders, params=params)
    shocked = run_bargaining(apply_shocks(stakeholders, shocks), params=params)
    return ShockComparison(baseline, shocked, tuple(shocks))


def _validate(stakeholders: Sequence[Stakeholder], params: BargainingParams) -> None:
    if len(stakeholders) < 2:
        raise ScenarioError("the bargaining model needs at least two stakeholders")
    names = [s.name for s in stakeholders]
    if len(set(names)) != len(names):
        raise ScenarioError(f"stakeholder names must be unique: {names}")
    for s in stakeholders:
        if not 0 <= s.salience <= 1:
            raise ScenarioError(f"{s.name}: salience {s.salience} is outside 0-1")
        if s.capability <= 0:
            raise ScenarioError(f"{s.name}: capability must be positive, not {s.capability}")
    if not (0 <= params.q <= 1 and 0 <= params.t <= 1):
        raise ScenarioError("model q and t are probabilities: use values in 0-1")
    if params.max_rounds < 1:
        raise ScenarioError("max_rounds must be at least 1")


def _initial_state(stakeholders: Sequence[Stakeholder]) -> _State:
    x = np.array([s.position for s in stakeholders], dtype=float)
    c = np.array([s.capability for s in stakeholders], dtype=float)
    s = np.array([s.salience for s in stakeholders], dtype=float)
    return _State(x=x, weight=c * s, salience=s, span=float(x.max() - x.min()))


def _round_record(number: int, state: _State, risk: Array, moves: tuple[Move, ...]) -> Round:
    return Round(
        number=number,
        positions=tuple(float(v) for v in state.x),
        median=median_voter(state.x, state.weight),
        mean=float(np.sum(state.weight * state.x) / np.sum(state.weight)),
        risk=tuple(float(v) for v in risk),
        moves=moves,
    )


def median_voter(x: Array, weight: Array) -> float:
    """The position, among those held, that no other held position beats in a weighted
    pairwise vote (the Condorcet winner; the weighted median on one dimension)."""
    candidates = np.unique(x)
    votes = _pairwise_votes(candidates, x, weight)
    worst = votes.min(axis=1)
    best = np.flatnonzero(np.isclose(worst, worst.max()))
    if len(best) > 1:
        totals = votes[best].sum(axis=1)
        best = best[np.isclose(totals, totals.max())]
    return float(candidates[best[0]])


def _pairwise_votes(candidates: Array, x: Array, weight: Array) -> Array:
    """votes[a, b] = sum_k w_k (|x_k - b| - |x_k - a|): support for a over b."""
    dist = np.abs(x[None, :] - candidates[:, None])  # (candidate, voter)
    total = dist @ weight  # total[a] = weighted distance of all voters from a
    return np.asarray(total[None, :] - total[:, None], dtype=float)


def win_probabilities(x: Array, weight: Array) -> Array:
    """p[i, j]: probability that i's position beats j's, from third parties' weighted votes
    (votes for i over all votes cast); zero where the two positions are the same."""
    dist = np.abs(x[None, :] - x[:, None])  # dist[a, k] = |x_k - x_a|
    # vote[i, j, k] = w_k (|x_k - x_j| - |x_k - x_i|)
    vote = weight[None, None, :] * (dist[None, :, :] - dist[:, None, :])
    support = np.clip(vote, 0, None).sum(axis=2)
    total = np.abs(vote).sum(axis=2)
    return np.divide(support, total, out=np.zeros_like(support), where=total > 0)


def _utility(distance: Array, risk: Array | float) -> Array:
    """BDM's utility scale: 2 - 4 (0.5 -/+ ...)^r maps a distance share to -2 ... 2."""
    return 2 - 4 * np.power(np.clip(distance, 0, None), risk)


def challenge_utilities(
    state: _State, *, median: float, risk: Array, probabilities: Array, params: BargainingParams
) -> Array:
    """eu[p, i, j]: the expected utility to i of challenging j, as actor p sees it (p's risk
    exponent r_p). Shape (n, n, n); the diagonal i == j is zero."""
    span = state.span
    d = np.abs(state.x[:, None] - state.x[None, :]) / span  # d[i, j]
    e = np.abs(state.x - median)[:, None] / span  # e[i]
    r = risk[:, None, None]
    u_s = _utility(0.5 - 0.5 * d[None], r)
    u_f = _utility(0.5 + 0.5 * d[None], r)
    u_b = _utility(0.5 - 0.25 * (e + d)[None], r)
    u_w = _utility(0.5 + 0.25 * (e + d)[None], r)
    u_sq = _utility(np.full_like(d[None], 0.5), r)
    s_j = state.salience[None, None, :]
    p = probabilities[None]
    challenge = s_j * (p * u_s + (1 - p) * u_f) + (1 - s_j) * u_s
    stay = params.q * u_sq + (1 - params.q) * (params.t * u_b + (1 - params.t) * u_w)
    eu = challenge - stay
    idx = np.arange(len(state.x))
    eu[:, idx, idx] = 0.0
    return eu


def risk_exponents(
    state: _State, *, median: float, probabilities: Array, params: BargainingParams
) -> Array:
    """r_i from i's vulnerability: the sum of every other actor's expected utility of
    challenging i (at r = 1), scaled against the most and least vulnerable actors."""
    n = len(state.x)
    eu = challenge_utilities(
        state, median=median, risk=np.ones(n), probabilities=probabilities, params=params
    )
    own = eu[np.arange(n), np.arange(n), :]  # own[i, j] = EU of i challenging j, i's view
    danger = own.sum(axis=0)  # danger[j] = sum over i of EU(i challenges j)
    low, high = float(danger.min()), float(danger.max())
    if np.isclose(high, low):
        return np.ones(n)
    big_r = (2 * danger - high - low) / (high - low)
    return np.asarray((1 - big_r / 3) / (1 + big_r / 3), dtype=float)


def _play_round(
    state: _State, stakeholders: Sequence[Stakeholder], params: BargainingParams
) -> tuple[Array, Array, tuple[Move, ...]]:
    median = median_voter(state.x, state.weight)
    probabilities = win_probabilities(state.x, state.weight)
    risk = risk_exponents(state, median=median, probabilities=probabilities, params=params)
    eu = challenge_utilities(
        state, median=median, risk=risk, probabilities=probabilities, params=params
    )
    new_x = state.x.copy()
    moves = []
    names = [s.name for s in stakeholders]
    for i in range(len(names)):
        move = _best_offer(i, state.x, eu[i], names)
        if move is not None:
            new_x[i] = move.after
            moves.append(move)
    return new_x, risk, tuple(moves)


def _best_offer(i: int, x: Array, view: Array, names: Sequence[str]) -> Move | None:
    """The offer i accepts: of all challenges i expects to lose, the one that moves i least."""
    offers = [m for j in range(len(x)) if (m := _offer(i, j, x, view, names))]
    if not offers:
        return None
    return min(offers, key=lambda m: abs(m.after - m.before))


def _offer(i: int, j: int, x: Array, view: Array, names: Sequence[str]) -> Move | None:
    """What j can get from i, as i sees it: i's EU of challenging j (a) against j's of
    challenging i (b)."""
    if i == j or x[i] == x[j]:
        return None
    a, b = float(view[i, j]), float(view[j, i])
    if b <= 0:
        return None
    actor, toward = names[i], names[j]
    if a > 0:
        if b <= a:
            return None
        return Move(actor, toward, "confrontation", float(x[i]), float(x[j]))
    if abs(a) < b:
        after = float(x[i] + (x[j] - x[i]) * abs(a) / b)
        return Move(actor, toward, "compromise", float(x[i]), after)
    return Move(actor, toward, "capitulation", float(x[i]), float(x[j]))
