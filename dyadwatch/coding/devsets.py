"""Loaders for the labelled dev sets the coder is measured on (``shared/data/devsets``).

The files are read where they lie (pass ``root``); no sentence is copied into the package.
Every set becomes a tuple of :class:`LabelledSentence`, each with zero or more
:class:`GoldEvent`. Sets and their gold:

``petr2_gsr`` (``PETR2_GSR_validation.xml``, 78 records, 77 with text)
    PETRARCH-2's validation records: 18 AFP news sentences and 60 short test sentences
    (TEST, GOLD, VERB, PASSIVE, OTHER). ``<EventCoding eventcode sourcecode targetcode>``.
``gigaword`` (``GigaWord.sample.PETR.xml``, 76 records, 67 with text)
    The same AFP sample *without* codings. ``PETR2_GSR_validation.xml`` says its codings
    were made from PETRARCH-2's output on this file, so a gigaword sentence takes the GSR
    gold of the GSR sentence with the same text (case, spaces and punctuation ignored). The
    14 sentences whose text GSR edited have no gold: ``labelled`` is False.
``petr_unit`` (``PETR.UnitTest.records.xml``, 284): PETRARCH's unit tests, mostly
    stylised ("Arnor is about to restore full diplomatic ties with Gondor").
``plovigy`` (``plovigy_testfile_0105.jsonl``, 289 after the 5 ``section divider`` rows)
    Reuters sentences (upper case, PTB tokens) with a PLOVER ``label``; ``meta.coding``
    is ``[source, target, CAMEO]``. The label is the gold type ("COOPERATION" is read as
    COOPERATE); it agrees with the CAMEO code's PLOVER type on every row.
``plovigy_dedi`` (``plovigy-DEDI-input-sample.jsonl``, 30)
    A stream of pretty-printed JSON event records (Parus Analytics protest coding, 2022):
    ``text`` is the sentence, ``event`` its CAMEO code (mostly 141). The records carry no
    actor codes, so source and target are unknown (``ccode`` is where the event happened,
    not who acted).
``es_validation`` (86) and ``es_fight`` (312): UniversalPetrarch's Spanish records;
    ``eventcode`` reads ``"140_Engage_in_political_dissent"`` (the leading digits are the
    code; ``plover`` is always empty). ``es_fight`` texts begin with ``YYYYMMDD<TAB>id |``, which
    is dropped and gives the sentence's date.

Conventions (the same in every XML set):

* a CAMEO code is mapped to PLOVER with :func:`dyadwatch.ontology.lookup_cameo`; codes whose
  PLOVER type is None (01x statements, 02x appeals) stay as gold events with
  ``plover_type=None``: they report no PLOVER event;
* a sentence reports *no PLOVER event* when it has ``noevents="True"``, no ``EventCoding``
  at all, a PETRARCH discard (``error="storydiscard"`` / ``"sentencediscard"``), or only
  codes without a PLOVER type;
* a sentence is *unlabelled* (``labelled=False``, left out of every score) when its gold is
  a PETRARCH plumbing error (``error="dateline"``, ``"bad_input_parse"``), or when every
  gold code is unknown to CAMEO (PETRARCH's private test codes 345, 802, 9xx);
* the country of an actor code is its first three letters when they are an ISO 3166
  alpha-3 code (``USAGOV`` → USA, ``---REB``, ``IGOUNO``, ``~CVL`` → None);
* records with empty text are dropped; repeated ids get ``#2``, ``#3`` suffixes.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from dyadwatch.coding.types import TextInput
from dyadwatch.errors import ConfigError, SourceError
from dyadwatch.ontology import PLOVER_TYPES, country_by_iso3, lookup_cameo

DEVSET_FILES: dict[str, str] = {
    "petr2_gsr": "PETR2_GSR_validation.xml",
    "gigaword": "GigaWord.sample.PETR.xml",
    "petr_unit": "PETR.UnitTest.records.xml",
    "plovigy": "plovigy_testfile_0105.jsonl",
    "plovigy_dedi": "plovigy-DEDI-input-sample.jsonl",
    "es_validation": "spanish_validation_1018_noaccent.xml",
    "es_fight": "spanish_fight_reduced_181227v2_validation.xml",
}
DEVSET_NAMES: tuple[str, ...] = tuple(DEVSET_FILES)
ENGLISH_NEWS_SETS: tuple[str, ...] = ("petr2_gsr", "gigaword", "plovigy")
SPANISH_SETS: tuple[str, ...] = ("es_validation", "es_fight")

_LABEL_ALIASES = {"COOPERATION": "COOPERATE", "REQUEST": "DEMAND", "ACCUSE": "DISAPPROVE"}
_NO_EVENT_ERRORS = frozenset({"storydiscard", "sentencediscard"})

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SENTENCE = re.compile(r"<Sentence\b([^>]*)>(.*?)(?=<Sentence\b|</Sentences>|\Z)", re.S)
_CODING = re.compile(r"<EventCoding\b([^>]*)>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_LEADING_CODE = re.compile(r"^\s*(\d+)")
_DATELINE = re.compile(r"^\s*(\d{8})\t[^|\n]*(?:\||\n)")
_REUTERS_DATE = re.compile(r"REUT-(\d{6})")
_NORMALISE = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One expected event. ``plover_type`` is None for CAMEO codes without one (01x, 02x)."""

    plover_type: str | None
    cameo_code: str | None
    source_code: str | None
    target_code: str | None
    source_country: str | None
    target_country: str | None


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    """One dev-set sentence with its gold events (empty: the sentence reports no event)."""

    set_name: str
    id: str
    text: str
    lang: str
    date: dt.date | None
    gold: tuple[GoldEvent, ...]
    labelled: bool = True
    category: str | None = None

    @property
    def gold_types(self) -> tuple[str, ...]:
        """The PLOVER types of the gold events that have one, in file order."""
        return tuple(g.plover_type for g in self.gold if g.plover_type is not None)

    @property
    def primary(self) -> GoldEvent | None:
        """The first gold event with a PLOVER type (the one the top coded event is scored on)."""
        return next((g for g in self.gold if g.plover_type is not None), None)

    @property
    def has_event(self) -> bool:
        return self.labelled and self.primary is not None

    def to_input(self) -> TextInput:
        return TextInput(id=self.id, text=self.text, date=self.date, lang=self.lang)


def resolve_set_names(selection: str | Iterable[str]) -> tuple[str, ...]:
    """``"all"`` → every set; a name or names → themselves, checked (ConfigError if unknown)."""
    names = [selection] if isinstance(selection, str) else list(selection)
    if "all" in names:
        return DEVSET_NAMES
    unknown = [name for name in names if name not in DEVSET_FILES]
    if unknown:
        valid = ", ".join((*DEVSET_NAMES, "all"))
        raise ConfigError(f"unknown dev set {', '.join(unknown)}; use one of: {valid}")
    return tuple(dict.fromkeys(names))


def load_devsets(
    selection: str | Iterable[str], *, root: Path
) -> dict[str, tuple[LabelledSentence, ...]]:
    """Load the selected sets (``"all"``, a name, or names) from the directory ``root``."""
    return {name: load_devset(name, root=root) for name in resolve_set_names(selection)}


def load_devset(name: str, *, root: Path) -> tuple[LabelledSentence, ...]:
    """Load one dev set by name from the directory ``root``."""
    (name,) = resolve_set_names(name)
    path = Path(root) / DEVSET_FILES[name]
    if name == "gigaword":
        gsr = load_devset("petr2_gsr", root=root)
        rows = _gigaword(_read(path), gsr=gsr)
    elif name == "plovigy":
        rows = _plovigy(_read(path))
    elif name == "plovigy_dedi":
        rows = _dedi(_read(path), path=path)
    else:
        lang = "es" if name in SPANISH_SETS else "en"
        rows = _xml_sentences(_read(path), set_name=name, lang=lang)
    return _unique_ids(row for row in rows if row.text)


def normalised_text(text: str) -> str:
    """The text lower-cased with spaces and punctuation removed (to match or dedupe)."""
    return _NORMALISE.sub("", text.lower())


def actor_country(code: str | None) -> str | None:
    """ISO3 of a CAMEO actor code when its first three letters are a country, else None."""
    if not code or len(code) < 3 or not code[:3].isalpha():
        return None
    country = country_by_iso3(code[:3])
    return country.iso3 if country else None


def gold_from_cameo(
    code: str | None, *, source: str | None = None, target: str | None = None
) -> GoldEvent:
    """A gold event from a CAMEO event code ("140_Engage…" → "140") and actor codes."""
    match = _LEADING_CODE.match(code or "")
    cameo = match[1] if match else None
    entry = lookup_cameo(cameo).entry if cameo else None
    return GoldEvent(
        plover_type=entry.plover_type if entry else None,
        cameo_code=cameo,
        source_code=source or None,
        target_code=target or None,
        source_country=actor_country(source),
        target_country=actor_country(target),
    )


# -- files -------------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(
            path, "dev set file not found", "Pass the shared/data/devsets directory as root."
        ) from None


def _unique_ids(rows: Iterable[LabelledSentence]) -> tuple[LabelledSentence, ...]:
    seen: Counter[str] = Counter()
    out = []
    for row in rows:
        seen[row.id] += 1
        out.append(row if seen[row.id] == 1 else replace(row, id=f"{row.id}#{seen[row.id]}"))
    return tuple(out)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime((value or "").strip()[:8], "%Y%m%d").date()
    except ValueError:
        return None


def _clean(text: str) -> str:
    return " ".join(html.unescape(text).split())


# -- PETRARCH-style XML ------------------------------------------------------------------


def _attrs(tag: str) -> dict[str, str]:
    found = {m[1].lower(): m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(tag)}
    return {key: value.strip().strip('"').strip() for key, value in found.items()}


def _xml_sentences(text: str, *, set_name: str, lang: str) -> Iterator[LabelledSentence]:
    body = _COMMENT.sub("", text)
    start = body.find("<Sentences>")
    for match in _SENTENCE.finditer(body, max(start, 0)):
        yield _xml_sentence(_attrs(match[1]), match[2], set_name=set_name, lang=lang)


def _xml_sentence(
    attrs: dict[str, str], block: str, *, set_name: str, lang: str
) -> LabelledSentence:
    found = _TEXT.search(block)
    raw = found[1] if found else ""
    dateline = _DATELINE.match(raw)
    codings = [_attrs(m[1]) for m in _CODING.finditer(block)]
    gold, labelled = _xml_gold(codings)
    return LabelledSentence(
        set_name=set_name,
        id=attrs.get("id", ""),
        text=_clean(raw[dateline.end() :] if dateline else raw),
        lang=lang,
        date=_date(dateline[1] if dateline else attrs.get("date")),
        gold=gold,
        labelled=labelled,
        category=attrs.get("category") or attrs.get("source") or None,
    )


def _xml_gold(codings: list[dict[str, str]]) -> tuple[tuple[GoldEvent, ...], bool]:
    """Gold events of one sentence, and whether the sentence can be scored at all."""
    errors = [c["error"] for c in codings if "error" in c]
    if errors:
        return (), all(error in _NO_EVENT_ERRORS for error in errors)
    gold = tuple(
        gold_from_cameo(c["eventcode"], source=c.get("sourcecode"), target=c.get("targetcode"))
        for c in codings
        if c.get("eventcode") and c.get("noevents", "").lower() != "true"
    )
    known = any(lookup_cameo(g.cameo_code or "").entry is not None for g in gold)
    return gold, known or not gold


# -- the GigaWord sample (gold from the GSR file) ----------------------------------------


def _gigaword(text: str, *, gsr: tuple[LabelledSentence, ...]) -> Iterator[LabelledSentence]:
    gold = {normalised_text(row.text): row for row in gsr}
    for row in _xml_sentences(text, set_name="gigaword", lang="en"):
        match = gold.get(normalised_text(row.text))
        labelled = match is not None and match.labelled
        yield replace(row, gold=match.gold if match else (), labelled=labelled)


# -- plovigy JSON lines ------------------------------------------------------------------


def _plovigy(text: str) -> Iterator[LabelledSentence]:
    for line in text.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        meta = record.get("meta") or {}
        if meta.get("class") == "section divider":
            continue
        yield _plovigy_row(record, meta)


def _plovigy_row(record: dict[str, object], meta: dict[str, str]) -> LabelledSentence:
    source, target, code = _plovigy_coding(meta.get("coding"))
    cameo = gold_from_cameo(code, source=source, target=target)
    label = str(record["label"]).upper()
    label = _LABEL_ALIASES.get(label, label)
    if label not in PLOVER_TYPES:
        raise SourceError(
            DEVSET_FILES["plovigy"], f"unknown label {label!r}", "Add it to _LABEL_ALIASES."
        )
    textid = meta.get("textid", "")
    reuters = _REUTERS_DATE.search(textid)
    return LabelledSentence(
        set_name="plovigy",
        id=textid,
        text=_detokenise(str(record["text"])),
        lang="en",
        date=_date(f"19{reuters[1]}") if reuters else None,
        gold=(replace(cameo, plover_type=label),),
        category=meta.get("pattern"),
    )


def _plovigy_coding(coding: str | None) -> tuple[str | None, str | None, str | None]:
    """``"[u'IRQ', u'USA', u'100']"`` → ("IRQ", "USA", "100")."""
    try:
        source, target, code = ast.literal_eval(coding or "")
    except (ValueError, SyntaxError):
        return None, None, None
    return str(source), str(target), str(code)


def _detokenise(text: str) -> str:
    """Undo the Penn Treebank tokens of the Reuters sentences (``-LRB-``, `` ,``, `` 'S``)."""
    for token, char in (("-LRB-", "("), ("-RRB-", ")"), ("-LCB-", "{"), ("-RCB-", "}")):
        text = text.replace(token, char)
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
    text = re.sub(r" (?=[,.;:?!%](?:\s|$))", "", text)
    return _clean(re.sub(r" (?='S\b|'s\b|N'T\b|n't\b)", "", text))


# -- the DEDI stream of pretty-printed records -------------------------------------------


def _dedi(text: str, *, path: Path) -> Iterator[LabelledSentence]:
    for record in _json_stream(text, path=path):
        yield LabelledSentence(
            set_name="plovigy_dedi",
            id=str(record.get("id", "")),
            text=_clean(str(record.get("text") or "")),
            lang="en",
            date=_date(str(record.get("date", "")).replace("-", "")),
            gold=(gold_from_cameo(str(record.get("event") or "")),),
            category=str(record.get("ccode") or "") or None,
        )


def _json_stream(text: str, *, path: Path) -> Iterator[dict[str, object]]:
    decoder = json.JSONDecoder()
    index = 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return
        try:
            record, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise SourceError(path, f"bad JSON at line {exc.lineno}", "Fix the record.") from exc
        yield record
