"""The demo reads both governments from 2025-01 to its latest bundled month.

Checked two ways on the bundled real texts (``dyadwatch/data/demo``): every month's
documents per side (cheap), and, marked slow, the coder on the thinnest month's texts.
The one known gap: the bundled White House corpus (``shared/data``'s 624 texts about
Mexico, selected from brian14708/wh-briefings by at least two mentions of Mexico, fentanyl
or cartels) has no text dated 2026-05, so no event can be coded from the U.S. side then.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter
from importlib.resources import as_file, files
from pathlib import Path

import pytest

from dyadwatch.analysis.reading import SidesMonth, coded_sides
from dyadwatch.cli.demo_cmd import BOTH_SIDES_SINCE, both_sides_line
from dyadwatch.ingest import demo_files, ingest_corpus
from dyadwatch.settings import Settings
from dyadwatch.store import Store

CORPORA = {  # bundled file -> the side whose words it holds
    "wh_briefings_mexico_related.jsonl.gz": "USA",
    "mananeras_top120_us_related.jsonl.gz": "MEX",
    "mananeras_2024_2026_us_related.jsonl.gz": "MEX",
}
KNOWN_GAPS = {("2026-05", "USA")}  # no White House text about Mexico dated 2026-05
THINNEST = "2026-06"  # 2 White House texts and 2 mañaneras (20 of 22 that month are partial)


def _lines(name: str) -> list[str]:
    with as_file(files("dyadwatch") / "data" / "demo" / name) as path:
        return gzip.decompress(Path(path).read_bytes()).decode("utf-8").splitlines()


def _months() -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {"USA": Counter(), "MEX": Counter()}
    for name, side in CORPORA.items():
        for line in _lines(name):
            counts[side][json.loads(line)["date"][:7]] += 1
    return counts


def test_the_corpora_are_the_bundled_ones() -> None:
    assert set(CORPORA) <= {f.name for f in demo_files() if f.kind == "corpus"}


def test_every_month_since_2025_has_texts_from_both_sides_but_the_known_gap() -> None:
    counts = _months()
    latest = max(max(c) for c in counts.values())
    assert latest == "2026-08"
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    months = [m for m in months if f"{BOTH_SIDES_SINCE:%Y-%m}" <= m <= latest]
    gaps = {(m, side) for m in months for side in counts if not counts[side][m]}
    assert len(months) == 20 and gaps == KNOWN_GAPS
    assert counts["USA"][THINNEST] == 2 and counts["MEX"][THINNEST] == 2


def test_both_sides_line_names_the_missing_months() -> None:
    months = [
        SidesMonth(dt.date(2026, 4, 1), {"USA": 8, "MEX": 89}),
        SidesMonth(dt.date(2026, 5, 1), {"MEX": 65}),
    ]
    assert both_sides_line(months, ("USA", "MEX")) == (
        "events coded from both governments' texts: 1 of 2 months, 2026-04 to 2026-05; "
        "missing: 2026-05 (none from USA)"
    )
    assert both_sides_line([], ("USA", "MEX")).startswith("no events coded")


@pytest.mark.slow
def test_the_coder_finds_events_from_both_sides_in_the_thinnest_month(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    from dyadwatch.coding import code_corpus, load_coder

    for name, side in CORPORA.items():
        month = [line for line in _lines(name) if json.loads(line)["date"][:7] == THINNEST]
        if month:
            path = tmp_path / f"{side}-{name}.jsonl"
            path.write_text("\n".join(month) + "\n", encoding="utf-8")
            source = "whitehouse" if side == "USA" else "mananera"
            ingest_corpus(store, path, settings=settings, source=source)
    code_corpus(store, load_coder(settings.dyad_countries))
    first = dt.date.fromisoformat(f"{THINNEST}-01")
    (month,) = coded_sides(store, settings, first)
    assert month.month == first and month.missing(settings.dyad_countries) == []
    assert month.events["USA"] > 0 and month.events["MEX"] > 0
