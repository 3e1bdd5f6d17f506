"""Text corpora (JSON Lines, optionally gzipped) → the ``documents`` table.

Each non-blank line is one document: read, and then loaded, a duplicate (same
``doc_id``), or quarantined with its line number and reason (not JSON, not an object,
a field of the wrong type, no date, a date that is not a real ISO date, no text).

- **source**: as given; else ``whitehouse`` or ``mananera`` when the file name or the
  first document's url says so (:data:`KNOWN_SOURCES`); else the file name without its
  extensions.
  The run's ``source_system`` is ``corpus:<source>``.
- **lang**: as given; else per document, by counting common function words among its
  first 2,000 words: :data:`EN_WORDS` against :data:`ES_WORDS`. The larger count wins;
  a text with neither is ``und`` (undetermined, ISO 639-2).
- **title**: the record's title with blanks collapsed; else the text's first Markdown
  heading (a ``#`` line joined with its wrapped continuation lines); else None.
- **url**: the record's ``url`` or ``source_url``; never derived (a mañanera record has
  only a repository ``path``, and no gob.mx page address can be read from it).
- **doc_id**: md5 of ``<source>:`` plus the url, else the path, else date and title,
  else date and the md5 of the text. A page crawled twice under one url is one document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from dyadwatch.ingest.runner import OnRows, Stager, ingest_file, stage_records
from dyadwatch.records import Document, IngestReport, Rejected
from dyadwatch.settings import Settings
from dyadwatch.sources import corpus as src
from dyadwatch.sources.files import PreparedInput
from dyadwatch.store import Store

LANG_SAMPLE_WORDS = 2000
EN_WORDS = frozenset(
    "the and of to in is that for with on was are this it be as by have we our".split()
)
ES_WORDS = frozenset(
    "el la de que y en los las del se por con una para es al lo como más pero".split()
)
KNOWN_SOURCES = (  # (source, hints in the file name, hints in the first url)
    ("whitehouse", ("whitehouse", "wh_"), ("whitehouse.gov", "whitehouse.archives.gov")),
    ("mananera", ("mananera", "mañanera"), ("gob.mx/presidencia",)),
)
_WORD = re.compile(r"\w+")
_SUFFIXES = (".gz", ".jsonl", ".json", ".ndjson", ".zip")


def ingest_corpus(
    store: Store,
    path: Path | str,
    *,
    settings: Settings,
    source: str | None = None,
    lang: str | None = None,
    on_rows: OnRows | None = None,
) -> IngestReport:
    """Ingest one JSONL corpus into ``documents``; see the module docstring."""
    path = Path(path)

    def source_of(prepared: PreparedInput) -> str:
        return source or detect_source(path, prepared)

    def stager(prepared: PreparedInput) -> Stager:
        src.check_jsonl(prepared.text_path, shown=path)
        chosen = source_of(prepared)
        return lambda store, prep, run_id: stage_records(
            store,
            run_id,
            read_documents(prep.text_path, source=chosen, lang=lang),
            on_rows=on_rows,
        )

    return ingest_file(
        store, path, source_system=lambda prep: f"corpus:{source_of(prep)}", stager=stager
    )


def read_documents(
    path: Path, *, source: str, lang: str | None
) -> Iterator[tuple[int, Document | Rejected]]:
    """(line number, document or rejection) for each non-blank line of a JSONL file."""
    for item in src.read_jsonl(path):
        yield item.line_no, to_document(item, source=source, lang=lang)


def detect_source(path: Path, prepared: PreparedInput) -> str:
    """'whitehouse' or 'mananera' from the file name or first url, else the file stem."""
    name = path.name.lower()
    first = src.first_line(prepared.text_path)
    url = (first.url or "").lower() if first else ""
    for source, name_hints, url_hints in KNOWN_SOURCES:
        if any(h in name for h in name_hints) or any(h in url for h in url_hints):
            return source
    return stem(path)


def stem(path: Path) -> str:
    """The file name without its data extensions: 'briefs.jsonl.gz' → 'briefs'."""
    name = path.name
    while name.lower().endswith(_SUFFIXES):
        name = name[: name.rfind(".")]
    return name or path.name


def to_document(
    item: src.CorpusLine | Rejected, *, source: str, lang: str | None
) -> Document | Rejected:
    """One corpus line as a document, or the reason it cannot be one."""
    if isinstance(item, Rejected):
        return item
    try:
        date = parse_doc_date(item.date)
    except ValueError as exc:
        return Rejected(item.line_no, item.raw, str(exc))
    if item.text is None or not item.text.strip():
        return Rejected(item.line_no, item.raw, "text is missing or empty")
    title = clean_title(item.title) or heading_title(item.text)
    return Document(
        doc_id=doc_id(source, item, date=date, title=title),
        source=source,
        date=date,
        lang=lang or detect_lang(item.text),
        title=title,
        url=item.url,
        text=item.text,
    )


def parse_doc_date(text: str | None) -> dt.date:
    """An ISO date or date-time ('2021-01-22', '2021-01-22T10:00:00Z'); else ValueError."""
    if text is None or not text.strip():
        raise ValueError("date is missing")
    try:
        return dt.datetime.fromisoformat(text.strip()).date()
    except ValueError:
        raise ValueError(f"date {text[:40]!r} is not a valid ISO date (YYYY-MM-DD)") from None


def clean_title(title: str | None) -> str | None:
    """Blanks (including no-break spaces) collapsed; None when empty."""
    if not title:
        return None
    return " ".join(title.split()) or None


def heading_title(text: str, *, limit: int = 300) -> str | None:
    """The first Markdown heading of ``text``, with its wrapped lines joined."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("#")), None)
    if start is None:
        return None
    parts = [lines[start].lstrip().lstrip("#")]
    for line in lines[start + 1 :]:
        if not line.strip() or line.lstrip().startswith(("#", "!", "[")):
            break
        parts.append(line)
    return clean_title(" ".join(parts)[:limit])


def detect_lang(text: str) -> str:
    """'en', 'es', or 'und', by function-word counts (module docstring)."""
    words = [w.lower() for w in _WORD.findall(text[: LANG_SAMPLE_WORDS * 12])]
    words = words[:LANG_SAMPLE_WORDS]
    english = sum(1 for w in words if w in EN_WORDS)
    spanish = sum(1 for w in words if w in ES_WORDS)
    if english == spanish == 0:
        return "und"
    return "es" if spanish > english else "en"


def doc_id(source: str, item: src.CorpusLine, *, date: dt.date, title: str | None) -> str:
    """A stable id: md5 of the source and the url, path, or date and title (or text)."""
    if item.url or item.path:
        key = item.url or item.path
    elif title:
        key = f"{date.isoformat()}|{title}"
    else:
        key = f"{date.isoformat()}|{hashlib.md5((item.text or '').encode()).hexdigest()}"
    return hashlib.md5(f"{source}:{key}".encode()).hexdigest()
