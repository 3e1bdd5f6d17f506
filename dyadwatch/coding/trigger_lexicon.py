"""The trigger lexicon: normalized tokens, verb and phrase patterns, and matching.

Patterns come from the PETRARCH (English) and UniversalPetrarch (Spanish) verb dictionaries,
converted to PLOVER (``data/triggers/derived_*.tsv.gz``), and from the hand-written
supplement (``data/triggers/supplement.tsv``). :mod:`dyadwatch.coding.triggers` applies the
speech-act rules to what is matched here.
"""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files

GAP = 5

# Frequent words that the derived (not the hand-written) lexicon gets wrong.
DERIVED_STOP = frozenset(
    {
        "want",
        "wants",
        "wanted",
        "thank",
        "thanks",
        "thanked",
        "thanking",
        "import",
        "imports",
        "imported",
        "like",
        "hope",
        "need",
        "needs",
        "see",
        "look",
        "think",
        "know",
        "make",
        "get",
        "go",
        "come",
        "take",
        "give",
        "put",
        "keep",
        "let",
        "mean",
        "seem",
        "tell",
        "ask",
        "asked",
        "work",
        "use",
        "used",
        "find",
        "show",
        "feel",
        "leave",
        "call",
        "lead",
        "leads",
        "led",
        "leading",
        "head",
        "heads",
        "headed",
        "heading",
        "face",
        "faces",
        "faced",
        "facing",
        "state",
        "states",
        "stated",
        "going",
        "gone",
        "goes",
        "went",
        "expect",
        "expects",
        "expected",
        "expecting",
        "issue",
        "issued",
        "issues",
        "took",
        "taken",
        "taking",
        "holding",
        "plan",
        "plans",
        "planned",
        "planning",
        "intend",
        "intends",
        "intended",
        "ready",
        "prepared",
        "gracias",
        "agradezco",
        "agradecemos",
        "quiero",
        "queremos",
        "hay",
        "ser",
        "estar",
        "tener",
        "hacer",
        "dar",
        "ver",
        "saber",
        "decir",
        "ir",
        "poder",
        "estados",
        "unidos",
        "united",
        "nacional",
        "mexico",
        "buenos",
        "dias",
        "buenas",
        "tardes",
        "creo",
        "paro",
        "tomo",
        "pregunto",
        "dijo",
        "hablo",
        "trato",
        "informo",
        "espero",
        "pienso",
        "cambio",
        "cuido",
        "apoyo",
        "respeto",
        "paso",
        "presento",
        "quedo",
        "llevo",
        "senalo",
        "comento",
        "explico",
        "menciono",
        "planteo",
        "indico",
        "anuncio",
        # Spanish nouns and adjectives that look like a preterite or participle
        "barrio",
        "proceso",
        "estado",
        "sitio",
        "patio",
        "largo",
        "pasado",
        "pasaron",
        "para",
        "uso",
        "arma",
        "armado",
        "armados",
        "adjunto",
        "marcado",
        "cargo",
        "caso",
        "centro",
        "grupo",
        "medio",
        "resto",
        "puesto",
        "cuerpo",
        "lado",
        "mercado",
        "juzgado",
        "abogado",
        "diputado",
        "senado",
        "soldado",
        "legado",
        "partido",
        "sentido",
        "contenido",
        "apartado",
        "resultado",
        "encargado",
        "empleado",
        "pago",
        "gasto",
        "registro",
        "retiro",
        "trabajo",
        "acuerdo",
        "control",
        "costo",
        "precio",
        "principio",
        "termino",
        "animo",
        "policia",
        "policias",
        "ejecuto",
        "ejecutaron",
        "ejecutado",
        "ejecutados",
        "realizaron",
        "realizo",
        "llevaron",
        "iniciaron",
        "inicio",
        "continuaron",
        "continuo",
    }
)


# Ambiguous derived verbs that, in press briefings, are mostly not acts between parties
# ("going to", "served", "heard", "means", "executive order", "tax bill", "el último"):
# dropped as verbs and as the verb of a verb+object pattern.
DERIVED_NOISE = frozenset(
    {
        "going to",
        "clear",
        "serve",
        "serves",
        "served",
        "serving",
        "hear",
        "heard",
        "best",
        "approach",
        "relate",
        "relates",
        "related",
        "means",
        "appropriate",
        "reason",
        "better",
        "found",
        "given",
        "back",
        "order",
        "bill",
        "tax",
        "trade",
        "funding",
        "campaign",
        "passed",
        "challenges",
        "directed",
        "engaged",
        "ultimo",
        "ultima",
        "esto",
        "haciendo",
        "deporte",
        "enfrente",
        "force",  # "security forces", "use of force": nearly always the noun in news
        "forces",
    }
)

_TOKEN = re.compile(r"[a-z0-9]+|%")


def _fold(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 and (base.isalnum() or base == "%") else " "


_FOLD = {code: _fold(chr(code)) for code in range(0x300)}


def normalize(text: str) -> str:
    """Lower-case, strip accents, blank punctuation; the result has the same length."""
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Normalized tokens with offsets into ``text``."""
    return [Token(m.start(), m.end(), m[0]) for m in _TOKEN.finditer(normalize(text))]


@dataclass(frozen=True, slots=True)
class Entry:
    """What a matched pattern means."""

    plover: str
    mode: str | None
    source: str  # "hand" | "noun" | "pattern" | "verb"
    governor: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """Alternatives for one pattern position, indexed by their first word."""

    gap: bool  # may skip up to GAP tokens before it
    by_first: dict[str, tuple[tuple[str, ...], ...]]


def make_step(alts: list[tuple[str, ...]], *, gap: bool) -> Step:
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for alt in sorted(set(alts), key=len, reverse=True):
        by_first.setdefault(alt[0], []).append(alt)
    return Step(gap, {key: tuple(value) for key, value in by_first.items()})


@dataclass(frozen=True, slots=True)
class Pattern:
    rest: tuple[Step, ...]  # steps after the first
    entry: Entry


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Patterns indexed by the first token of their first step.

    Derived verb+object patterns are shared by every verb of their dictionary block:
    ``blocks`` maps a one-word verb form to its blocks, ``block_patterns`` a block to its
    patterns (indexing every form × pattern pair would take seconds to build).
    """

    index: dict[str, tuple[tuple[tuple[str, ...], Pattern], ...]]
    blocks: dict[str, tuple[str, ...]]
    block_objects: dict[str, dict[str, tuple[tuple[tuple[str, ...], Entry], ...]]]


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # token index
    end: int  # token index, exclusive
    entry: Entry


# ---------------------------------------------------------------- lexicon loading


@functools.cache
def load_lexicon(lang: str) -> Lexicon:
    """Build the matcher for ``lang`` ("en" or "es") from the bundled lexicon files."""
    index: dict[str, list[tuple[tuple[str, ...], Pattern]]] = {}
    rows = [line.split("\t") for line in _data(f"derived_{lang}.tsv.gz").splitlines()[1:]]
    for first, pattern in (*_supplement(lang), *_derived_verbs(rows, lang=lang)):
        for alt in first:
            index.setdefault(alt[0], []).append((alt, pattern))
    blocks: dict[str, set[str]] = {}
    for kind, block, forms, *_ in rows:
        for form in forms.split("|") if kind == "verb" else ():
            if form in DERIVED_NOISE:
                continue
            blocks.setdefault(form, set()).add(block)
    return Lexicon(
        index={key: tuple(value) for key, value in index.items()},
        blocks={form: tuple(sorted(b)) for form, b in blocks.items() if " " not in form},
        block_objects=_derived_patterns(rows),
    )


def _data(name: str) -> str:
    path = files("dyadwatch") / "data" / "triggers" / name
    if name.endswith(".gz"):
        return gzip.decompress(path.read_bytes()).decode("utf-8")
    return path.read_text(encoding="utf-8")


def _alternatives(spec: str, *, lang: str) -> list[tuple[str, ...]]:
    from dyadwatch.coding.lexicon import english_forms, spanish_forms

    alts: set[str] = set()
    for alt in spec.split("|"):
        if alt.endswith("+"):
            inflect = english_forms if lang == "en" else spanish_forms
            alts.update(inflect(alt[:-1].replace("_", " ")))
        else:
            alts.add(alt.replace("_", " "))
    return [tuple(a.split()) for a in sorted(alts) if a.strip()]


def _steps(spec: str, *, lang: str) -> list[Step]:
    """Split a pattern into steps; ``*`` lets the next step skip up to GAP tokens."""
    steps: list[Step] = []
    gap = False
    for word in spec.split():
        if word == "*":
            gap = True
            continue
        steps.append(make_step(_alternatives(word, lang=lang), gap=gap))
        gap = False
    return steps


def _supplement(lang: str) -> Iterator[tuple[list[tuple[str, ...]], Pattern]]:
    for line in _data("supplement.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        row_lang, spec, plover, mode, role = line.split("\t")
        if row_lang != lang:
            continue
        first, *rest = _steps(spec, lang=lang)
        source = "noun" if role == "noun" else "hand"
        entry = Entry(plover, mode or None, source, governor=role == "governor")
        alts = [alt for group in first.by_first.values() for alt in group]
        yield alts, Pattern(tuple(rest), entry)


def _derived_verbs(
    rows: list[list[str]], *, lang: str
) -> Iterator[tuple[list[tuple[str, ...]], Pattern]]:
    for kind, _block, forms, _obj, _code, plover, mode in rows:
        if kind == "verb" and plover:
            alts = [tuple(f.split()) for f in _usable(forms.split("|"), lang=lang)]
            yield alts, Pattern((), Entry(plover, mode or None, "verb"))


_ES_PRETERITE = ("o", "aron", "io", "ieron")


def _usable(forms: list[str], *, lang: str) -> list[str]:
    """Drop stop words; of a Spanish conjugation keep only the preterite (news tense).

    Generated present and subjunctive forms collide with frequent words ("para" from
    parar, "una" from unir, "este" from estar); the preterite is distinctive enough.
    """
    kept = [f for f in forms if f not in DERIVED_STOP and f not in DERIVED_NOISE and len(f) > 2]
    if lang == "es" and len(forms) > 1:
        kept = [f for f in kept if f.split()[0].endswith(_ES_PRETERITE)]
    return kept


def _derived_patterns(rows: list[list[str]]) -> dict[str, dict[str, tuple]]:
    """Per block: the objects of its patterns, indexed by first word (first pattern wins)."""
    objects: dict[str, dict[str, list]] = {}
    for kind, block, _forms, obj, _code, plover, mode in rows:
        if kind != "pattern":
            continue
        words = tuple(obj.split())
        entry = Entry(plover, mode or None, "pattern")
        table = objects.setdefault(block, {})
        for alt in (words, (*words[:-1], words[-1] + "s")):
            table.setdefault(alt[0], []).append((alt, entry))
    return {b: {w: tuple(v) for w, v in t.items()} for b, t in objects.items()}


# ---------------------------------------------------------------- matching


def find_matches(tokens: list[str], lexicon: Lexicon) -> list[Match]:
    """Every pattern match over the token texts."""
    found: list[Match] = []
    for i, token in enumerate(tokens):
        for first, pattern in lexicon.index.get(token, ()):
            if tuple(tokens[i : i + len(first)]) != first:
                continue
            end = _match_rest(tokens, i + len(first), pattern.rest)
            if end is not None:
                found.append(Match(i, end, pattern.entry))
        for block in lexicon.blocks.get(token, ()):
            match = _block_match(tokens, i, lexicon.block_objects.get(block, {}))
            if match is not None:
                found.append(match)
    return found


def _block_match(tokens: list[str], i: int, objects: dict[str, tuple]) -> Match | None:
    for start in range(i + 1, min(i + 1 + GAP, len(tokens))):
        for words, entry in objects.get(tokens[start], ()):
            if tuple(tokens[start : start + len(words)]) == words:
                return Match(i, start + len(words), entry)
    return None


def _match_rest(tokens: list[str], pos: int, rest: tuple[Step, ...]) -> int | None:
    for step in rest:
        found = _match_step(tokens, pos, step)
        if found is None:
            return None
        pos = found
    return pos


def _match_step(tokens: list[str], pos: int, step: Step) -> int | None:
    stop = min(pos + (GAP if step.gap else 0), len(tokens) - 1)
    for start in range(pos, stop + 1):
        for words in step.by_first.get(tokens[start], ()):
            if tuple(tokens[start : start + len(words)]) == words:
                return start + len(words)
    return None


def _rank(match: Match) -> tuple[int, int, int]:
    source = {"hand": 2, "noun": 2, "pattern": 1, "verb": 0}[match.entry.source]
    return (source, match.end - match.start, -match.start)


def select(matches: list[Match]) -> list[Match]:
    """Keep the best match per region: hand > pattern > verb, then longer, then earlier."""
    kept: list[Match] = []
    for match in sorted(matches, key=_rank, reverse=True):
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
        elif match.entry.source in ("hand", "noun") and not any(
            k.start == match.start for k in kept
        ):
            kept = [k for k in kept if k.entry.source != "verb" or _disjoint(k, match)]
            if all(_disjoint(k, match) for k in kept):
                kept.append(match)
    return sorted(kept, key=lambda m: m.start)


def _disjoint(a: Match, b: Match) -> bool:
    return a.end <= b.start or a.start >= b.end
