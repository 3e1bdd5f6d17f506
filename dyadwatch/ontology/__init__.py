"""The ontology layer (L0): PLOVER types, quad classes, CAMEO codes, countries, fronts, and
the country pair's configuration (``pairs.py``, from ``data/pairs/``).

Everything is read from the tables bundled in ``dyadwatch/data/ontology`` (provenance in
its ``PROVENANCE.md``). Nothing is loaded at import: each loader reads its file on first
use and caches the result.
"""

from dyadwatch.ontology.cameo import (
    CameoCode,
    CameoLookup,
    cameo_rows,
    cameo_table,
    lookup_cameo,
)
from dyadwatch.ontology.countries import (
    Country,
    country_by_iso3,
    country_by_name,
    fips_table,
    fips_to_iso3,
)
from dyadwatch.ontology.fronts import FRONT_KEYS, Front, fronts, validate_fronts
from dyadwatch.ontology.pairs import Pair, load_pair
from dyadwatch.ontology.plover import PLOVER_TYPES, QUAD_CLASSES, quad_class_for_plover

__all__ = [
    "CameoCode",
    "CameoLookup",
    "Country",
    "FRONT_KEYS",
    "Front",
    "PLOVER_TYPES",
    "Pair",
    "QUAD_CLASSES",
    "cameo_rows",
    "cameo_table",
    "country_by_iso3",
    "country_by_name",
    "fips_table",
    "fips_to_iso3",
    "fronts",
    "load_pair",
    "lookup_cameo",
    "quad_class_for_plover",
    "validate_fronts",
]
