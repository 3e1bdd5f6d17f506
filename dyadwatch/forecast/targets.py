"""Forecast targets: each one a monthly panel (periods × units) read from the store.

* ``mx-state-violence``: UCDP GED fatalities (``best``) per Mexican state per month.
  Only events spanning at most 31 days are counted, in the month of their start: GED
  codes much of Mexico's violence since 2017 as year-long per-state aggregates dated
  1 January to 31 December, and counting those in January would make January a dump.
  The rule keeps what a real-time feed would carry; see ``docs/forecasts.md``.
* ``mx-state-homicides``: SESNSP victims of ``homicidio doloso`` per state per month
  (to 2025-06 in the demo: the last month of the victims file).
* ``mx-national-crimes``: SESNSP crimes registered nationally per month (not victims) of
  the violent and drug subtypes in :data:`NATIONAL_CRIMES`, to 2026-08 in the demo. SESNSP
  changed its recording instrument in January 2026
  (:data:`dyadwatch.sources.series.SERIES_BREAKS`): the target's note says so, and
  ``feminicidio`` and ``extorsion`` jump there.
* ``border-encounters``: Southwest-border encounters; USBP apprehensions to September
  2019, then CBP encounters (to 2025-11 in the demo: FY2026 November), with the older
  part scaled by the overlap ratio (see :func:`splice_border`).
* ``dyad-index``: monthly net cooperation USA→MEX and MEX→USA, from
  :func:`dyadwatch.analysis.monthly_net_cooperation`, over the longest run of months
  its sources cover (the coded texts in the demo store).

Each panel ends at the last month its source has: nothing is forecast from an earlier
month (``tests/test_demo_targets.py`` checks it on the demo's files).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from dyadwatch.errors import ForecastError
from dyadwatch.ontology.sources import resolve_geography, source_country
from dyadwatch.settings import Settings
from dyadwatch.sources.series import mx_states, series_breaks
from dyadwatch.store import Store
from dyadwatch.store.events import ucdp_fatalities, ucdp_without_end
from dyadwatch.store.indicators import series_rows

Kind = Literal["count", "real"]
Escalation = Literal["above_p80", "rise_20pct", "below_p20"]

MAX_EVENT_DAYS = 31
SPLICE_MONTH = dt.date(2019, 10, 1)
SPLICE_OVERLAP = (dt.date(2019, 10, 1), dt.date(2020, 2, 1))
"""Months where both border series exist before COVID-19 and Title 42 (Oct 2019–Feb 2020)."""


@dataclass(frozen=True, slots=True)
class Target:
    """What a target is: its name, value kind, unit label and escalation rule."""

    name: str
    title: str
    kind: Kind
    unit_label: str
    escalation: Escalation


@dataclass(frozen=True, slots=True)
class TargetData:
    """A target and its panel: a monthly ``DatetimeIndex`` × one column per unit."""

    target: Target
    panel: pd.DataFrame
    note: str


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            "mx-state-violence",
            "UCDP GED fatalities per Mexican state (events ≤ 31 days)",
            "count",
            "fatalities",
            "above_p80",
        ),
        Target(
            "mx-state-homicides",
            "SESNSP homicidio doloso victims per Mexican state",
            "count",
            "victims",
            "above_p80",
        ),
        Target(
            "mx-national-crimes",
            "SESNSP crimes registered in Mexico, national: homicide, femicide, kidnapping, "
            "extortion, drug dealing",
            "count",
            "registered crimes",
            "above_p80",
        ),
        Target(
            "border-encounters",
            "Southwest-border encounters (USBP apprehensions spliced to CBP encounters)",
            "count",
            "persons",
            "rise_20pct",
        ),
        Target(
            "dyad-index",
            "Monthly net cooperation, each way between the two countries of the dyad",
            "real",
            "net cooperation",
            "below_p20",
        ),
    )
}


def target_names() -> list[str]:
    """The names of the known targets."""
    return list(TARGETS)


def load_target(store: Store, name: str, *, settings: Settings) -> TargetData:
    """Read target ``name`` from the store as a complete monthly panel."""
    if name not in TARGETS:
        raise ForecastError(f"unknown target {name!r}. Choose one of: {', '.join(TARGETS)}.")
    reader, note = _READERS[name]
    long = reader(store, settings)
    if name == "dyad-index":
        long = longest_run(long)
    panel = _complete(long)
    if len(panel) < 60:
        raise ForecastError(
            f"target {name} has {len(panel)} months in {store.path}; a backtest needs 60 or "
            "more. Load its data first (dyadwatch demo, or dyadwatch ingest)."
        )
    return TargetData(TARGETS[name], panel, note)


def state_violence(store: Store, settings: Settings) -> pd.DataFrame:
    """Long frame (period, unit, value) of UCDP fatalities in events of ≤ 31 days."""
    events = store.ibis.table("events")
    missing = int(ucdp_without_end(events).to_pyarrow().as_py())
    if missing:
        raise ForecastError(
            f"{missing} UCDP events in {store.path} have no end date (loaded before schema 4). "
            "Rebuild the store (dyadwatch demo into a new --db) to count them by month."
        )
    rows = ucdp_fatalities(events, source_country("mx_states"), MAX_EVENT_DAYS)
    codes = state_codes()
    frame = rows.to_pyarrow().to_pandas()
    frame["unit"] = [codes.get(_name_key(name)) for name in frame["admin1"]]
    unknown = sorted(set(frame.loc[frame["unit"].isna(), "admin1"]))
    if unknown:
        raise ForecastError(
            f"UCDP admin1 names with no Mexican state: {unknown}. Add them as "
            "variants in dyadwatch/data/mx_states.csv."
        )
    return frame.groupby(["period", "unit"], as_index=False)["value"].sum()


def state_homicides(store: Store, settings: Settings) -> pd.DataFrame:
    """Long frame of SESNSP homicidio-doloso victims per state."""
    return _series(store, "sesnsp-victims-homicidio-doloso", resolve_geography("states:sesnsp"))


NATIONAL_CRIMES = ("homicidio-doloso", "feminicidio", "secuestro", "extorsion", "narcomenudeo")
"""The SESNSP national subtypes of ``mx-national-crimes`` (slugs; the units of its panel)."""


def national_crimes(store: Store, settings: Settings) -> pd.DataFrame:
    """Long frame of SESNSP crimes registered nationally, one unit per subtype."""
    country = source_country("sesnsp")
    frames = [
        _series(store, f"sesnsp-crimes-{name}", country).assign(unit=name)
        for name in NATIONAL_CRIMES
    ]
    return pd.concat(frames, ignore_index=True)


def _national_note() -> str:
    breaks = {b.note for name in NATIONAL_CRIMES for b in series_breaks(f"sesnsp-crimes-{name}")}
    return "Crimes registered (not victims), national. " + "; ".join(sorted(breaks)) + "."


def border_encounters(store: Store, settings: Settings) -> pd.DataFrame:
    """Long frame of the spliced Southwest-border series (one unit, ``SW-BORDER``)."""
    usbp = _series(store, "usbp-apprehensions", "southwest_border")
    cbp = _series(store, "cbp-encounters", "Southwest Land Border")
    spliced = splice_border(usbp.set_index("period")["value"], cbp.set_index("period")["value"])
    return pd.DataFrame({"period": spliced.index, "unit": "SW-BORDER", "value": spliced.values})


def splice_border(usbp: pd.Series, cbp: pd.Series) -> pd.Series:
    """USBP apprehensions × overlap ratio before October 2019, CBP encounters from then on.

    The ratio is the mean of CBP / USBP over October 2019 – February 2020, where both
    count the same months before COVID-19 (OFO inadmissibles make CBP's count higher).
    """
    both = pd.concat([usbp, cbp], axis=1, keys=["usbp", "cbp"]).dropna()
    start, end = (pd.Timestamp(d) for d in SPLICE_OVERLAP)
    overlap = both[(both.index >= start) & (both.index <= end)]
    if overlap.empty:
        raise ForecastError(
            "the border series need both usbp-apprehensions and cbp-encounters for "
            "October 2019 – February 2020. Ingest both CBP files (dyadwatch demo)."
        )
    ratio = float((overlap["cbp"] / overlap["usbp"]).mean())
    splice = pd.Timestamp(SPLICE_MONTH)
    before = usbp[usbp.index < splice] * ratio
    return pd.concat([before, cbp[cbp.index >= splice]]).sort_index()


def dyad_index(store: Store, settings: Settings) -> pd.DataFrame:
    """Long frame of monthly net cooperation per direction, from the analysis layer."""
    try:
        from dyadwatch.analysis import monthly_net_cooperation
    except ImportError as exc:
        raise ForecastError(
            "the dyad-index target needs dyadwatch.analysis.monthly_net_cooperation, "
            f"which this install lacks ({exc}). Update dyadwatch."
        ) from exc
    frame = monthly_net_cooperation(store, settings)
    return pd.DataFrame(
        {"period": frame["period"], "unit": frame["unit"], "value": frame["value"].astype(float)}
    )


def longest_run(long: pd.DataFrame) -> pd.DataFrame:
    """The rows of the longest stretch of consecutive months present in ``long``.

    The analysis layer gives only months its sources cover; filling the years between
    two sources with zeros would invent quiet months.
    """
    if long.empty:
        return long
    months = pd.DatetimeIndex(sorted(pd.to_datetime(long["period"]).unique()))
    breaks = (months.to_series().diff() > pd.Timedelta(days=31)).cumsum().to_numpy()
    run = pd.Series(breaks).value_counts().idxmax()  # the longest; ties: the earliest label
    keep = months[breaks == run]
    return long[pd.to_datetime(long["period"]).isin(keep)]


def _series(store: Store, series: str, geography: str) -> pd.DataFrame:
    rows = series_rows(store, series, geography, pattern=True).order_by("period")
    frame = rows.to_pyarrow().to_pandas().rename(columns={"geography": "unit"})
    return frame.assign(period=pd.to_datetime(frame["period"]))


def _complete(long: pd.DataFrame) -> pd.DataFrame:
    """Pivot to periods × units over every month from first to last; gaps are 0."""
    if long.empty:
        return pd.DataFrame(dtype=float)
    long = long.assign(period=pd.to_datetime(long["period"]))
    wide = long.pivot_table(index="period", columns="unit", values="value", aggfunc="sum")
    months = pd.date_range(wide.index.min(), wide.index.max(), freq="MS")
    wide = wide.reindex(months).fillna(0.0).astype(float)
    wide.columns = [str(c) for c in wide.columns]
    wide.index.name = "period"
    return wide


def state_codes() -> dict[str, str]:
    """ISO 3166-2 code of each normalized Mexican state name and variant."""
    codes = {}
    for state in mx_states().values():
        for name in (state.name, state.short_name, *state.variants):
            codes[_name_key(name)] = state.iso_3166_2
    codes[_name_key("Distrito Federal")] = codes[_name_key("Ciudad de México")]
    return codes


def _name_key(name: str) -> str:
    """A state name without accents, case or GED's trailing " state"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.casefold().removesuffix(" state").strip()


_READERS: dict[str, tuple[Callable[[Store, Settings], pd.DataFrame], str]] = {
    "mx-state-violence": (
        state_violence,
        "Events spanning more than 31 days (GED's annual per-state aggregates) are left out.",
    ),
    "mx-state-homicides": (state_homicides, "SESNSP victims, all modalities, sexes and ages."),
    "mx-national-crimes": (national_crimes, _national_note()),
    "border-encounters": (
        border_encounters,
        "USBP apprehensions to Sep 2019 scaled by the Oct 2019–Feb 2020 CBP/USBP ratio, "
        "CBP encounters from Oct 2019.",
    ),
    "dyad-index": (
        dyad_index,
        "Net cooperation from the analysis layer, over its longest run of covered months.",
    ),
}
