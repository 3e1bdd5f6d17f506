"""The Mexican presidency's press-conference transcripts (versiones estenográficas, gob.mx).

**Where the list of transcripts comes from.** gob.mx's own archive listing
(``/presidencia/es/archivo/articulos?page=N``) sits behind a JavaScript challenge ("Challenge
Validation") that only a browser passes; the upstream scraper, fferegrino/mananeras, drives
a headless Chromium for it every day and records every article URL it finds in ``urls.txt``
(newest first, one per line, prepend-only). dyadwatch reads that plain-text index (a
conditional request: unchanged, it costs a 304) and fetches the transcript pages themselves
from gob.mx, which plain HTTP can read. The index also lists agendas and speeches; only URLs
containing ``conferencia-de-prensa`` are press conferences (the bundled corpus's rule).

**The page layout targeted.** The title is the page's ``h1``; the author and date are either
the ``dl`` of ``section.border-box`` ("Autor", "Fecha de publicación": the layout of the real
2021 page in ``tests/fixtures/documents/``) or a ``section`` reading ``Autor | 02 de octubre de
2024`` beside the text (what the upstream extractor reads from the current pages). The text is
the ``p`` elements of ``div.article-body``, else of the ``div.pull-left`` holding the most of
them. A paragraph whose words before the first colon are in capitals starts a speaker's turn.

**The text** is written as the bundled corpus ``mananeras_2024_2026.jsonl.gz`` has it: the
title, author and date lines, then each turn as a blank line, the speaker's name, and the
speaker's paragraphs one per line.

**Partial transcripts.** gob.mx often publishes the opening presentation first and adds the
questions and answers hours later; a transcript fetched in between is partial
(:func:`likely_partial`). The heuristic is the one described for the bundled corpus: the last
two lines hold no closing marker (``—000—``, "Gracias a todos", "buenos días", …), or there
are fewer than 3 question turns and the text ends by calling for questions. On the 475 real
2024–2026 transcripts it agrees with the corpus's own flag on 474 (tested).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from dyadwatch.errors import SchemaChangedError
from dyadwatch.settings import Settings
from dyadwatch.sources import pages
from dyadwatch.sources.mentions import count_mentions, other_country

SOURCE = "mananera"
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("enero",),
            ("febrero",),
            ("marzo",),
            ("abril",),
            ("mayo",),
            ("junio",),
            ("julio",),
            ("agosto",),
            ("septiembre", "setiembre"),
            ("octubre",),
            ("noviembre",),
            ("diciembre",),
        ),
        start=1,
    )
    for name in names
}
DATE_TEXT = re.compile(r"(\d{1,2})\s+de\s+([a-záéíóú]+)\s+(?:de|del)\s+(\d{4})", re.IGNORECASE)
QUESTION_SPEAKERS = ("PREGUNTA", "INTERLOCUTOR")
MIN_QUESTION_TURNS = 3
CLOSING = re.compile(
    r"0{3}|o{3}|^gracias\b(?!,)|gracias a tod|buen(?:os)? d[ií]as?\b|hasta luego", re.IGNORECASE
)
CALLS_FOR_QUESTIONS = re.compile(r"pregunta|adelante|\ba ver\b|\bacá\b|\baquí\b", re.IGNORECASE)
BODY_SELECTORS = ("div.article-body",)


@dataclass(frozen=True, slots=True)
class Transcript:
    """One transcript page as text (module docstring for the layout of ``text``)."""

    url: str
    title: str
    date: dt.date
    text: str

    @property
    def likely_partial(self) -> bool:
        return likely_partial(self.text)


@dataclass(frozen=True, slots=True)
class Turn:
    """A speaker's turn: the name in capitals (None before the first one) and paragraphs."""

    speaker: str | None
    lines: tuple[str, ...]


def read_index(data: bytes, *, url: str, must_contain: str) -> list[str]:
    """The transcript URLs of an index (one URL a line, newest first), without repeats.

    An index with no http(s) line at all is not the index: a format change.
    """
    lines = [line.strip() for line in data.decode("utf-8", errors="replace").splitlines()]
    links = [line for line in lines if line.startswith(("https://", "http://"))]
    if not links:
        first_line = next((line for line in lines if line), "")
        raise _changed(url, f"the index holds no URL (its first line is {first_line[:60]!r})")
    seen: set[str] = set()
    kept = []
    for link in links:
        if must_contain in link and link not in seen:
            seen.add(link)
            kept.append(link)
    return kept


def read_transcript(data: bytes, *, url: str) -> Transcript:
    """Title, date and text of a transcript page; SchemaChangedError names a missing part."""
    page = pages.parse_page(data)
    title = pages.squash(pages.text_of(page.query("h1"))) or pages.meta(page, "og:title")
    if not title:
        raise _changed(url, "the page has no title (h1)")
    author, date_text = _byline(page, url)
    body = _body(page)
    if body is None:
        raise _changed(url, "the page has no text (div.article-body or div.pull-left with p)")
    turns = read_turns(pages.text_of(p) for p in body.query_all("p"))
    if not turns:
        raise _changed(url, "the page's text holds no paragraphs")
    text = transcript_text(title, author, date_text, turns)
    return Transcript(url, title, parse_spanish_date(date_text, url=url), text)


def _byline(page: pages.Page, url: str) -> tuple[str, str]:
    """(author, date as written) from the ``dl`` of the old layout or an ``A | B`` section."""
    terms = [pages.squash(pages.text_of(term)) for term in page.query_all("dl dt")]
    details = [pages.squash(pages.text_of(dd)) for dd in page.query_all("dl dd")]
    pairs = dict(zip(terms, details, strict=False))
    date_text = next((v for k, v in pairs.items() if k.lower().startswith("fecha")), None)
    if date_text and DATE_TEXT.search(date_text):
        return pairs.get("Autor", ""), date_text
    for section in page.query_all("section"):
        author, bar, when = pages.squash(pages.text_of(section)).partition("|")
        if bar and DATE_TEXT.fullmatch(when.strip()):
            return author.strip(), when.strip()
    raise _changed(url, "the page has no publication date ('Fecha de publicación' or 'A | date')")


def _body(page: pages.Page) -> pages.Page | None:
    found = pages.first(page, *BODY_SELECTORS)
    if found is not None:
        return found
    columns = [(len(list(div.query_all("p"))), div) for div in page.query_all("div.pull-left")]
    columns = [(n, div) for n, div in columns if n]
    return max(columns, key=lambda pair: pair[0])[1] if columns else None


def read_turns(paragraphs: Iterable[str]) -> list[Turn]:
    """Paragraphs grouped into turns. 'NAME IN CAPITALS: words' starts a turn; so does a
    paragraph all in capitals, such as '(INICIA VIDEO)', but a turn without words is left
    out, as the upstream extractor does."""
    turns: list[Turn] = []
    speaker: str | None = None
    lines: list[str] = []
    for raw in paragraphs:
        name, line = split_speaker(raw)
        if name is not None:
            if lines:
                turns.append(Turn(speaker, tuple(lines)))
            speaker, lines = name, []
        if line:
            lines.append(line)
    if lines:
        turns.append(Turn(speaker, tuple(lines)))
    return turns


def split_speaker(paragraph: str) -> tuple[str | None, str]:
    """('SPEAKER', words) when the words before the first colon (or all of them) are in
    capitals, else (None, paragraph); a rule of dashes is no words."""
    head, _, rest = paragraph.partition(":")
    name = None
    if head.isupper():
        name, paragraph = pages.squash(head), rest
    line = pages.squash(paragraph)
    return name, "" if set(line) <= {"-"} else line


def transcript_text(title: str, author: str, date_text: str, turns: list[Turn]) -> str:
    """The corpus's text layout: title, author, date, then each turn after a blank line."""
    parts = [title, author, date_text]
    for turn in turns:
        parts.append("")
        if turn.speaker:
            parts.append(turn.speaker)
        parts.extend(turn.lines)
    return "\n".join(parts)


def parse_spanish_date(text: str, *, url: str) -> dt.date:
    """'02 de octubre de 2024' → 2024-10-02."""
    match = DATE_TEXT.search(text)
    month = MONTHS.get(match.group(2).lower()) if match else None
    if match is None or month is None:
        raise _changed(url, f"the date {text[:40]!r} is not 'DD de <mes> de AAAA'")
    try:
        return dt.date(int(match.group(3)), month, int(match.group(1)))
    except ValueError:
        raise _changed(url, f"the date {text[:40]!r} is not a real date") from None


def question_turns(text: str) -> int:
    """Turns of a questioner: speaker lines in capitals starting PREGUNTA or INTERLOCUTOR."""
    return sum(
        1
        for line in text.splitlines()
        if (name := line.strip()).startswith(QUESTION_SPEAKERS) and name.isupper()
    )


def likely_partial(text: str) -> bool:
    """True when the transcript seems to lack its questions and answers (module docstring)."""
    last = [line.strip() for line in text.rstrip().splitlines() if line.strip()][-2:]
    if not last:
        return True
    closed = any(CLOSING.search(line) for line in last)
    calls = CALLS_FOR_QUESTIONS.search(last[-1]) is not None
    return not closed or (calls and question_turns(text) < MIN_QUESTION_TURNS)


def concerns(text: str, settings: Settings) -> bool:
    """True when the transcript mentions the other country at least
    ``DYADWATCH_MANANERAS_MIN_MENTIONS`` times (5: the bundled corpus's rule)."""
    other = other_country(settings, SOURCE)
    mentions = count_mentions(
        text,
        settings.country_terms.get(other, ()),
        excluded=settings.country_terms_excluded.get(other, ()),
    )
    return mentions >= settings.mananeras_min_mentions


def _changed(url: str, problem: str) -> SchemaChangedError:
    return SchemaChangedError(
        SOURCE,
        f"{url}: {problem}",
        "gob.mx or the transcript index changed its format: update "
        "dyadwatch.sources.mananeras (or check DYADWATCH_MANANERAS_INDEX_URL)",
    )
