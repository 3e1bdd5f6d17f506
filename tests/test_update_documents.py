"""The document steps of ``dyadwatch update`` against a loopback server: White House
releases, the Mexican presidency's transcripts, and the coding of the new documents.

What is real and what the test builds:

- the texts, titles, dates and page paths are REAL records of
  ``../shared/data/corpora/wh_briefings_mexico_related.jsonl.gz`` and
  ``mananeras_2024_2026.jsonl.gz``; the transcript index lines are real lines of the
  upstream ``urls.txt`` (``tests/fixtures/documents/``), served on the loopback host;
- the HTML around each text is built by the test. White House pages follow the current
  whitehouse.gov block layout (``h1.wp-block-whitehouse-topper__headline``,
  ``.wp-block-post-date time``, ``.wp-block-post-content``), and the 2022 archive page the
  archive's ``section.body-content``; transcript pages follow what the upstream extractor
  reads from gob.mx today (``h1``, a ``div.pull-left`` holding a ``section`` "author | date"
  and the ``p`` paragraphs). The real old gob.mx layout is read in
  ``test_sources_documents.py``; the sitemaps are the sitemaps.org format Yoast serves;
- the partial transcript is a REAL prefix of a complete one (the 2026-08-06 conference up
  to the President's call for questions), later served complete.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from loopback import Loopback

from dyadwatch.coding import CODER_NAME, CODER_VERSION
from dyadwatch.coding.update import CodingUpdater, coding_updater, document_updaters
from dyadwatch.ingest.update_base import UpdateJob
from dyadwatch.ingest.update_mananeras import MananerasUpdater
from dyadwatch.ingest.update_whitehouse import WhiteHouseUpdater
from dyadwatch.settings import Settings
from dyadwatch.sources import mananeras as mx
from dyadwatch.store import Store, open_store
from dyadwatch.store import coded as coded_store

from conftest import SHARED_DATA, insert_events, table_count

CORPORA = SHARED_DATA / "corpora"
FIXTURES = Path(__file__).parent / "fixtures" / "documents"
LATER = dt.date(2026, 10, 1)  # "today" for the updates: after every date served
WH = {  # short names for real White House records (by a part of their real URL)
    "statement": "2025/02/statement-from-the-press-secretary-19a9/",
    "dialogue": "ninth-meeting-of-the-north-american-drug-dialogue/",
    "halt": "president-trump-signs-halt-fentanyl-act-into-law/",
    "carter": "sara-carter-confirmed-as-drug-czar/",
    "wildfires": "responds-to-early-wildfires-in-new-mexico/",  # about the state: left out
    "davos": "remarks-by-president-trump-at-the-world-economic-forum/",  # 42k characters
}
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def read_jsonl_gz(path: Path) -> list[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def releases() -> dict[str, dict[str, object]]:
    records = read_jsonl_gz(CORPORA / "wh_briefings_mexico_related.jsonl.gz")
    return {k: next(r for r in records if str(r["source_url"]).endswith(u)) for k, u in WH.items()}


@pytest.fixture(scope="module")
def transcripts() -> dict[str, dict[str, object]]:
    records = read_jsonl_gz(CORPORA / "mananeras_2024_2026.jsonl.gz")
    return {str(r["date"]): r for r in records if str(r["date"]) >= "2026-08-06"}


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    with Loopback() as server:
        yield server


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as opened:
        yield opened


def path_of(url: object) -> str:
    return urlsplit(str(url)).path


def job(store: Store, settings: Settings, client: httpx.Client, today: dt.date = LATER):
    return UpdateJob(store, settings, client, settings.cache_dir, lambda _s: None, today=today)


def squash_paragraphs(text: str) -> str:
    paragraphs = (" ".join(p.split()) for p in text.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def release_page(record: dict[str, object], *, body: bool = True) -> bytes:
    """A page around a real release, in the layout of its site (module docstring)."""
    title, day = html.escape(str(record["title"])), str(record["date"])
    text = paragraphs_html(str(record["text"]))
    if "archives.gov" in str(record["source_url"]):
        return (
            "<!DOCTYPE html><html><head><meta charset='UTF-8'>"
            f"<meta property='og:title' content='{title}'></head>"
            f"<body><article><h1 class='page-title'>{title}</h1><time datetime='{day}'>{day}"
            f"</time><section class='body-content'>{text}</section></article></body></html>"
        ).encode()
    content = f"<div class='entry-content wp-block-post-content'>{text}</div>" if body else ""
    return (
        "<!DOCTYPE html><html lang='en-US'><head><meta charset='UTF-8'>"
        f"<title>{title} – The White House</title>"
        f"<meta property='article:published_time' content='{day}T16:00:00+00:00'></head><body>"
        f"<main><div class='wp-block-whitehouse-topper'><h1 class="
        f"'wp-block-whitehouse-topper__headline'>{title}</h1><div class='wp-block-post-date'>"
        f"<time datetime='{day}T12:00:00-04:00'>{day}</time></div></div>{content}</main>"
        "</body></html>"
    ).encode()


def sitemap(entries: list[tuple[str, str]], *, index: bool = False) -> bytes:
    tag, root = ("sitemap", "sitemapindex") if index else ("url", "urlset")
    items = "".join(f"<{tag}><loc>{u}</loc><lastmod>{d}</lastmod></{tag}>" for u, d in entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><{root} {NS}>{items}</{root}>'.encode()


def serve_white_house(loopback: Loopback, records: list[dict[str, object]], **pages) -> None:
    """Pages at the records' real paths; two post sitemaps and a page sitemap."""
    for record in records:
        loopback.serve(path_of(record["source_url"]), release_page(record, **pages))
    listed = [(loopback.url(path_of(r["source_url"])), str(r["date"])) for r in records]
    half = len(listed) // 2
    loopback.serve("/post-sitemap.xml", sitemap(listed[:half]))
    loopback.serve("/post-sitemap2.xml", sitemap(listed[half:]))
    loopback.serve("/page-sitemap.xml", sitemap([(loopback.url("/about/"), "2025-01-20")]))
    children = ["/post-sitemap.xml", "/post-sitemap2.xml", "/page-sitemap.xml"]
    index = [(loopback.url(c), "2026-08-19T14:00:00+00:00") for c in children]
    loopback.serve("/sitemap_index.xml", sitemap(index, index=True))


def wh_settings(tmp_path: Path, loopback: Loopback, **extra: object) -> Settings:
    return Settings(
        db=tmp_path / "dw.duckdb",
        cache_dir=tmp_path / "cache",
        whitehouse_sitemap_url=loopback.url("/sitemap_index.xml"),
        documents_since=dt.date(2021, 1, 1),
        **extra,  # type: ignore[arg-type]
    )


def test_white_house_first_update_loads_the_releases_about_mexico_second_adds_nothing(
    loopback: Loopback, client: httpx.Client, tmp_path: Path, releases
) -> None:
    chosen = [releases[k] for k in ("statement", "dialogue", "halt", "wildfires")]
    serve_white_house(loopback, chosen)
    settings = wh_settings(tmp_path, loopback)
    with open_store(settings.db) as store:
        first = WhiteHouseUpdater().run(job(store, settings, client))
        assert (first.new_rows, first.filtered, first.failed) == (3, 1, ())
        assert first.data_through == dt.date(2026, 2, 2)
        stored = store.execute("SELECT url, date, title, lang, text FROM documents ORDER BY date")
        expected = sorted(chosen[:3], key=lambda r: str(r["date"]))
        assert [(path_of(u), str(d), t, lang) for u, d, t, lang, _ in stored] == [
            (path_of(r["source_url"]), r["date"], r["title"], "en") for r in expected
        ]
        assert [text for *_, text in stored] == [
            squash_paragraphs(str(r["text"])) for r in expected
        ]
        assert not loopback.hits("/page-sitemap.xml")  # not a sitemap of releases
        assert len(loopback.hits(path_of(releases["wildfires"]["source_url"]))) == 1

        before = len(loopback.hits())
        second = WhiteHouseUpdater().run(job(store, settings, client))
        assert (second.new_rows, second.files, second.not_modified) == (0, 0, 3)
        later = loopback.hits()[before:]
        assert sorted(h.path for h in later) == [
            "/post-sitemap.xml",
            "/post-sitemap2.xml",
            "/sitemap_index.xml",
        ]
        assert all(h.header("If-None-Match") and h.status == 304 for h in later)
        assert table_count(store, "documents") == 3


def test_a_page_over_the_size_limit_or_without_its_body_fails_naming_the_source(
    loopback: Loopback, client: httpx.Client, tmp_path: Path, releases
) -> None:
    carter = releases["carter"]
    serve_white_house(loopback, [releases["statement"], releases["davos"], carter])
    loopback.serve(path_of(carter["source_url"]), release_page(carter, body=False))
    settings = wh_settings(tmp_path, loopback, update_max_bytes=20_000)
    with open_store(settings.db) as store:
        outcome = WhiteHouseUpdater().run(job(store, settings, client))
        assert outcome.new_rows == 1
        too_big, no_body = sorted(outcome.failed, key=lambda m: "carter" in m)
        assert too_big.startswith(
            f"whitehouse: {loopback.url(path_of(releases['davos']['source_url']))}"
        )
        assert "over the limit of 20,000 bytes" in too_big
        assert no_body.startswith(f"whitehouse: {loopback.url(path_of(carter['source_url']))}")
        assert "the page has no body" in no_body and ".wp-block-post-content" in no_body
        # failed pages are not remembered: the next update asks for them again
        again = WhiteHouseUpdater().run(job(store, settings, client))
        assert again.new_rows == 0 and len(again.failed) == 2


@pytest.mark.slow
def test_the_coding_step_codes_the_new_documents_once(
    loopback: Loopback, client: httpx.Client, tmp_path: Path, releases
) -> None:
    serve_white_house(loopback, [releases[k] for k in ("statement", "dialogue", "halt")])
    settings = wh_settings(tmp_path, loopback)
    with open_store(settings.db) as store:
        WhiteHouseUpdater().run(job(store, settings, client))
        coded = CodingUpdater(workers=1).run(job(store, settings, client))
        assert coded.source == "coding" and coded.files == 3
        events = store.scalar("SELECT count(*) FROM events WHERE source_system = 'coded'")
        assert coded.new_rows == events > 0
        assert (
            coded_store.count_documents_to_code(store, coder=CODER_NAME, version=CODER_VERSION) == 0
        )

        def no_coder(_pair: tuple[str, str]):
            raise AssertionError("nothing to code: the coder must not be loaded")

        again = CodingUpdater(workers=1, load=no_coder).run(job(store, settings, client))
        assert (again.files, again.new_rows) == (0, 0)


def test_the_steps_have_the_names_the_update_command_composes() -> None:
    settings = Settings()
    assert [u.name for u in document_updaters(settings)] == ["whitehouse", "mananeras"]
    assert coding_updater(settings).name == "coding"


# -- the Mexican presidency's transcripts ----------------------------------------------------


def transcript_page(text: str) -> bytes:
    """A page around a real transcript text, in the layout described in the module doc."""
    header, *turns = text.split("\n\n")
    title, author, date_text = header.split("\n")[:3]
    paragraphs = []
    for turn in turns:
        lines = turn.split("\n")
        if lines[0].isupper() and len(lines) > 1:
            lines = [f"{lines[0]}: {lines[1]}", *lines[2:]]
        paragraphs.extend(f"<p>{html.escape(line)}</p>" for line in lines)
    return (
        f"<!DOCTYPE html><html lang='es'><head><title>{html.escape(title)}</title></head><body>"
        f"<main class='inner-page interior ficha'><h1 class='bottom-buffer'>{html.escape(title)}"
        f"</h1><div class='col-sm-7 pull-left'><section>{html.escape(author)} | {date_text}"
        f"</section>{''.join(paragraphs)}</div><div class='col-sm-7 pull-left'></div></main>"
        "</body></html>"
    ).encode()


def until_the_call_for_questions(text: str) -> str:
    """The real 2026-08-06 transcript up to its 18th turn, where the President calls for
    questions ('—A ver, la compañera, atrás—.'): what gob.mx first publishes."""
    cut = "\n\n".join(text.split("\n\n")[:18])
    assert cut.endswith("—A ver, la compañera, atrás—.")
    return cut


def index_lines(*wanted: str) -> list[str]:
    """Real lines of the index excerpt containing any of ``wanted``, in their real order."""
    lines = (FIXTURES / "mananeras_urls_excerpt.txt").read_text().split()
    return [line for line in lines if any(w in line for w in wanted)]


def serve_index(loopback: Loopback, lines: list[str]) -> str:
    local = "".join(loopback.url(path_of(line)) + "\n" for line in lines)
    return loopback.serve("/urls.txt", local.encode(), content_type="text/plain")


def url_of(record: dict[str, object], loopback: Loopback) -> str:
    return loopback.url(path_of(record["source_url"]))


def stored_text(store: Store, url: str) -> str:
    return str(store.scalar("SELECT text FROM documents WHERE url = ?", [url]))


def test_mananeras_update_keeps_those_about_the_us_and_completes_a_partial_one(
    loopback: Loopback, client: httpx.Client, tmp_path: Path, transcripts
) -> None:
    days = ("21", "19", "14", "12", "06")  # of August 2026
    records = {d: transcripts[f"2026-08-{d}"] for d in days}
    partial = until_the_call_for_questions(str(records["06"]["text"]))
    for day, record in records.items():
        text = partial if day == "06" else str(record["text"])
        loopback.serve(path_of(record["source_url"]), transcript_page(text))
    lines = index_lines(*(f"-{d}-de-agosto-de-2026" for d in days))
    lines += index_lines("avances-en-atencion-a-emergencia", "del-19-de-octubre-de-2023")
    assert len(lines) == 7
    settings = Settings(
        db=tmp_path / "dw.duckdb",
        cache_dir=tmp_path / "cache",
        mananeras_index_url=serve_index(loopback, lines),
    )
    with open_store(settings.db) as store:
        first = MananerasUpdater().run(job(store, settings, client))
        # 21 and 12 mention the U.S. fewer than 5 times; the message and the 2023
        # conference are never fetched (not a press conference; before documents_since)
        assert (first.new_rows, first.filtered, first.failed) == (3, 2, ())
        assert [
            path for path in (path_of(line) for line in lines[-2:]) if loopback.hits(path)
        ] == []
        kept = store.execute("SELECT date, lang FROM documents ORDER BY date")
        assert kept == [(dt.date(2026, 8, d), "es") for d in (6, 14, 19)]
        url06 = url_of(records["06"], loopback)
        assert mx.likely_partial(stored_text(store, url06))
        assert stored_text(store, url06).splitlines() == partial.splitlines()
        full19 = stored_text(store, url_of(records["19"], loopback))
        assert full19.splitlines() == str(records["19"]["text"]).splitlines()

        # the same day: only the index is asked for (conditionally); the next day the two
        # partial transcripts are checked too, conditionally; nothing new is added
        checked = store.scalar("SELECT max(fetched_at) FROM fetch_state").date()
        partial_paths = {path_of(records[d]["source_url"]) for d in ("06", "14")}
        for today, asked in ((checked, set()), (checked + dt.timedelta(days=1), partial_paths)):
            before = len(loopback.hits())
            again = MananerasUpdater().run(job(store, settings, client, today))
            assert (again.new_rows, again.files, again.failed) == (0, 0, ())
            later = loopback.hits()[before:]
            assert {h.path for h in later} == {"/urls.txt"} | asked  # nothing else
            assert all(h.header("If-None-Match") and h.status == 304 for h in later)

        # the 06's coding is on record (constructed rows): a replacement must drop it
        doc06 = store.scalar("SELECT doc_id FROM documents WHERE url = ?", [url06])
        store.execute(
            "INSERT INTO coded_documents SELECT doc_id, ?, ?, 1, 1, now() FROM documents",
            [CODER_NAME, CODER_VERSION],
        )
        insert_events(store, [{"doc_id": doc06, "event_date": "2026-08-06"}])

        loopback.serve(
            path_of(records["06"]["source_url"]), transcript_page(str(records["06"]["text"]))
        )
        third = MananerasUpdater().run(job(store, settings, client, checked + dt.timedelta(2)))
        assert (third.new_rows, third.files, third.failed) == (1, 1, ())
        assert stored_text(store, url06).splitlines() == str(records["06"]["text"]).splitlines()
        assert not mx.likely_partial(stored_text(store, url06))
        assert table_count(store, "documents") == 3
        assert store.scalar("SELECT count(*) FROM events WHERE doc_id = ?", [doc06]) == 0
        todo = coded_store.documents_to_code(store, coder=CODER_NAME, version=CODER_VERSION)
        assert [d.doc_id for d in todo] == [doc06]


def test_a_recent_partial_transcript_not_yet_about_the_us_is_fetched_again(
    loopback: Loopback, client: httpx.Client, tmp_path: Path, transcripts
) -> None:
    record = transcripts["2026-08-21"]  # partial in the corpus, no mention of the U.S.
    loopback.serve(path_of(record["source_url"]), transcript_page(str(record["text"])))
    settings = Settings(
        db=tmp_path / "dw.duckdb",
        cache_dir=tmp_path / "cache",
        mananeras_index_url=serve_index(loopback, index_lines("21-de-agosto-de-2026")),
    )
    page = path_of(record["source_url"])
    with open_store(settings.db) as store:
        for today, fetches in ((dt.date(2026, 8, 21), 1), (dt.date(2026, 8, 22), 2)):
            outcome = MananerasUpdater().run(job(store, settings, client, today))
            assert (outcome.new_rows, len(loopback.hits(page))) == (0, fetches)
        # two days on, it is remembered as read: fetched once more, then never again
        for _ in range(2):
            MananerasUpdater().run(job(store, settings, client, dt.date(2026, 8, 23)))
            assert len(loopback.hits(page)) == 3
