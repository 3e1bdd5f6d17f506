"""The country pair: names, languages, fronts, keywords and map, from one TOML file.

A pair is chosen by the ``dyad`` setting ("USA-MEX", "USA-CAN"). Its configuration is the
bundled ``dyadwatch/data/pairs/<dyad>.toml`` when there is one (U.S.–Mexico ships), or
the file the ``pair_file`` setting names. A pair with neither falls back to the default
pair's fronts, keywords and mention words, with the names of ``ontology/countries.py``
and no map. :meth:`Settings.pair <dyadwatch.settings.Settings.pair>` loads it; code that
needs a pair-specific fact takes a :class:`Pair` rather than writing a country code.

The file's keys (see ``data/pairs/USA-MEX.toml``): ``countries`` (two ISO3 codes),
``languages``, ``[names.<ISO3>]`` (``name``, ``adjective``, ``in_sentence``),
``[mentions]`` (ISO3 → words), ``[fronts.<key>]`` (``label``, ``covers``,
``keywords.<lang>``) for the six keys of :data:`FRONT_KEYS` in order, and an optional
``[map]``. Every problem is a :class:`ConfigError` naming the file and the key.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from dyadwatch.errors import ConfigError
from dyadwatch.ontology.countries import country_by_iso3
from dyadwatch.ontology.fronts import FRONT_KEYS, Front

DEFAULT_COUNTRIES = ("USA", "MEX")
DEFAULT_DYAD = "-".join(DEFAULT_COUNTRIES)
"""The pair dyadwatch ships configured for; its file gives every other pair's fronts."""


@dataclass(frozen=True, slots=True)
class CountryNames:
    """How pages name one country of the pair."""

    iso3: str
    name: str  # "Mexico"
    adjective: str  # "Mexican", "U.S."
    in_sentence: str  # "the United States"


@dataclass(frozen=True, slots=True)
class PairMap:
    """What ``/map`` draws: every state of one country, the border states of the other."""

    states_country: str
    border_country: str
    border_states: tuple[tuple[str, str], ...]  # (ISO 3166-2 code, name)
    states_geojson: str  # a URL under /static
    border_geojson: str
    boundaries: str  # where the boundaries come from, printed under the map


@dataclass(frozen=True, slots=True)
class Pair:
    """One configured country pair (frozen; build it with :func:`load_pair`)."""

    dyad: str
    countries: tuple[str, str]
    names: tuple[CountryNames, CountryNames]
    languages: tuple[str, ...]
    mentions: tuple[tuple[str, ...], tuple[str, ...]]  # words naming each country
    fronts: tuple[Front, ...]
    map: PairMap | None
    origin: str  # the file it came from, or "fallback"

    @property
    def title(self) -> str:
        """The pair's names joined by an en dash ("United States–Mexico")."""
        return "–".join(n.name for n in self.names)

    def names_of(self, iso3: str) -> CountryNames:
        """The names of one of the pair's countries (ConfigError for another)."""
        for names in self.names:
            if names.iso3 == iso3:
                return names
        raise ConfigError(f"{iso3!r} is not a country of the pair {self.dyad}")


def load_pair(dyad: str, pair_file: Path | None = None) -> Pair:
    """The pair ``dyad`` ("AAA-BBB"): from ``pair_file``, else its bundled file, else the
    fallback. A ``pair_file`` must configure the same two countries as ``dyad``; it is
    read once per run (cached by its resolved path)."""
    if pair_file is not None:
        return _user_pair(dyad, Path(pair_file).resolve())
    if dyad in bundled_dyads():
        return bundled_pair(dyad)
    return _fallback(dyad)


def bundled_dyads() -> tuple[str, ...]:
    """The dyads with a bundled file in ``dyadwatch/data/pairs``."""
    folder = files("dyadwatch") / "data" / "pairs"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@functools.cache
def bundled_pair(dyad: str) -> Pair:
    """The bundled pair file for ``dyad`` (cached: it never changes)."""
    path = files("dyadwatch") / "data" / "pairs" / f"{dyad}.toml"
    data = _toml(path.read_text(encoding="utf-8"), f"pairs/{dyad}.toml")
    return parse_pair(data, dyad, path.name)


def parse_pair(data: Mapping[str, Any], dyad: str, origin: str) -> Pair:
    """A :class:`Pair` from a pair file's parsed TOML; ConfigError naming the bad key."""
    countries = _countries(data, origin)
    if "-".join(countries) != dyad:
        raise ConfigError(
            f"{origin}: countries = {list(countries)} but the dyad is {dyad}; make them "
            f"agree (set DYADWATCH_DYAD={'-'.join(countries)} or fix 'countries')"
        )
    names = _table(data, "names", origin)
    mentions = _table(data, "mentions", origin)
    return Pair(
        dyad=dyad,
        countries=countries,
        names=(_names(names, countries[0], origin), _names(names, countries[1], origin)),
        languages=tuple(_strings(data, "languages", origin)),
        mentions=(
            tuple(_strings(mentions, countries[0], f"{origin} [mentions]")),
            tuple(_strings(mentions, countries[1], f"{origin} [mentions]")),
        ),
        fronts=_fronts(_table(data, "fronts", origin), origin),
        map=_map(data.get("map"), origin),
        origin=origin,
    )


@functools.cache
def _user_pair(dyad: str, path: Path) -> Pair:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"pair file {path} cannot be read ({exc.strerror}); fix DYADWATCH_PAIR_FILE or "
            "unset it to use the bundled pair"
        ) from exc
    return parse_pair(_toml(text, str(path)), dyad, str(path))


@functools.cache
def _fallback(dyad: str) -> Pair:
    default = bundled_pair(DEFAULT_DYAD)
    first, second = dyad.split("-")
    known = dict(zip(default.countries, default.mentions, strict=True))
    mentions = (
        known.get(first) or _name_words(first),
        known.get(second) or _name_words(second),
    )
    return Pair(
        dyad=dyad,
        countries=(first, second),
        names=(_country_names(first), _country_names(second)),
        languages=default.languages,
        mentions=mentions,
        fronts=default.fronts,
        map=None,
        origin="fallback",
    )


def _country_names(iso3: str) -> CountryNames:
    country = country_by_iso3(iso3)
    if country is None:
        raise ConfigError(
            f"dyad country {iso3!r} is not a known ISO3 code; use one from "
            "dyadwatch/data/ontology/fips_countries.json"
        )
    return CountryNames(iso3, country.name, country.name, country.name)


def _name_words(iso3: str) -> tuple[str, ...]:
    return (" ".join(_country_names(iso3).name.casefold().split()),)


# -- reading a pair file ----------------------------------------------------------------


def _toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin} is not valid TOML ({exc}); fix the file") from exc


def _table(data: Mapping[str, Any], key: str, origin: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ConfigError(f"{origin}: needs a [{key}] table (see data/pairs/USA-MEX.toml)")
    return value


def _strings(data: Mapping[str, Any], key: str, origin: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{origin}: {key!r} must be a non-empty list of strings")
    return value


def _text(data: Mapping[str, Any], key: str, origin: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{origin}: {key!r} must be a non-empty string")
    return value


def _countries(data: Mapping[str, Any], origin: str) -> tuple[str, str]:
    codes = _strings(data, "countries", origin)
    if len(codes) != 2 or len(set(codes)) != 2:
        raise ConfigError(f"{origin}: 'countries' must be two different ISO3 codes")
    for code in codes:
        _country_names(code)
    return codes[0], codes[1]


def _names(names: Mapping[str, Any], iso3: str, origin: str) -> CountryNames:
    where = f"{origin} [names.{iso3}]"
    table = names.get(iso3)
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: needs a [names.{iso3}] table with name and adjective")
    name = _text(table, "name", where)
    adjective = _text(table, "adjective", where)
    return CountryNames(iso3, name, adjective, table.get("in_sentence") or name)


def _fronts(table: Mapping[str, Any], origin: str) -> tuple[Front, ...]:
    if tuple(table) != FRONT_KEYS:
        raise ConfigError(
            f"{origin}: [fronts] defines {list(table)}; it must define {list(FRONT_KEYS)} "
            "in that order"
        )
    return tuple(_front(key, table[key], f"{origin} [fronts.{key}]") for key in FRONT_KEYS)


def _front(key: str, table: object, where: str) -> Front:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table with label, covers and keywords")
    keywords = table.get("keywords")
    if not isinstance(keywords, dict) or not keywords:
        raise ConfigError(f"{where}: needs keywords.<language> lists, e.g. keywords.en")
    return Front(
        key=key,
        label=_text(table, "label", where),
        covers=_text(table, "covers", where),
        keywords=tuple(
            (lang, tuple(_strings(keywords, lang, f"{where} keywords"))) for lang in keywords
        ),
    )


def _map(table: object, origin: str) -> PairMap | None:
    if table is None:
        return None
    if not isinstance(table, dict) or not isinstance(table.get("border_states"), dict):
        raise ConfigError(f"{origin}: [map] needs states_country, border_country, border_states")
    states = table["border_states"]
    if not all(isinstance(v, str) for v in states.values()):
        raise ConfigError(f"{origin}: [map] border_states must map ISO 3166-2 codes to names")
    where = f"{origin} [map]"
    return PairMap(
        states_country=_text(table, "states_country", where),
        border_country=_text(table, "border_country", where),
        border_states=tuple(states.items()),
        states_geojson=_text(table, "states_geojson", where),
        border_geojson=_text(table, "border_geojson", where),
        boundaries=_text(table, "boundaries", where),
    )
