"""Tests of dyadwatch.ontology against the real bundled tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import dyadwatch.ontology as ontology
from dyadwatch.errors import OntologyError
from dyadwatch.ontology import (
    FRONT_KEYS,
    PLOVER_TYPES,
    QUAD_CLASSES,
    cameo_rows,
    cameo_table,
    country_by_iso3,
    country_by_name,
    fips_table,
    fips_to_iso3,
    fronts,
    lookup_cameo,
    quad_class_for_plover,
    validate_fronts,
)
from dyadwatch.ontology.plover import cameo_to_plover

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_exported() -> None:
    assert ontology.__all__ == sorted(ontology.__all__)
    assert all(hasattr(ontology, name) for name in ontology.__all__)


def test_nineteen_plover_types_in_quad_order() -> None:
    assert len(PLOVER_TYPES) == len(set(PLOVER_TYPES)) == 19
    assert PLOVER_TYPES[0] == "AGREE" and PLOVER_TYPES[-1] == "FIGHT"
    quads = [quad_class_for_plover(plover_type) for plover_type in PLOVER_TYPES]
    assert quads == [1] * 4 + [2] * 4 + [3] * 5 + [4] * 6
    assert QUAD_CLASSES == {
        1: "verbal cooperation",
        2: "material cooperation",
        3: "verbal conflict",
        4: "material conflict",
    }


@pytest.mark.parametrize("bad", ["ACCUSE", "REQUEST", "fight", ""])
def test_unknown_plover_type_raises(bad: str) -> None:
    with pytest.raises(OntologyError, match="AGREE, CONSULT"):
        quad_class_for_plover(bad)


def test_every_mapped_type_is_current() -> None:
    assert {mapping.plover_type for mapping in cameo_to_plover().values()} <= set(PLOVER_TYPES)
    types = {entry.plover_type for entry in cameo_table().values()}
    assert types - {None} <= set(PLOVER_TYPES)


def test_table_size_and_every_code_complete() -> None:
    table = cameo_table()
    assert len(table) == 311
    assert all(entry.name and entry.goldstein is not None for entry in table.values())
    assert all(entry.quad_class in QUAD_CLASSES for entry in table.values())


def test_codes_from_real_gdelt_files_are_known() -> None:
    for code in ("0256", "1013", "129", "106"):
        assert lookup_cameo(code).known, code
    result = lookup_cameo("0256")
    assert result.entry is not None and result.entry.code == "0256"
    assert result.entry.goldstein == -0.3


@pytest.mark.parametrize(("code", "ancestor"), [("0257", "025"), ("1951", "195"), ("176", "17")])
def test_unknown_code_resolves_to_nearest_ancestor(code: str, ancestor: str) -> None:
    result = lookup_cameo(code)
    assert result.code == code and not result.known
    assert result.entry is not None and result.entry.code == ancestor


def test_arrest_is_coerce_with_mode_arrest() -> None:
    entry = cameo_table()["173"]
    assert (entry.plover_type, entry.plover_mode, entry.plover_context) == (
        "COERCE",
        "arrest",
        "legal",
    )


def test_root_19_is_fight_and_root_20_stays_assault() -> None:
    table = cameo_table()
    assert [table[code].plover_type for code in ("19", "190", "195", "196")] == ["FIGHT"] * 4
    assert table["191"].plover_type == "COERCE"
    assert table["200"].plover_type == "ASSAULT"


def test_accuse_and_request_are_converted() -> None:
    table = cameo_table()
    assert table["1121"].plover_type == "DISAPPROVE"
    assert table["1121"].plover_context == "crime; corruption"
    assert table["112"].plover_type == "DISAPPROVE"
    assert table["091"].plover_type == "INVESTIGATE"
    assert table["09"].plover_type == "INVESTIGATE"
    assert table["100"].plover_type == "DEMAND"
    assert table["1013"].plover_mode == "assist"


def test_duplicate_lines_in_the_plover_table() -> None:
    table = cameo_table()
    assert table["08"].plover_type == "CONCEDE"
    assert table["084"].plover_type == "RETREAT"
    assert table["175"].plover_type == "ASSAULT"


def test_statements_have_no_plover_type() -> None:
    entry = cameo_table()["010"]
    assert entry.plover_type is None and entry.plover_mode is None
    assert entry.quad_class == 1
    assert cameo_table()["0256"].quad_class == 1


def test_quad_and_goldstein_of_190() -> None:
    entry = cameo_table()["190"]
    assert entry.quad_class == 4
    assert entry.goldstein == -10.0
    assert entry.plover_mode is None and entry.plover_context == "military"


@pytest.mark.parametrize("code", ["", "X", "99", "  ", "0", "19X", "12345"])
def test_odd_codes_do_not_raise(code: str) -> None:
    result = lookup_cameo(code)
    assert result.code == code
    assert result.known is False


def test_lookup_of_unknown_root_has_no_entry() -> None:
    assert lookup_cameo("99").entry is None
    assert lookup_cameo("").entry is None


def test_cameo_rows_sorted() -> None:
    rows = cameo_rows()
    assert [row.code for row in rows] == sorted(cameo_table())
    assert rows[0].code == "01"


def test_fips_to_iso3() -> None:
    assert fips_to_iso3("MX") == "MEX"
    assert fips_to_iso3("US") == "USA"
    assert fips_to_iso3("RS") == "RUS"
    assert fips_to_iso3("ZZ") is None
    assert fips_table()["MX"] == "MEX"


def test_country_lookups() -> None:
    mexico = country_by_name("Mexico")
    assert mexico is not None and mexico.iso3 == "MEX"
    assert (mexico.iso2, mexico.fips, mexico.name) == ("MX", "MX", "Mexico")
    assert country_by_iso3("USA") == country_by_name("united states")


@pytest.mark.parametrize(
    ("name", "iso3"),
    [("Mexican", "MEX"), ("Russian Federation", "RUS"), ("U.S.", "USA"), ("Puerto Rico", "PRI")],
)
def test_country_synonyms(name: str, iso3: str) -> None:
    country = country_by_name(name)
    assert country is not None and country.iso3 == iso3


def test_unknown_country_is_none() -> None:
    assert country_by_name("Atlantis") is None
    assert country_by_iso3("XXX") is None


def test_fronts_match_keys() -> None:
    assert tuple(front.key for front in fronts()) == FRONT_KEYS
    assert FRONT_KEYS[0] == "fentanyl" and FRONT_KEYS[-1] == "cooperation"
    assert all(front.label and front.covers for front in fronts())


def test_validate_fronts_dedupes_in_order() -> None:
    assert validate_fronts(["cooperation", "trade", "trade"]) == ("trade", "cooperation")
    assert validate_fronts("migration") == ("migration",)
    assert validate_fronts([]) == ()


def test_validate_fronts_names_bad_key_and_valid_ones() -> None:
    with pytest.raises(OntologyError) as excinfo:
        validate_fronts(["trade", "tarifs"])
    message = str(excinfo.value)
    assert "'tarifs'" in message
    assert all(key in message for key in FRONT_KEYS)


def test_nothing_loaded_at_import() -> None:
    code = (
        "import dyadwatch.ontology as o\n"
        "from dyadwatch.ontology import cameo, countries, pairs, plover, sources\n"
        "loaders = [o.cameo_table, pairs.bundled_pair, plover.cameo_to_plover, sources._sources,\n"
        "           countries._by_fips, countries._by_iso3, countries._name_index]\n"
        "print(sum(f.cache_info().currsize for f in loaders))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    )
    assert result.stdout.strip() == "0"
