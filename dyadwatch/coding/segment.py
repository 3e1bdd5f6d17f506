"""Documents → sentences with their speaker, the same way for labelling and for coding.

Paragraphs are separated by blank lines and unwrapped (the corpora are hard-wrapped). A
transcript's upper-case speaker line ("PRESIDENTA CLAUDIA SHEINBAUM PARDO"), a Spanish
``NOMBRE APELLIDO:`` prefix, or an English ``MS. PSAKI:`` / ``Q`` prefix sets the speaker of
what follows, so the coder knows a reporter's question from the president's answer.
The labelled corpus (``scripts/draw_label_sample.py``) was drawn with this function, so the
sentences the models were trained on are cut as the sentences they code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dyadwatch.coding.text import clean_text, split_sentences

SPEAKER_ES = re.compile(r"^[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ .,'()\-]{3,80}:?$")
SPEAKER_EN = re.compile(r"^(Q(?=\s)|[A-Z][A-Z .'\-]{2,40}:)\s+")
SPEAKER_INLINE_ES = re.compile(r"^([A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ .,'\-]{3,80}):\s+")
_PARAGRAPHS = re.compile(r"\n\s*\n")
_BULLET = re.compile(r"\n(?=\s*(?:[-*•–]\s|\d{1,2}[.)]\s))")


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence of a document, numbered from 0, with who said it (None if unknown)."""

    index: int
    speaker: str | None
    text: str


def _is_speaker_line(line: str, lang: str) -> bool:
    return lang == "es" and bool(SPEAKER_ES.match(line)) and len(line.split()) <= 12


def paragraphs_with_speaker(
    text: str, lang: str, *, split_bullets: bool = True
) -> Iterator[tuple[str | None, str]]:
    """(speaker, unwrapped paragraph) pairs of a raw document text; a line that starts a
    bullet or a numbered item starts a paragraph of its own unless ``split_bullets`` is off."""
    speaker = None
    paragraphs = _PARAGRAPHS.split(text)
    if split_bullets:
        paragraphs = [piece for p in paragraphs for piece in _BULLET.split(p)]
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        lines = [line for line in lines if not line.startswith("#")]
        head = []
        while lines and _is_speaker_line(lines[0], lang):
            head.append(lines.pop(0))
        if head:
            speaker = " ".join(head).rstrip(":").strip()
        body = " ".join(lines)
        if body:
            match = (SPEAKER_EN if lang == "en" else SPEAKER_INLINE_ES).match(body)
            if match:
                speaker = match.group(1).rstrip(":")
                body = body[match.end() :]
        if body:
            yield speaker, body


def segment(text: str, lang: str, *, split_bullets: bool = True) -> list[Segment]:
    """The sentences of a raw document text, each with its speaker. The labelled corpus was
    drawn with ``split_bullets=False`` (bullets were split after it was drawn)."""
    out: list[Segment] = []
    for speaker, body in paragraphs_with_speaker(text, lang, split_bullets=split_bullets):
        for sentence in split_sentences(clean_text(body)):
            stripped = sentence.text.strip()
            if stripped:
                out.append(Segment(len(out), speaker, stripped))
    return out
