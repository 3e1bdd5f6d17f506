"""Dev-set loaders against the real files in ../shared/data/devsets (read there, never copied)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dyadwatch.coding.devsets import (
    DEVSET_NAMES,
    GoldEvent,
    LabelledSentence,
    actor_country,
    gold_from_cameo,
    load_devset,
    load_devsets,
    resolve_set_names,
)
from dyadwatch.errors import ConfigError, SourceError

from conftest import SHARED_DATA

DEVSETS = SHARED_DATA / "devsets"


@pytest.fixture(scope="module")
def sets() -> dict[str, tuple[LabelledSentence, ...]]:
    return load_devsets("all", root=DEVSETS)


def _by_id(rows: tuple[LabelledSentence, ...], sentence_id: str) -> LabelledSentence:
    return next(row for row in rows if row.id == sentence_id)


# (loaded with text, labelled, with a PLOVER event, labelled without one)
COUNTS = {
    "petr2_gsr": (77, 77, 58, 19),  # 78 records, abc12_3 has no text
    "gigaword": (67, 53, 39, 14),  # 76 records, TEST_1..TEST_9 empty; 14 texts GSR edited
    "petr_unit": (284, 227, 190, 37),  # 57 with PETRARCH's private codes or plumbing errors
    "plovigy": (289, 289, 289, 0),  # 294 lines, 5 section dividers
    "plovigy_dedi": (30, 30, 30, 0),
    "es_validation": (86, 86, 85, 1),  # the one without: a 010 statement
    "es_fight": (312, 312, 269, 43),  # 42 without any EventCoding, 1 noevents
}


@pytest.mark.parametrize("name", DEVSET_NAMES)
def test_counts_per_set(sets: dict[str, tuple[LabelledSentence, ...]], name: str) -> None:
    rows = sets[name]
    labelled = [row for row in rows if row.labelled]
    events = [row for row in labelled if row.has_event]
    assert (len(rows), len(labelled), len(events), len(labelled) - len(events)) == COUNTS[name]
    assert all(row.set_name == name and row.text for row in rows)
    assert len({row.id for row in rows}) == len(rows)


def test_all_is_every_set(sets: dict[str, tuple[LabelledSentence, ...]]) -> None:
    assert tuple(sets) == DEVSET_NAMES == resolve_set_names("all")
    assert DEVSET_NAMES == (
        "petr2_gsr",
        "gigaword",
        "petr_unit",
        "plovigy",
        "plovigy_dedi",
        "es_validation",
        "es_fight",
    )


def test_petr2_gsr_sentence(sets: dict[str, tuple[LabelledSentence, ...]]) -> None:
    row = _by_id(sets["petr2_gsr"], "AFP0808020625_4")
    assert row.text.startswith("The stopover came as the US leader prepared to attend")
    assert (row.date, row.lang, row.category) == (dt.date(2008, 8, 4), "en", "AFP")
    assert row.gold == (GoldEvent("CONSULT", "042", "USA", "CHN", "USA", "CHN"),)
    quiet = _by_id(sets["petr2_gsr"], "AFP0808020742_2")  # noevents="True"
    assert quiet.labelled and quiet.gold == () and not quiet.has_event


def test_petr2_gsr_two_codings_keep_file_order(
    sets: dict[str, tuple[LabelledSentence, ...]],
) -> None:
    row = _by_id(sets["petr2_gsr"], "github_issue27_2")
    assert [g.cameo_code for g in row.gold] == ["043", "042"]
    assert row.primary == GoldEvent("CONSULT", "043", "GEOOPP", "GEOGOV", "GEO", "GEO")


def test_gigaword_takes_gsr_gold_by_text(sets: dict[str, tuple[LabelledSentence, ...]]) -> None:
    row = _by_id(sets["gigaword"], "AFP0808020675_1")
    assert row.text.startswith("Brazil and the United States are seeking to deepen")
    assert row.gold_types == ("AGREE", "AGREE")
    assert (row.primary.source_country, row.primary.target_country) == ("BRA", "USA")  # type: ignore[union-attr]
    edited = _by_id(sets["gigaword"], "AFP0808020824_1")  # GSR says "a Nigerian student"
    assert not edited.labelled and edited.gold == ()
    repeated = _by_id(sets["gigaword"], "GOLD_9#2")  # GOLD_9 is used twice in the file
    assert repeated.text.startswith("Syrian rebels engaged Filipino peacekeepers")
    assert repeated.primary == GoldEvent("FIGHT", "193", "SYRREB", "PHL", "SYR", "PHL")


def test_petr_unit_sentences(sets: dict[str, tuple[LabelledSentence, ...]]) -> None:
    rows = sets["petr_unit"]
    demo = _by_id(rows, "DEMO-00")
    assert demo.text.startswith("Arnor is about to restore full diplomatic ties with Gondor")
    assert demo.gold == (GoldEvent("COOPERATE", "064", "ARN", "GON", None, None),)
    assert _by_id(rows, "DISCARD-01").labelled and _by_id(rows, "DISCARD-01").gold == ()
    assert not _by_id(rows, "ERROR-01").labelled  # error="dateline": PETRARCH plumbing


def test_plovigy_sentence(sets: dict[str, tuple[LabelledSentence, ...]]) -> None:
    row = sets["plovigy"][0]
    assert row.id == "reupetr19861994.txt:REUT-910407-0017_1"
    assert row.text.startswith("ORANGES FALL UNPICKED FROM TREES")
    assert row.text.endswith("OF THE UNITED NATIONS.")  # " ." joined back
    assert row.date == dt.date(1991, 4, 7)
    assert row.gold == (GoldEvent("DEMAND", "100", "---REF", "PSEGZA", None, "PSE"),)
    labels = {row.primary.plover_type for row in sets["plovigy"]}  # type: ignore[union-attr]
    assert labels == {"DEMAND", "COOPERATE", "AID", "REJECT", "MOBILIZE"}  # COOPERATION read


def test_plovigy_dedi_sentence(sets: dict[str, tuple[LabelledSentence, ...]]) -> None:
    row = sets["plovigy_dedi"][0]
    assert (row.id, row.date) == ("37481339", dt.date(2022, 12, 13))
    assert row.text == "The Taliban moved to the site and sealed off the neighborhood."
    assert row.gold == (GoldEvent("COERCE", "191", None, None, None, None),)


def test_es_validation_sentence(sets: dict[str, tuple[LabelledSentence, ...]]) -> None:
    row = sets["es_validation"][0]
    assert row.id == "AFP_SPA_19940611.0143_6.0"
    assert row.text.startswith(")La Iglesia Católica tomó partido")
    assert (row.lang, row.date) == ("es", dt.date(1994, 6, 11))
    assert row.gold == (
        GoldEvent("PROTEST", "140", "IGOREL", "COLELI", None, "COL"),
        GoldEvent("SUPPORT", "053", "IGOREL", "~PTY", None, None),
    )
    statement = _by_id(sets["es_validation"], "AFP_SPA_19941006.0191_7.0")
    assert statement.labelled and not statement.has_event
    assert statement.gold[0].cameo_code == "010" and statement.gold[0].plover_type is None


def test_es_fight_sentence(sets: dict[str, tuple[LabelledSentence, ...]]) -> None:
    row = sets["es_fight"][0]
    assert row.id == "note_10320_1"
    assert row.text.startswith("Guerrilleros del Frente 13 de las FARC EP amenazaron")
    assert row.date == dt.date(2000, 4, 30)  # from the "20000430<TAB>… |" prefix, dropped
    assert row.gold == (GoldEvent("THREATEN", "130", "COLREB", "---PTY", "COL", None),)
    assert _by_id(sets["es_fight"], "note_10878_1").gold == ()  # no EventCoding at all


@pytest.mark.parametrize(
    ("code", "country"),
    [("USAGOV", "USA"), ("MEX", "MEX"), ("---REB", None), ("IGOUNO", None), ("~CVL", None)],
)
def test_actor_country(code: str, country: str | None) -> None:
    assert actor_country(code) == country


def test_gold_from_cameo_reads_spanish_labels_and_statements() -> None:
    assert gold_from_cameo("14_PROTEST_").plover_type == "PROTEST"
    assert gold_from_cameo("193_Fight_with_small_arms").plover_type == "FIGHT"
    assert gold_from_cameo("013").plover_type is None  # a statement: no PLOVER event
    assert gold_from_cameo("").cameo_code is None


def test_unknown_set_and_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="petr2_gsr"):
        resolve_set_names("gsr")
    with pytest.raises(SourceError, match="not found"):
        load_devset("plovigy", root=tmp_path)
