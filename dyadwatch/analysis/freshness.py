"""Freshness: each source's "data through" date, and whether it is older than its cadence.

**Data through** is the newest date of data the store holds for a source:

- events: the newest ``event_date`` of its source system(s);
- documents: the newest document ``date``;
- indicator series: the **last day** of the newest period stored (a monthly series whose
  latest value is for November 2025 is data through 2025-11-30), the newest over the
  source's series.

Rows dated after ``today`` are ignored (see :func:`dyadwatch.store.freshness.latest_dates`).

**Stale.** Each source has a cadence in ``dyadwatch/data/freshness.toml``: the period one
release covers (day, month, year), its publication lag and some slack (grace). On
``today``, a source should hold data through the end of the latest period ``P`` with
``end(P) + lag_days + grace_days <= today`` (its *expected through* date). It is stale
when its data end in an earlier period; it is then *behind* by the days between the end
of its last period and the expected date. A source marked ``ended`` (no longer
published) is never stale. Sources the table does not list get its ``[default]``.

``today`` is always passed in (the CLI's ``--today``, the web app's clock), so nothing
here reads the time by itself except :func:`source_freshness` when given none.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

from dyadwatch.errors import ConfigError
from dyadwatch.store import Store
from dyadwatch.store.freshness import TABLES, LatestDate, latest_dates

PERIODS = ("day", "month", "year", "ended")
CURRENT, STALE, ENDED = "current", "stale", "ended"


@dataclass(frozen=True, slots=True)
class Cadence:
    """How often one source publishes (one entry of ``freshness.toml``)."""

    key: str
    label: str
    table: str
    match: tuple[str, ...]
    period: str
    lag_days: int
    grace_days: int
    cadence: str

    def matches(self, table: str, name: str) -> bool:
        """Whether the rows of ``name`` (a source system, series or document source) in
        ``table`` belong to this source."""
        return table == self.table and any(fnmatch.fnmatchcase(name, m) for m in self.match)

    def expected_through(self, today: dt.date) -> dt.date | None:
        """The date the data should reach by ``today``; None for an ended source."""
        if self.period == "ended":
            return None
        due = today - dt.timedelta(days=self.lag_days + self.grace_days)
        next_day = due + dt.timedelta(days=1)
        if self.period == "day":
            return due
        if self.period == "month":
            return next_day.replace(day=1) - dt.timedelta(days=1)
        return dt.date(next_day.year, 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CadenceTable:
    """Every listed source's cadence, and the default for the others."""

    sources: tuple[Cadence, ...]
    default: Cadence

    def for_rows(self, table: str, name: str) -> Cadence:
        """The cadence of ``name``'s rows in ``table``: its entry, or the default under
        the name itself."""
        for cadence in self.sources:
            if cadence.matches(table, name):
                return cadence
        return replace(self.default, key=name, label=name, table=table, match=(name,))


@dataclass(frozen=True, slots=True)
class Freshness:
    """One source: what it holds up to, what it should hold up to, and the verdict."""

    source: str
    label: str
    table: str
    data_through: dt.date
    rows: int
    cadence: str
    period: str
    lag_days: int
    expected_through: dt.date | None
    status: str  # current | stale | ended
    days_behind: int  # 0 unless stale
    members: tuple[str, ...]  # the source systems, series or document sources counted

    @property
    def stale(self) -> bool:
        return self.status == STALE

    def describe(self) -> str:
        """``current``, ``stale by N days`` or ``no longer published``."""
        if self.status == STALE:
            return f"stale by {self.days_behind:,} day{'s' if self.days_behind != 1 else ''}"
        return "no longer published" if self.status == ENDED else CURRENT

    def explain(self) -> str:
        """One sentence for a tooltip: what, through when, expected when, so what."""
        head = f"{self.label}: {self.cadence}. Data through {self.data_through}"
        if self.expected_through is None:
            return f"{head}; no longer published, so never stale."
        return f"{head}; expected through {self.expected_through} by now: {self.describe()}."


def load_cadences(path: Path | None = None) -> CadenceTable:
    """The cadence table: ``path``, or the bundled ``dyadwatch/data/freshness.toml``."""
    source = path or files("dyadwatch") / "data" / "freshness.toml"
    shown = str(source)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the cadence table {shown}: {exc}. Fix the file.") from exc
    default = _cadence({"key": "", "label": "", "table": "events", "match": [], **_table(data)})
    entries = tuple(_cadence(entry, shown=shown) for entry in data.get("source", []))
    return CadenceTable(entries, default)


def _table(data: dict[str, object]) -> dict[str, object]:
    default = data.get("default")
    if not isinstance(default, dict):
        raise ConfigError("the cadence table has no [default] section. Add one.")
    return default


def _cadence(entry: dict[str, object], *, shown: str = "the cadence table") -> Cadence:
    try:
        cadence = Cadence(
            key=str(entry["key"]),
            label=str(entry["label"]),
            table=str(entry["table"]),
            match=tuple(str(m) for m in entry["match"]),  # type: ignore[attr-defined]
            period=str(entry["period"]),
            lag_days=int(entry["lag_days"]),  # type: ignore[call-overload]
            grace_days=int(entry["grace_days"]),  # type: ignore[call-overload]
            cadence=str(entry["cadence"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"{shown}: entry {entry.get('key', '?')!r} lacks or mistypes {exc}. Give it key, "
            "label, table, match, period, lag_days, grace_days and cadence."
        ) from exc
    if cadence.period not in PERIODS or cadence.table not in TABLES:
        raise ConfigError(
            f"{shown}: entry {cadence.key!r} has period {cadence.period!r} and table "
            f"{cadence.table!r}; use a period among {', '.join(PERIODS)} and a table among "
            f"{', '.join(TABLES)}."
        )
    return cadence


def judge(
    latest: Iterable[LatestDate], *, today: dt.date, cadences: CadenceTable
) -> tuple[Freshness, ...]:
    """Fold the store's newest dates into sources and judge each against ``today``:
    the listed sources in the table's order, then the others by table and name."""
    grouped: dict[str, tuple[Cadence, list[LatestDate]]] = {}
    for row in latest:
        cadence = cadences.for_rows(row.table, row.key)
        grouped.setdefault(cadence.key, (cadence, []))[1].append(row)
    order = {c.key: i for i, c in enumerate(cadences.sources)}
    ranked = sorted(
        grouped.values(), key=lambda g: (order.get(g[0].key, len(order)), g[0].table, g[0].key)
    )
    return tuple(_judge_one(cadence, rows, today) for cadence, rows in ranked)


def _judge_one(cadence: Cadence, rows: list[LatestDate], today: dt.date) -> Freshness:
    through = max(_through(r, cadence.period) for r in rows)
    expected = cadence.expected_through(today)
    behind = 0 if expected is None else (expected - period_end(through, cadence.period)).days
    status = ENDED if expected is None else STALE if behind > 0 else CURRENT
    return Freshness(
        source=cadence.key,
        label=cadence.label,
        table=cadence.table,
        data_through=through,
        rows=sum(r.rows for r in rows),
        cadence=cadence.cadence,
        period=cadence.period,
        lag_days=cadence.lag_days,
        expected_through=expected,
        status=status,
        days_behind=max(behind, 0),
        members=tuple(sorted(r.key for r in rows)),
    )


def _through(row: LatestDate, period: str) -> dt.date:
    """A row's data-through date: an indicator value covers its whole period."""
    if row.table != "indicators" or period == "day":
        return row.latest
    return period_end(row.latest, "year" if period == "year" else "month")


def period_end(day: dt.date, period: str) -> dt.date:
    """The last day of the period (day, month, year) holding ``day``; a day for "ended"."""
    if period == "month":
        first_of_next = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first_of_next - dt.timedelta(days=1)
    if period == "year":
        return dt.date(day.year, 12, 31)
    return day


def source_freshness(
    store: Store, *, today: dt.date | None = None, cadences: CadenceTable | None = None
) -> tuple[Freshness, ...]:
    """Every source in the store with its data-through date, judged on ``today`` (default
    the machine's date) against ``cadences`` (default the bundled table)."""
    day = today or dt.date.today()
    return judge(latest_dates(store, until=day), today=day, cadences=cadences or load_cadences())
