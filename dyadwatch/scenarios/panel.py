"""Monthly panels for the VAR: the analysis layer's panel when it exists, else a panel of
real indicator series read from the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dyadwatch.errors import ScenarioError
from dyadwatch.ontology.sources import resolve_geography
from dyadwatch.settings import Settings
from dyadwatch.store import Store


@dataclass(frozen=True, slots=True)
class PanelSeries:
    """One panel column from the ``indicators`` table. A ``geography`` ending in ``*`` sums
    every geography with that prefix; ``country:<source>`` and ``states:<source>`` (every
    state of the country a source counts in) come from ``data/sources.toml``."""

    column: str
    series: str
    geography: str


INDICATOR_PANEL = (
    PanelSeries("imports", "us-imports-from-mexico", "country:fred"),
    PanelSeries("apprehensions", "usbp-apprehensions", "southwest_border"),
    PanelSeries("homicides", "sesnsp-victims-homicidio-doloso", "states:sesnsp"),
)


def indicator_panel(store: Store, columns: Sequence[PanelSeries] = INDICATOR_PANEL) -> pd.DataFrame:
    """One column per series, indexed by month start; months a series lacks are NaN."""
    table = store.ibis.table("indicators")
    frames = []
    for spec in columns:
        rows = table.filter(table.series == spec.series)
        where = resolve_geography(spec.geography)
        if where.endswith(("*", "%")):
            rows = rows.filter(rows.geography.startswith(where[:-1]))
        else:
            rows = rows.filter(rows.geography == where)
        monthly = rows.group_by("period").aggregate(value=rows.value.sum()).to_pyarrow()
        if monthly.num_rows == 0:
            raise ScenarioError(
                f"no rows for series {spec.series!r} at {spec.geography!r} in the store; "
                "load it with `dyadwatch ingest series` (docs/series.md)"
            )
        index = pd.DatetimeIndex(pd.to_datetime(monthly["period"].to_pylist()), name="month")
        values = monthly["value"].to_numpy().astype(float)
        frames.append(pd.Series(values, index=index, name=spec.column))
    panel = pd.concat(frames, axis=1, sort=True)
    return panel.asfreq("MS")


def scenario_panel(store: Store, settings: Settings) -> tuple[pd.DataFrame, str]:
    """The panel for ``scenario var`` and where it came from: the analysis layer's
    ``monthly_panel`` if it is available, else :data:`INDICATOR_PANEL` from the store."""
    try:
        from dyadwatch.analysis import monthly_panel  # type: ignore[attr-defined]
    except ImportError:
        return indicator_panel(store), "indicators"
    return monthly_panel(store, settings), "analysis.monthly_panel"
