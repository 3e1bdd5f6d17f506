"""The monthly briefing on a small real store: ICEWS's real events of June 2018 (the steel
tariff statements), plus constructed coded events that set up the ranking cases."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from dyadwatch.analysis.fronts import front_keys
from dyadwatch.analysis.reading import coder_precision
from dyadwatch.briefs.briefing import (
    Briefing,
    briefing_for,
    build_briefing,
    parse_notes,
    parse_period,
)
from dyadwatch.briefs.briefing_render import render_html, render_markdown, render_pdf
from dyadwatch.cli.app import app
from dyadwatch.errors import ConfigError
from dyadwatch.ingest import ingest_icews
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store

from conftest import SHARED_DATA, insert_events, insert_reading

ICEWS_SAMPLE = SHARED_DATA / "fixtures" / "icews" / "events.2018.sample.tab"
MONTH = dt.date(2018, 6, 1)
BASELINE = ["2017-12", "2018-01", "2018-02", "2018-03", "2018-04", "2018-05"]
NOW = dt.datetime(2026, 11, 28, 12, 0)
SCRIPT_EVIDENCE = "<script>alert('evidence')</script> Border agents were told to stop the caravan"
SCRIPT_NOTE = "<script>alert('note')</script> Tariff talks resume"


def _constructed_events() -> list[dict[str, object]]:
    """Constructed test input, not data: coded events with evidence on three fronts.

    * migration: 2 AGREE a month in the baseline, then 8 THREATEN and 1 AGREE: judged,
      z ≈ −6.4, ranked first;
    * fentanyl: 2 AGREE a month, then 2 AGREE and 1 DEMAND: judged (5 events), |z| ≈ 0.7;
    * military_action: 4 FIGHT in the month only: |z| = 4 but too few events to judge,
      so it ranks after every judged front.
    """
    plan: list[tuple[str, str, str, int, int]] = []  # month, front, type, quad, count
    for month in BASELINE:
        plan += [(month, "migration", "AGREE", 1, 2), (month, "fentanyl", "AGREE", 1, 2)]
    plan += [
        ("2018-06", "migration", "THREATEN", 3, 8),
        ("2018-06", "migration", "AGREE", 1, 1),
        ("2018-06", "fentanyl", "AGREE", 1, 2),
        ("2018-06", "fentanyl", "DEMAND", 3, 1),
        ("2018-06", "military_action", "FIGHT", 4, 4),
    ]
    rows: list[dict[str, object]] = []
    for month, front, plover, quad, count in plan:
        for k in range(count):
            n = len(rows)
            rows.append(
                {
                    "event_id": f"b{n}",
                    "source_record_id": f"b{n}",
                    "event_date": f"{month}-{3 + k:02d}",
                    "plover_type": plover,
                    "quad_class": quad,
                    "fronts": [front],
                    "doc_id": f"doc-{month}",
                    "evidence": f"Constructed {plover} sentence {k} on {front} in {month}.",
                }
            )
    threatening = [r for r in rows if r["plover_type"] == "THREATEN"]
    threatening[-1]["evidence"] = SCRIPT_EVIDENCE  # the latest: among the key events
    threatening[-2]["doc_id"] = "doc-bad-url"
    return rows


def _documents(store: Store) -> None:
    """Constructed documents: one a month with a safe URL, one whose URL is a javascript:
    link that must never be rendered, and coded texts of both sides every month (coverage)."""
    for month in [*BASELINE, "2018-06"]:
        store.execute(
            "INSERT INTO documents VALUES (?, 'whitehouse', ?, 'en', 'constructed', ?, 'text', "
            "NULL)",
            [f"doc-{month}", f"{month}-02", f"https://example.org/{month}"],
        )
    store.execute(
        "INSERT INTO documents VALUES ('doc-bad-url', 'whitehouse', DATE '2018-06-02', 'en', "
        "'constructed', 'javascript:alert(1)', 'text', NULL)"
    )
    insert_reading(store, [*BASELINE, "2018-06"])  # both sides covered, the same each month


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    root = tmp_path_factory.mktemp("brief")
    settings = Settings(db=root / "dw.duckdb", cache_dir=root / "cache")
    with open_store(settings.db) as store:
        ingest_icews(store, ICEWS_SAMPLE, settings=settings)
        insert_events(store, _constructed_events())
        _documents(store)
    return settings, root


@pytest.fixture
def opened(small_store: tuple[Settings, Path]) -> Iterator[Store]:
    with open_store(small_store[0].db, read_only=True) as store:
        yield store


@pytest.fixture(scope="module")
def briefing(small_store: tuple[Settings, Path]) -> Briefing:
    settings, _ = small_store
    with open_store(settings.db, read_only=True) as store:
        return build_briefing(store, settings, MONTH, notes={"trade": SCRIPT_NOTE}, now=NOW)


@pytest.fixture(scope="module")
def html(briefing: Briefing) -> str:
    return render_html(briefing)


@pytest.fixture(scope="module")
def markdown(briefing: Briefing) -> str:
    return render_markdown(briefing)


def test_one_numbered_section_per_front_ranked_by_change(briefing: Briefing) -> None:
    sections = briefing.sections
    assert sorted(s.front for s in sections) == sorted(front_keys())
    assert [s.rank for s in sections] == [1, 2, 3, 4, 5, 6]
    order = [s.front for s in sections]
    assert order[0] == "migration" and sections[0].verdict == "deteriorated"
    assert "conflict risk alert" in sections[0].flags
    assert order.index("fentanyl") < order.index("military_action")  # judged before unjudged
    judged = [s for s in sections if s.judged]
    assert [s.judged for s in sections] == [True] * len(judged) + [False] * (6 - len(judged))
    for part in (judged, [s for s in sections if not s.judged]):
        assert [s.score for s in part] == sorted((s.score for s in part), reverse=True)
    # weighted counts against each stream's baseline rate (equal reading every month):
    # White House texts expect 2 + 1/12 cooperative and 1/12 conflict events (Jeffreys'
    # half event over six months), the mañaneras 1/12 of each; the month has 1 and 8
    w_en, w_es = (coder_precision()[lang][0] for lang in ("en", "es"))
    noise = ((2 + 2 / 12) * w_en**2 + (2 / 12) * w_es**2) ** 0.5
    assert sections[0].score == pytest.approx(abs((1 - 8 - 2) * w_en / noise), abs=1e-2)


def test_direction_rows_add_up_to_the_verdict_numbers(briefing: Briefing) -> None:
    for section in (briefing.overall, *briefing.sections):
        total = sum(int(d.events.text) for d in section.directions)
        assert total == int(section.measures["events"].value.text), section.front
    # the real ICEWS events of 1-2 June 2018: two days do not cover the month, so ICEWS is
    # listed in the coverage line but neither counted nor shown
    assert briefing.overall.directions and len(briefing.overall.directions) == 2
    used = {c.stream: c.weight for c in briefing.overall.coverage}
    assert used["icews"] == 0 and used["coded:USA"] > 0 and used["coded:MEX"] > 0


def test_every_number_links_to_its_rows(briefing: Briefing, html: str, markdown: str) -> None:
    migration = briefing.sections[0]
    query = parse_qs(urlsplit(migration.measures["events"].value.href).query)
    assert query == {
        "front": ["migration"],
        "since": ["2018-06-01"],
        "until": ["2018-06-30"],
        "dyad": ["USA-MEX"],
    }
    baseline = parse_qs(urlsplit(migration.measures["events"].baseline.href).query)
    assert (baseline["since"], baseline["until"]) == (["2017-12-01"], ["2018-05-31"])
    assert [d.label for d in migration.directions] == ["USA→MEX", "MEX→USA"]  # never "own"
    back = parse_qs(urlsplit(migration.directions[1].events.href).query)
    assert (back["direction"], back["dyad"]) == (["MEX-USA"], ["USA-MEX"])
    trend_lines = [line for line in markdown.splitlines() if line.startswith("**Trend.**")]
    assert len(trend_lines) == 6
    for line in trend_lines:
        bare = re.sub(r"\[[^\]]*\]\([^)]*\)", "", line).replace(briefing.month_name, "")
        assert not re.search(r"\d", bare), line
    parsed = _Html.parse(html)
    assert parsed.numbers_outside_links == []
    assert parsed.num_links and all(
        h.startswith(("/events?", "/events/", "/forecasts", "/sources")) for h in parsed.num_links
    )


def test_key_events_carry_evidence_and_safe_source_links(briefing: Briefing, html: str) -> None:
    migration = briefing.sections[0]
    assert 2 <= len(migration.events) <= 5
    for event in migration.events:
        assert event.href == f"/events/{event.event_id}"
        assert event.evidence
    urls = {e.source_url for e in migration.events}
    assert "https://example.org/2018-06" in urls
    assert not any(u and u.startswith("javascript") for u in urls)
    assert "javascript:" not in html


def test_html_escapes_scripts_in_notes_and_evidence(
    briefing: Briefing, html: str, markdown: str
) -> None:
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#39;evidence&#39;)&lt;/script&gt;" in html
    trade = next(s for s in briefing.sections if s.front == "trade")
    assert trade.note == SCRIPT_NOTE
    assert "\\<script\\>alert('note')\\</script\\>" in markdown
    assert not re.search(r"(?<!\\)<", markdown)  # every < from the data is escaped


def test_html_is_self_contained(html: str) -> None:
    assert "<style>" in html and html.count("<svg") == 7
    assert not re.search(r"<link\b|\bsrc=|@import|url\(\s*['\"]?https?:", html)


def test_sources_name_systems_files_and_licences(briefing: Briefing) -> None:
    icews = next(r for r in briefing.sources if r.system == "icews")
    assert icews.file_name == "events.2018.sample.tab" and icews.rows >= 6
    assert "MIT" in icews.licence and "ICEWS" in icews.title
    coded = next(r for r in briefing.sources if r.system == "coded")
    assert coded.rows == 24 + 9 + 3 + 4 and "not recorded" in coded.licence
    assert briefing.source_systems == ("coded", "icews")


def test_markdown_numbers_its_sections(markdown: str) -> None:
    heads = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert [h[:5] for h in heads[:6]] == [f"## #{i}" for i in range(1, 7)]
    assert heads[6:] == ["## Outlook", "## What to watch", "## Sources"]


def test_pdf_is_a_real_document(briefing: Briefing, html: str) -> None:
    data = render_pdf(briefing, html=html)
    assert data.startswith(b"%PDF") and len(data) > 30_000  # seven vector charts and text
    assert data.rstrip().endswith(b"%%EOF")


def test_periods_and_notes_are_checked() -> None:
    assert parse_period("2025-02") == dt.date(2025, 2, 1)
    for bad in ("2025-13", "Feb 2025", "2025-2-1", ""):
        with pytest.raises(ConfigError, match="YYYY-MM"):
            parse_period(bad)
    assert parse_notes(['trade=Talks resume "soon"']) == {"trade": 'Talks resume "soon"'}
    with pytest.raises(ConfigError, match="unknown front 'tariffs'"):
        parse_notes(["tariffs=x"])
    with pytest.raises(ConfigError, match='trade="text"'):
        parse_notes(["trade"])
    with pytest.raises(ConfigError, match="empty"):
        parse_notes(["trade=  "])


def test_inputs_are_checked_before_the_store_is_read(
    opened: Store, small_store: tuple[Settings, Path]
) -> None:
    with pytest.raises(ConfigError, match="YYYY-MM"):
        briefing_for(opened, small_store[0], period="June", now=NOW)


def test_cli_rejects_a_bad_period_and_writes_a_month_without_data(
    small_store: tuple[Settings, Path], tmp_path: Path
) -> None:
    base = ["--db", str(small_store[0].db), "brief"]
    bad = CliRunner().invoke(app, [*base, "--period", "2018-13"])
    assert bad.exit_code == 2 and "must be a month written YYYY-MM" in bad.output
    out = tmp_path / "md" / "b.md"
    ok = CliRunner().invoke(
        app,
        [*base, "--period", "1990-01", "--out", str(out), "--base-url", "https://dw.example/"]
        + ["--note", "migration=Watch the <b>caravan</b>"],
    )
    assert ok.exit_code == 0, ok.output
    text = out.read_text(encoding="utf-8")
    assert "No events between the United States and Mexico are stored for January 1990" in text
    assert "Watch the \\<b\\>caravan\\</b\\>" in text
    assert "](https://dw.example/events?front=migration&since=1990-01-01&" in text
    charts = sorted(out.parent.glob("*.svg"))
    assert len(charts) == 7 and all(f"]({c.name})" in text for c in charts)
    assert all(c.read_text(encoding="utf-8").startswith("<svg") for c in charts)


class _Html(HTMLParser):
    """Collects the links of numbers and any digits written outside a link in the trend
    paragraphs and direction tables."""

    def __init__(self) -> None:
        super().__init__()
        self.num_links: list[str] = []
        self.numbers_outside_links: list[str] = []
        self._in_link = 0
        self._scope: list[str] = []
        self._trend = False

    @classmethod
    def parse(cls, html: str) -> _Html:
        parser = cls()
        parser.feed(html)
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self._in_link += 1
            if "num" in (values.get("class") or ""):
                self.num_links.append(values.get("href") or "")
        if tag == "td" and values.get("class") == "n":
            self._scope.append("td")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link -= 1
        if tag == "td" and self._scope:
            self._scope.pop()
        if tag == "p":
            self._trend = False

    def handle_data(self, data: str) -> None:
        if data.startswith("Trend."):
            self._trend = True
        if (self._trend or self._scope) and not self._in_link:
            text = re.sub(r"[A-Z][a-z]+ \d{4}", "", data)  # the month's name, e.g. June 2018
            if re.search(r"\d", text):
                self.numbers_outside_links.append(data)
