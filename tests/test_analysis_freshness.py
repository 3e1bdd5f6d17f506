"""Freshness: each source's data-through date from a real store, judged against its cadence
on an injected day (dyadwatch/data/freshness.toml).

The store holds real files: the GDELT 2.0 export of 2019-10-24, ICEWS 1-2 June 2018,
UCDP GED Mexico 1989-2023, FRED IMPMX to 2026-07, SESNSP victims to 2025-06 and the
newest three White House texts and mañanera transcripts of the bundled corpora (both to
2026-08-19). The expected dates below follow from those files and the cadence table.
"""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from dyadwatch.analysis.freshness import (
    Freshness,
    judge,
    load_cadences,
    period_end,
    source_freshness,
)
from dyadwatch.errors import ConfigError
from dyadwatch.ingest import ingest_corpus, ingest_gdelt, ingest_icews, ingest_series, ingest_ucdp
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store
from dyadwatch.store.freshness import LatestDate, latest_dates

from conftest import GDELT2_EXPORT, ICEWS, IMPMX, ROOT, SESNSP, UCDP

DEMO = ROOT / "dyadwatch" / "data" / "demo"
CORPORA = {
    "whitehouse": DEMO / "wh_briefings_mexico_related.jsonl.gz",
    "mananera": DEMO / "mananeras_2024_2026_us_related.jsonl.gz",
}
D = dt.date.fromisoformat


def newest_lines(path: Path, count: int, folder: Path) -> Path:
    """The ``count`` newest records of a real JSONL corpus, as a file."""
    import json

    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    newest = sorted(lines, key=lambda line: json.loads(line)["date"])[-count:]
    out = folder / f"{path.name.split('.')[0]}_newest.jsonl"
    out.write_text("\n".join(newest) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("freshness")
    settings = Settings(db=folder / "fresh.duckdb", cache_dir=folder / "cache")
    with open_store(settings.db) as store:
        ingest_gdelt(store, GDELT2_EXPORT, settings=settings)
        ingest_icews(store, ICEWS, settings=settings)
        ingest_ucdp(store, UCDP, settings=settings)
        ingest_series(store, IMPMX, settings=settings)
        ingest_series(store, SESNSP, settings=settings)
        for source, path in CORPORA.items():
            ingest_corpus(store, newest_lines(path, 3, folder), settings=settings, source=source)
    return settings.db


@pytest.fixture
def fresh_store(real_store: Path) -> Store:
    with open_store(real_store, read_only=True) as store:
        yield store  # type: ignore[misc]


def by_source(store: Store, today: str) -> dict[str, Freshness]:
    return {f.source: f for f in source_freshness(store, today=D(today))}


def test_data_through_is_the_newest_date_of_each_source(fresh_store: Store) -> None:
    found = by_source(fresh_store, "2026-09-10")
    through = {key: str(f.data_through) for key, f in found.items()}
    assert through == {
        "gdelt2": "2019-10-24",
        "icews": "2018-06-02",
        "ucdp": "2023-12-31",
        "fred": "2026-07-31",  # IMPMX's newest value is for July 2026: its last day
        "sesnsp": "2025-06-30",
        "whitehouse": "2026-08-19",
        "mananera": "2026-08-19",
    }
    assert list(found) == ["gdelt2", "icews", "ucdp", "fred", "sesnsp", "whitehouse", "mananera"]
    assert found["sesnsp"].members == (
        "sesnsp-victims-extorsion",
        "sesnsp-victims-feminicidio",
        "sesnsp-victims-homicidio-doloso",
        "sesnsp-victims-secuestro",
    )
    assert found["ucdp"].rows == 18_957 and found["gdelt2"].rows == 2_111


@pytest.mark.parametrize(
    ("source", "current_on", "stale_on", "behind", "expected"),
    [
        # GDELT: 15-minute files, stale after a day.
        ("gdelt2", "2019-10-25", "2019-10-26", 1, "2019-10-25"),
        # FRED IMPMX: July 2026 is enough until August is due, 60 + 7 days after it ends.
        ("fred", "2026-11-05", "2026-11-06", 31, "2026-08-31"),
        # SESNSP: on the 20th of the next month, + 7 days of grace.
        ("sesnsp", "2025-08-26", "2025-08-27", 31, "2025-07-31"),
        # UCDP: monthly candidate events (with the yearly GED), due 31 + 14 days after.
        ("ucdp", "2024-03-15", "2024-03-16", 31, "2024-01-31"),
        # The governments' texts: daily on working days, stale after 7 days.
        ("whitehouse", "2026-08-26", "2026-08-27", 1, "2026-08-20"),
        ("mananera", "2026-08-26", "2026-08-27", 1, "2026-08-20"),
    ],
)
def test_a_source_turns_stale_the_day_its_next_period_is_due(
    fresh_store: Store, source: str, current_on: str, stale_on: str, behind: int, expected: str
) -> None:
    before = by_source(fresh_store, current_on)[source]
    assert before.status == "current" and not before.stale and before.days_behind == 0
    after = by_source(fresh_store, stale_on)[source]
    assert after.stale and after.days_behind == behind
    assert str(after.expected_through) == expected
    assert after.describe() == f"stale by {behind} day{'s' if behind > 1 else ''}"
    assert f"data through {after.data_through}" in after.explain().lower()


def test_an_ended_source_is_never_stale(fresh_store: Store) -> None:
    icews = by_source(fresh_store, "2030-01-01")["icews"]
    assert icews.status == "ended" and icews.expected_through is None and not icews.stale
    assert icews.describe() == "no longer published"


def test_rows_dated_after_today_are_not_counted(fresh_store: Store) -> None:
    # The 2019-10-24 export holds events dated from 2018-10-24 to its own day.
    found = by_source(fresh_store, "2019-10-20")
    assert found["gdelt2"].data_through <= D("2019-10-20")
    assert 0 < found["gdelt2"].rows < 2_111
    assert "whitehouse" not in found and "fred" in found


def test_latest_dates_reads_each_table(fresh_store: Store) -> None:
    rows = latest_dates(fresh_store, until=D("2026-09-10"))
    tables = {(r.table, r.key): r.latest for r in rows}
    assert tables[("indicators", "us-imports-from-mexico")] == D("2026-07-01")  # as stored
    assert tables[("events", "ucdp")] == D("2023-12-31")
    assert tables[("documents", "whitehouse")] == D("2026-08-19")


def test_sources_the_table_does_not_list_get_the_default(
    fresh_store: Store, tmp_path: Path
) -> None:
    bundled = (ROOT / "dyadwatch" / "data" / "freshness.toml").read_text(encoding="utf-8")
    without_fred = bundled.split('[[source]]\nkey = "fred"')[0]
    without_fred += '[[source]]\nkey = "sesnsp"' + bundled.split('[[source]]\nkey = "sesnsp"')[1]
    table = tmp_path / "cadences.toml"
    table.write_text(without_fred, encoding="utf-8")
    found = {
        f.source: f
        for f in source_freshness(fresh_store, today=D("2026-09-10"), cadences=load_cadences(table))
    }
    imports = found["us-imports-from-mexico"]
    assert "fred" not in found
    assert imports.cadence.startswith("not in the cadence table")
    assert imports.data_through == D("2026-07-31") and imports.table == "indicators"
    assert list(found)[-1] == "us-imports-from-mexico"  # unlisted sources come last


def test_a_broken_cadence_table_names_the_entry(tmp_path: Path) -> None:
    table = tmp_path / "cadences.toml"
    table.write_text(
        '[default]\nperiod = "month"\nlag_days = 1\ngrace_days = 0\ncadence = "x"\n'
        '[[source]]\nkey = "cbp"\nlabel = "CBP"\ntable = "indicators"\nmatch = ["cbp-*"]\n'
        'period = "fortnight"\nlag_days = 1\ngrace_days = 0\ncadence = "x"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"'cbp' has period 'fortnight'.*use a period among"):
        load_cadences(table)
    table.write_text('[default]\nperiod = "month"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="lacks or mistypes"):
        load_cadences(table)


def test_the_bundled_table_lists_every_known_source() -> None:
    cadences = load_cadences()
    keys = [c.key for c in cadences.sources]
    assert len(keys) == len(set(keys))
    for table, name in [
        ("events", "gdelt2"),
        ("events", "gdelt1"),
        ("events", "acled"),
        ("events", "coded"),
        ("indicators", "cbp-encounters-mexican"),
        ("indicators", "cbp-seizures-fentanyl"),
        ("indicators", "usbp-apprehensions"),
        ("indicators", "us-exports-to-mexico"),
        ("documents", "mananera"),
    ]:
        assert cadences.for_rows(table, name).cadence != cadences.default.cadence, name


def test_judge_orders_listed_sources_first_and_folds_members() -> None:
    # Constructed input (not data): two CBP series and one unlisted series.
    latest = [
        LatestDate("indicators", "zz-custom", D("2026-01-01"), 3),
        LatestDate("indicators", "cbp-encounters-mexican", D("2025-10-01"), 5),
        LatestDate("indicators", "cbp-encounters", D("2025-11-01"), 7),
    ]
    found = judge(latest, today=D("2026-01-27"), cadences=load_cadences())
    assert [f.source for f in found] == ["cbp-encounters", "zz-custom"]
    cbp = found[0]
    assert cbp.data_through == D("2025-11-30") and cbp.rows == 12 and cbp.status == "current"
    assert cbp.members == ("cbp-encounters", "cbp-encounters-mexican")
    # December is due 21 + 7 days after it ends.
    assert judge(latest, today=D("2026-01-28"), cadences=load_cadences())[0].days_behind == 31


@pytest.mark.parametrize(
    ("day", "period", "end"),
    [
        ("2024-02-10", "month", "2024-02-29"),
        ("2025-02-28", "month", "2025-02-28"),
        ("2025-12-01", "month", "2025-12-31"),
        ("2025-06-14", "year", "2025-12-31"),
        ("2025-06-14", "day", "2025-06-14"),
    ],
)
def test_period_end(day: str, period: str, end: str) -> None:
    assert period_end(D(day), period) == D(end)
