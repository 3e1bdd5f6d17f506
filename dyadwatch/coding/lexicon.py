"""Derive the bundled trigger lexicon from the PETRARCH verb dictionaries (a build step).

The derived lexicon is data under ``dyadwatch/data/triggers/`` (``derived_en.tsv.gz``,
``derived_es.tsv.gz``); :mod:`dyadwatch.coding.triggers` only reads those files. This module
regenerates them from the PETRARCH dictionaries (``CAMEO.2.0.txt`` and UniversalPetrarch's
``verbpatterns_es_190128.txt``, see ``data/triggers/PROVENANCE.md``)::

    python -c "from dyadwatch.coding.lexicon import write_derived; write_derived(...)"

What is derived, per verb block of a dictionary:

* ``verb`` rows: each verb with its own CAMEO code, or the block's default code;
* ``pattern`` rows: a verb of the block followed (within a few words) by the first literal
  object of a ``- * OBJECT ... [code]`` pattern; synonym sets (``&MILITARY``) are expanded.

CAMEO codes become PLOVER types with :func:`dyadwatch.ontology.lookup_cameo` (which applies
the 2021→current conversions). Two additions: root 02 (appeals: "urge", "call on",
"instar") becomes DEMAND, since PLOVER's REQUEST (now DEMAND) covers "all requests, demands,
and orders"; root 01 (plain statements) has no PLOVER type and yields no row. Every form
is stored normalized (lower case, accents stripped); English regular inflections and
Spanish conjugations are generated here, so no lemmatizer is needed at run time.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.coding.trigger_lexicon import normalize
from dyadwatch.ontology import lookup_cameo

_BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
_CODE = re.compile(r"\[(\d{2,4}|---)(?::[^\]]*)?\]")
_FORMS = re.compile(r"[{\[]([^}\]]*[A-Za-zÁÉÍÓÚÑáéíóúñ][^}\]]*)[}\]]")


@dataclass(frozen=True, slots=True)
class LexRow:
    """One derived row: a verb of a block, or a pattern (an object) of a block."""

    kind: str
    block: str
    forms: tuple[str, ...]
    obj: str
    code: str
    plover: str
    mode: str


def plover_of(code: str) -> tuple[str, str] | None:
    """Return (PLOVER type, mode) for a CAMEO code, with root 02 read as DEMAND."""
    if code.startswith("02"):
        return "DEMAND", ""
    entry = lookup_cameo(code).entry
    if entry is None or entry.plover_type is None:
        return None
    return entry.plover_type, entry.plover_mode or ""


def english_forms(lemma: str) -> tuple[str, ...]:
    """Regular inflections of an English verb (over-generating is harmless)."""
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    forms = {head, head + "s", head + "es", head + "ed", head + "d", head + "ing"}
    if head.endswith("e"):
        forms |= {head[:-1] + "ing"}
    if head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
        forms |= {head[:-1] + "ies", head[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", head):
        forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}
    return tuple(sorted(f + tail for f in forms))


_ES_ENDINGS = {
    "ar": (
        "ar",
        "o",
        "a",
        "an",
        "amos",
        "o",
        "aron",
        "ado",
        "ada",
        "ados",
        "adas",
        "ando",
        "aba",
        "aban",
        "ara",
        "aran",
        "e",
        "en",
        "ase",
        "arse",
        "andose",
    ),
    "er": (
        "er",
        "o",
        "e",
        "en",
        "emos",
        "io",
        "ieron",
        "ido",
        "ida",
        "idos",
        "idas",
        "iendo",
        "ia",
        "ian",
        "iera",
        "ieran",
        "a",
        "an",
        "erse",
        "iendose",
    ),
    "ir": (
        "ir",
        "o",
        "e",
        "en",
        "imos",
        "io",
        "ieron",
        "ido",
        "ida",
        "idos",
        "idas",
        "iendo",
        "ia",
        "ian",
        "iera",
        "ieran",
        "a",
        "an",
        "irse",
        "iendose",
    ),
}
# Future and conditional forms mark intentions and hypotheticals; they are matched too and
# flagged by the modifier rules in dyadwatch.coding.triggers.
_ES_FUTURE = ("a", "an", "ia", "ian")


# Object pronouns written onto an infinitive or a gerund ("matarlo", "asesinándolos").
_ES_CLITICS = ("lo", "la", "los", "las", "le", "les")


def spanish_forms(lemma: str) -> tuple[str, ...]:
    """Regular conjugations of a Spanish infinitive (accents stripped), with object
    pronouns on the infinitive and the gerund ("matarlo", "asesinandolos"); any other word
    is kept with its plural ("calle" → "calles", "militar" → "militares" too)."""
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    if len(head) < 4 or head[-2:] not in _ES_ENDINGS:
        return tuple(sorted({lemma, spanish_plural(head) + tail}))
    stem, ending = head[:-2], head[-2:]
    forms = {stem + e for e in _ES_ENDINGS[ending]}
    forms |= {head + e for e in _ES_FUTURE}
    gerund = stem + ("ando" if ending == "ar" else "iendo")
    forms |= {base + c for base in (head, gerund) for c in _ES_CLITICS}
    forms.add(spanish_plural(head))  # "militar+" is also the noun ("militares")
    if ending == "ar" and stem.endswith("c"):
        forms |= {stem[:-1] + "que", stem[:-1] + "quen"}
    if ending == "ar" and stem.endswith("g"):
        forms |= {stem + "ue", stem + "uen"}
    return tuple(sorted(f + tail for f in forms))


def spanish_plural(word: str) -> str:
    """The regular plural of a Spanish noun or adjective, accents stripped."""
    if word.endswith(("s", "x")):
        return word
    if word.endswith("z"):
        return word[:-1] + "ces"
    return word + ("s" if word[-1] in "aeiou" else "es")


def _words(token: str) -> str:
    return normalize(token.lstrip("+").replace("_", " ")).strip()


def _verb_forms(line: str, *, lang: str) -> tuple[str, ...]:
    body = _CODE.sub(" ", line.split("#", 1)[0])
    given = _FORMS.search(body)
    lemma = _words(_FORMS.sub(" ", body).split()[0])
    listed = tuple(_words(f) for f in given[1].replace(",", " ").split()) if given else ()
    generated = english_forms(lemma) if lang == "en" else spanish_forms(lemma)
    return tuple(sorted({*generated, *(f for f in listed if f)}))


def _object_phrases(pattern: str, synsets: dict[str, list[str]]) -> list[str]:
    """The first literal element after ``*`` in a pattern, expanded to phrases."""
    after = pattern.split("*", 1)[1] if "*" in pattern else ""
    after = _CODE.split(after)[0] if _CODE.search(after) else after.split("[")[0]
    match = re.search(r"\{([^}]*)\}|\(([^)]*)\)|(&?[A-Za-zÁÉÍÓÚÑáéíóúñ_'-]+)", after)
    if match is None:
        return []
    words = (match[1] or match[2] or match[3]).split()
    if not words:
        return []
    phrases = [""]
    for word in words:
        options = synsets.get(word, [word]) if word.startswith("&") else [word]
        phrases = [f"{p} {_words(o)}".strip() for p in phrases for o in options[:40]]
    return [p for p in phrases if p and not re.search(r"[&$%^]", p)]


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    """Parse ``&NAME`` blocks of ``+MEMBER`` lines (before the verb patterns)."""
    synsets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text.startswith("&"):
            current = synsets.setdefault(text.split()[0], [])
        elif text.startswith("+") and current is not None:
            current.append(text[1:].split()[0])
        elif not text:
            current = None
    return synsets


_STOP = {
    "to",
    "a",
    "of",
    "in",
    "on",
    "for",
    "with",
    "at",
    "by",
    "from",
    "de",
    "en",
    "con",
    "por",
    "para",
    "el",
    "la",
    "los",
    "las",
    "que",
    "se",
    "the",
    "an",
    "un",
    "una",
    "y",
}


def derive(path: Path, *, lang: str) -> Iterator[LexRow]:
    """Yield the derived rows of one PETRARCH verb dictionary; ``obj`` rows share a block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    synsets = read_synsets(lines[:start])
    block, block_code = "", "---"
    for line in lines[start + 1 :]:
        header = _BLOCK.match(line)
        if header:
            block, block_code = _words(header[1]), header[2].split(":")[0]
        elif line.startswith("-"):
            yield from _pattern_rows(block, line, synsets)
        elif line.strip() and not line.lstrip().startswith("#"):
            yield from _verb_rows(block, line, block_code, lang=lang)


def _verb_rows(block: str, line: str, block_code: str, *, lang: str) -> Iterator[LexRow]:
    forms = _verb_forms(line, lang=lang)
    own = _CODE.search(line.split("#", 1)[0])
    code = own[1] if own else block_code
    mapped = plover_of(code) if code != "---" else None
    if forms and forms[0]:
        yield LexRow("verb", block, forms, "", code, *(mapped or ("", "")))


def _pattern_rows(block: str, pattern: str, synsets) -> Iterator[LexRow]:
    code = _CODE.search(pattern.split("#", 1)[0])
    mapped = plover_of(code[1]) if code and code[1] != "---" else None
    if code is None or mapped is None or not pattern[1:].lstrip().startswith("*"):
        return
    for obj in _object_phrases(pattern.split("#", 1)[0], synsets):
        if obj.split()[-1] not in _STOP:
            yield LexRow("pattern", block, (), obj, code[1], *mapped)


def write_derived(*, english: Path, spanish: Path, dest: Path) -> dict[str, int]:
    """Write ``derived_en.tsv.gz`` and ``derived_es.tsv.gz`` into ``dest``; return row counts.

    Columns: kind (verb|pattern), block, forms (``|``-joined, verbs only), object
    (patterns only), cameo, plover, mode. A pattern applies to every verb of its block.
    """
    counts = {}
    for lang, source in (("en", english), ("es", spanish)):
        rows = list(dict.fromkeys(derive(source, lang=lang)))  # keep dictionary order
        header = "kind\tblock\tforms\tobject\tcameo\tplover\tmode\n"
        body = "".join(
            f"{r.kind}\t{r.block}\t{'|'.join(r.forms)}\t{r.obj}\t{r.code}\t{r.plover}\t{r.mode}\n"
            for r in rows
        )
        with gzip.open(dest / f"derived_{lang}.tsv.gz", "wt", encoding="utf-8") as out:
            out.write(header + body)
        counts[lang] = len(rows)
    return counts
