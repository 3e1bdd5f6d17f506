"""Text corpora: the two real JSONL corpora, bad lines quarantined, source and language."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli.app import app
from dyadwatch.errors import UnrecognizedFormatError
from dyadwatch.ingest import ingest_corpus
from dyadwatch.ingest.corpus import detect_lang, heading_title, stem
from dyadwatch.settings import Settings
from dyadwatch.store import Store, open_store

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "corpora"
WHITE_HOUSE = CORPORA / "wh_briefings_mexico_related.jsonl.gz"
MANANERAS = CORPORA / "mananeras_top120_us_related.jsonl.gz"


def test_white_house_corpus(store: Store, settings: Settings) -> None:
    report = ingest_corpus(store, WHITE_HOUSE, settings=settings)
    assert report.source_system == "corpus:whitehouse"
    # 624 lines; two pages were crawled twice under the same url (2025-01-23/24 executive
    # order signing remarks, 2026-03-08/09 investment article): one document each
    assert (report.read, report.loaded, report.duplicates, report.quarantined) == (624, 622, 2, 0)
    assert store.execute(
        "SELECT source, count(*), count(title), count(url), min(date), max(date) FROM documents "
        "GROUP BY source"
    ) == [("whitehouse", 622, 622, 622, dt.date(2021, 1, 22), dt.date(2026, 8, 19))]
    # every text is English except two bilingual releases whose Spanish half is longer
    assert store.execute("SELECT lang, count(*) FROM documents GROUP BY lang ORDER BY lang") == [
        ("en", 620),
        ("es", 2),
    ]
    bilingual = store.execute("SELECT DISTINCT title FROM documents WHERE lang = 'es'")
    assert bilingual == [("The White House Celebrates Día de los Muertos",)]
    first = store.execute(
        "SELECT title FROM documents WHERE date = DATE '2021-01-22' AND title LIKE '%Psaki%'"
    )
    assert first == [
        ("Press Briefing by Press Secretary Jen Psaki and National Economic Director Brian Deese",)
    ]
    again = ingest_corpus(store, WHITE_HOUSE, settings=settings)
    assert again.status == "skipped" and again.run_id == report.run_id


def test_mananera_corpus(store: Store, settings: Settings) -> None:
    report = ingest_corpus(store, MANANERAS, settings=settings)
    assert report.source_system == "corpus:mananera"
    assert (report.read, report.loaded, report.duplicates, report.quarantined) == (120, 120, 0, 0)
    assert store.execute(
        "SELECT source, lang, count(*), count(url), count(title) FROM documents GROUP BY ALL"
    ) == [("mananera", "es", 120, 0, 120)]
    assert store.scalar("SELECT title FROM documents WHERE date = DATE '2019-08-14'") == (
        "Versión estenográfica de la conferencia de prensa matutina | Miércoles 14 de agosto, 2019"
    )


def test_bad_lines_are_quarantined_with_line_and_reason(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    good = {
        "date": "2024-05-01",
        "title": "Call readout",
        "url": "https://x.gov/1",
        "text": "The President spoke with the President of Mexico.",
    }
    lines = [
        json.dumps(good),
        '{"date": "2024-05-02", "text": "unterminated',
        "",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no date", "text": "The text is here."}),
        json.dumps({"date": "2024-02-30", "text": "An impossible day."}),
        json.dumps({"date": "2024-05-03", "text": "   "}),
        json.dumps({"date": 20240504, "text": "A number for a date."}),
        json.dumps({**good, "text": "The same url again."}),
    ]
    path = tmp_path / "readouts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_corpus(store, path, settings=settings)
    assert report.source_system == "corpus:readouts"
    assert (report.read, report.loaded, report.duplicates, report.quarantined) == (8, 1, 1, 6)
    reasons = dict(store.execute("SELECT line_no, reason FROM quarantine ORDER BY line_no"))
    assert sorted(reasons) == [2, 4, 5, 6, 7, 8]
    assert reasons[2].startswith("not valid JSON (Unterminated string")
    assert reasons[4] == "a JSON list, not an object"
    assert reasons[5] == "date is missing"
    assert reasons[6] == "date '2024-02-30' is not a valid ISO date (YYYY-MM-DD)"
    assert reasons[7] == "text is missing or empty"
    assert reasons[8] == "field 'date' must be a string, not int"
    assert store.execute("SELECT source, lang, title, url FROM documents") == [
        ("readouts", "en", "Call readout", "https://x.gov/1")
    ]


def test_doc_ids_are_stable_across_stores(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text(
        json.dumps({"date": "2024-05-01", "text": "# Una nota\n\nEl texto de la nota."}) + "\n",
        encoding="utf-8",
    )
    ids = []
    for name in ("a.duckdb", "b.duckdb"):
        with open_store(tmp_path / name) as store:
            ingest_corpus(store, path, settings=Settings(db=tmp_path / name))
            ids.append(store.execute("SELECT doc_id, lang, title FROM documents"))
    assert ids[0] == ids[1] and ids[0][0][1:] == ("es", "Una nota")


def test_source_is_detected_from_the_first_url(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "feed.jsonl"
    record = {
        "date": "2025-02-01",
        "title": "Fact sheet",
        "text": "The tariffs.",
        "source_url": "https://www.whitehouse.gov/fact-sheets/2025/02/x/",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert ingest_corpus(store, path, settings=settings).source_system == "corpus:whitehouse"
    assert store.scalar("SELECT url FROM documents") == record["source_url"]


def test_a_file_that_is_not_jsonl_is_refused(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "table.csv"
    path.write_text("date,text\n2024-01-01,hello\n", encoding="utf-8")
    with pytest.raises(UnrecognizedFormatError, match="not JSON Lines"):
        ingest_corpus(store, path, settings=settings, source="x")
    assert store.scalar("SELECT count(*) FROM ingest_runs") == 0


def test_corpus_through_the_cli_with_source_and_lang(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"date": "2024-05-01", "text": "Hola."}) + "\n", encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "--db",
            str(db),
            "ingest",
            "corpus",
            str(path),
            "--source",
            "sre",
            "--lang",
            "es",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout.strip().splitlines()[-1])
    assert (totals["read"], totals["loaded"], totals["quarantined"]) == (1, 1, 0)
    with open_store(db) as store:
        assert store.execute("SELECT source, lang, title, url FROM documents") == [
            ("sre", "es", None, None)
        ]
        assert store.scalar("SELECT source_system FROM ingest_runs") == "corpus:sre"


def test_language_title_and_stem_helpers() -> None:
    assert detect_lang("The border and the tariffs of the United States") == "en"
    assert detect_lang("La frontera y los aranceles de los Estados Unidos") == "es"
    assert detect_lang("12345 !!!") == "und"
    text = "intro\n\n#  Versión estenográfica. Conferencia del\npresidente\n\n## Otro\n"
    assert heading_title(text) == "Versión estenográfica. Conferencia del presidente"
    assert heading_title("no heading here") is None
    assert stem(Path("briefs.jsonl.gz")) == "briefs" and stem(Path("a.b.json")) == "a.b"
