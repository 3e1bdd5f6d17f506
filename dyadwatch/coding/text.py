"""Text preparation for the coder: clean markup, unwrap lines, split sentences, tell en from es.

The corpora are Markdown transcripts with hard-wrapped lines (the White House pages and the
mañaneras), and inputs may carry HTML. Sentences are split with rules that know the
abbreviations of both languages ("U.S.", "Mr.", "Sr.", "EE.UU.", "Gral."), so that "U.S.
troops" stays in one sentence.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MAX_SENTENCE_CHARS = 1200

_TAG = re.compile(r"<[^>]{0,500}>")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|(?<!\w)_,?_|\*|`|^#+\s*|^>\s*)", re.M)
_SPACES = re.compile(r"[ \t\u00a0]+")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)»]*(\s+)(?=[\"'“‘(«¿¡]?[A-ZÁÉÍÓÚÑ0-9])")

ABBREVIATIONS = frozenset(
    """u.s u.s.a u.n u.k e.u ee.uu mr mrs ms dr sr sra srta lic ing gral gen col lt sgt
    st jr sen rep gov pres sec dept no núm art vol p pp etc inc co corp ltd vs cf fig
    jan feb mar apr jun jul aug sep sept oct nov dec ene abr ago dic a.m p.m d.c
    i.e e.g lic mtro mtra dra sres arq""".split()
)

_ES_WORDS = frozenset("el la los las de del que y en por para con una un es no se lo su al".split())
_EN_WORDS = frozenset("the of and to in that is for on with as by was are be it at this".split())


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    text: str


def clean_text(text: str) -> str:
    """Drop HTML and Markdown markup, unescape entities, unwrap hard-wrapped lines."""
    text = html.unescape(_TAG.sub(" ", text))
    text = _MD_LINK.sub(r"\1", _MD_IMAGE.sub(" ", text))
    text = _MD_MARKS.sub("", text)
    paragraphs = (_SPACES.sub(" ", p.replace("\n", " ")).strip() for p in _PARAGRAPHS.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a cleaned text, numbered from 0; overlong runs are cut."""
    out: list[Sentence] = []
    for paragraph in text.split("\n\n"):
        for piece in _split_paragraph(paragraph):
            for chunk in _cut(piece):
                out.append(Sentence(len(out), chunk))
    return out


def _split_paragraph(paragraph: str) -> Iterator[str]:
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.start(1)
        if _ends_with_abbreviation(paragraph[start:end]):
            continue
        yield paragraph[start:end].strip()
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        yield tail


def _ends_with_abbreviation(chunk: str) -> bool:
    word = chunk.rsplit(None, 1)[-1] if chunk.strip() else ""
    word = word.rstrip(".\"'”’)»").lower().lstrip("(\"'“")
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _cut(sentence: str) -> Iterator[str]:
    while len(sentence) > MAX_SENTENCE_CHARS:
        cut = sentence.rfind(" ", 0, MAX_SENTENCE_CHARS)
        cut = cut if cut > 0 else MAX_SENTENCE_CHARS
        yield sentence[:cut]
        sentence = sentence[cut:].strip()
    if sentence:
        yield sentence


def detect_lang(text: str) -> str:
    """'es' or 'en', by counting the commonest function words of each (ties go to 'en')."""
    words = re.findall(r"[a-záéíóúñ]+", text[:4000].lower())
    spanish = sum(w in _ES_WORDS for w in words)
    english = sum(w in _EN_WORDS for w in words)
    return "es" if spanish > english else "en"


def fold(text: str) -> str:
    """Lower-case without accents, same length as the input (for offset-preserving matching)."""
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char
