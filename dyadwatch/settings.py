"""The one typed settings object, built at the edge (CLI, web app, tests) and passed down.

Every field can be set from the environment with the ``DYADWATCH_`` prefix,
for example ``DYADWATCH_DB=/data/dw.duckdb``. Nothing here is built at import time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dyadwatch.errors import ConfigError
from dyadwatch.ontology.pairs import Pair, load_pair

GDELT_MASTERFILELIST_URL = "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt"
PUBLISHERS = {"whitehouse": "USA", "mananera": "MEX"}
WHITEHOUSE_SITEMAP_URL = "https://www.whitehouse.gov/sitemap_index.xml"
MANANERAS_INDEX_URL = "https://raw.githubusercontent.com/fferegrino/mananeras/main/urls.txt"
COUNTRY_TERMS = {  # the words the bundled corpora were selected with (docs/documents.md)
    "MEX": ["Mexico", "Mexican", "Sheinbaum", "Obrador"],
    "USA": ["Estados Unidos", "estadounidense", "Washington", "Trump", "Biden"],
}
COUNTRY_TERMS_EXCLUDED = {"MEX": ["New Mexico", "New Mexican"]}
UCDP_GED_URL = "https://ucdp.uu.se/downloads/ged/ged{yy}1-csv.zip"
UCDP_CANDIDATE_URL = "https://ucdp.uu.se/downloads/candidateged/GEDEvent_v{yy}_0_{month}.csv"
CBP_ENCOUNTERS_URL = "https://www.cbp.gov/document/stats/nationwide-encounters"
CBP_SEIZURES_URL = "https://www.cbp.gov/document/stats/nationwide-drug-seizures"
SESNSP_URL = (
    "https://raw.githubusercontent.com/AISENSITIVITYSOLUTIONS/delitos_sesnsp/HEAD/"
    "web/public/datos/nacional_mensual_homologado.json"
)
FRED_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={series}"


class Settings(BaseSettings):
    """Configuration of one dyadwatch run."""

    model_config = SettingsConfigDict(env_prefix="DYADWATCH_", frozen=True, extra="forbid")

    db: Path = Field(
        default=Path("dyadwatch.duckdb"), description="Path of the DuckDB event store."
    )
    dyad: str = Field(default="USA-MEX", description="The pair of ISO3 countries, as AAA-BBB.")
    pair_file: Path | None = Field(
        default=None,
        description="A TOML file configuring the pair (names, fronts, keywords, map; see "
        "docs/architecture.md, Pair configuration). Default: the bundled file for the dyad, "
        "else the U.S.-Mexico fronts with the countries' names.",
    )
    publishers: dict[str, str] = Field(
        default_factory=lambda: dict(PUBLISHERS),
        description="Whose words each document source carries: document source -> ISO3 "
        "country (the side a text covers in verdicts and alerts).",
    )
    cache_dir: Path = Field(
        default=Path(".dyadwatch-cache"), description="Where downloads are kept and resumed."
    )
    gdelt_masterfilelist_url: str = Field(
        default=GDELT_MASTERFILELIST_URL, description="GDELT 2.0's list of files (size, MD5, URL)."
    )
    http_timeout: float = Field(
        default=60.0, gt=0, description="Seconds before an HTTP request fails."
    )
    http_retries: int = Field(default=4, ge=0, le=20, description="Retries of a failed download.")
    update_max_bytes: int = Field(
        default=600_000_000,
        ge=1024,
        description="dyadwatch update refuses a download larger than this (bytes): the "
        "announced size first, then the bytes as they arrive. UCDP's yearly GED zip is the "
        "largest file (about 30-40 MB; 150+ MB unzipped).",
    )
    update_gdelt_since: dt.date | None = Field(
        default=None,
        description="First day dyadwatch update takes GDELT 2.0 files from when the store "
        "holds none (later updates go on from the last file ingested).",
    )
    update_gdelt_days: int = Field(
        default=2,
        ge=0,
        description="Without update_gdelt_since, a store with no GDELT 2.0 files starts this "
        "many days before today.",
    )
    update_gdelt_max_days: int = Field(
        default=7,
        ge=0,
        description="dyadwatch update catches up on GDELT 2.0 at most this many days back: a "
        "store whose last file is older (the demo's 2019 file) starts there instead; fill a "
        "longer gap with dyadwatch sync gdelt --since.",
    )
    update_gdelt_mentions: bool = Field(
        default=False, description="dyadwatch update also takes the GDELT 2.0 mentions files."
    )
    ucdp_ged_url: str = Field(
        default=UCDP_GED_URL,
        description="UCDP GED's yearly release, with {yy} for the release year (ged251 is "
        "25.1, June 2025, data to 2024-12): the newest of the last three years is probed.",
    )
    ucdp_candidate_url: str = Field(
        default=UCDP_CANDIDATE_URL,
        description="UCDP's monthly candidate events, with {yy} and {month} (v26_0_1 holds "
        "January 2026): every month after the yearly release's data is fetched.",
    )
    cbp_encounters_url: str = Field(
        default=CBP_ENCOUNTERS_URL,
        description="CBP's nationwide encounters page (its newest by-state CSV is taken, see "
        "cbp_encounters_link), or the CSV's own URL.",
    )
    cbp_encounters_link: str = Field(
        default=r"nationwide-encounters-fy\d\d-fy\d\d(-[a-z]{3})?-state\.csv$",
        description="A regular expression matching the by-state CSV's link on the page.",
    )
    cbp_seizures_url: str = Field(
        default=CBP_SEIZURES_URL,
        description="CBP's nationwide drug seizures page (its newest CSV is taken, see "
        "cbp_seizures_link), or the CSV's own URL.",
    )
    cbp_seizures_link: str = Field(
        default=r"nationwide-drugs-fy\d\d-fy\d\d(-[a-z]{3})?\.csv$",
        description="A regular expression matching the drug seizures CSV's link on the page.",
    )
    sesnsp_url: str = Field(
        default=SESNSP_URL,
        description="The SESNSP national monthly series (JSON, harmonised by "
        "AISENSITIVITYSOLUTIONS/delitos_sesnsp).",
    )
    fred_url: str = Field(
        default=FRED_URL, description="A FRED series' CSV download, with {series} for its id."
    )
    fred_series: list[str] = Field(
        default_factory=lambda: ["IMPMX", "EXPMX"],
        description="The FRED series dyadwatch update fetches (each needs a known layout).",
    )
    max_field_bytes: int = Field(
        default=65536, ge=1024, description="A field longer than this quarantines its row."
    )
    update_sources: list[str] | None = Field(
        default=None,
        description="The sources 'dyadwatch update' (and 'serve --update-every') brings up "
        'to date when no --only is given (JSON list, e.g. ["gdelt", "cbp"]); '
        "default: all of them.",
    )
    store_wait_seconds: float = Field(
        default=600.0,
        ge=0,
        description="How long a writer (ingest, sync, update, code, demo) waits for another "
        "writer to finish with the store before it gives up (seconds; 0: fail at once).",
    )
    publish_seconds: float = Field(
        default=20.0,
        ge=0,
        description="During a long write, the readers' copy of the store is refreshed at "
        "most this often (seconds); it is always refreshed when the writer finishes.",
    )
    spark_master: str = Field(
        default="local[2]",
        description="Spark master URL for --backend pyspark (local[N] or spark://host:7077).",
    )
    spark_events: str | None = Field(
        default=None,
        description="A Parquet dataset of events that Spark reads instead of a snapshot of "
        "the store (a path or URL the cluster can reach).",
    )

    whitehouse_sitemap_url: str = Field(
        default=WHITEHOUSE_SITEMAP_URL,
        description="The White House's sitemap index, where `dyadwatch update` finds new "
        "releases (every release is listed there; the RSS feed holds only the latest ten).",
    )
    whitehouse_sitemaps: str = Field(
        default=r"post-sitemap\d*\.xml",
        description="A regular expression the index's child sitemaps must match to be read "
        "(releases are WordPress posts).",
    )
    mananeras_index_url: str = Field(
        default=MANANERAS_INDEX_URL,
        description="A plain-text index of gob.mx transcript URLs, newest first (the "
        "fferegrino/mananeras scraper's urls.txt; gob.mx's own listing needs a browser).",
    )
    mananeras_url_contains: str = Field(
        default="conferencia-de-prensa",
        description="Only index URLs containing this are fetched (the press conferences).",
    )
    country_terms: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in COUNTRY_TERMS.items()},
        description="Words that mention each country (ISO3 -> words; case-sensitive "
        "substrings), counted in the other government's texts to keep those about it.",
    )
    country_terms_excluded: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in COUNTRY_TERMS_EXCLUDED.items()},
        description="Phrases holding a country's word that do not mention the country "
        "(ISO3 -> phrases), such as New Mexico.",
    )
    whitehouse_topic_terms: list[str] = Field(
        default_factory=lambda: ["fentanyl", "cartel"],
        description="Topics that make a White House release relevant on their own "
        "(case-insensitive), however often the other country is named.",
    )
    whitehouse_min_mentions: int = Field(
        default=2, ge=1, description="Mentions of the other country a release needs."
    )
    whitehouse_min_briefing_mentions: int = Field(
        default=3,
        ge=1,
        description="Mentions of the other country a press briefing needs (topics do not "
        "count for briefings).",
    )
    whitehouse_min_topic_mentions: int = Field(
        default=2, ge=1, description="Mentions of one topic that keep a release."
    )
    mananeras_min_mentions: int = Field(
        default=5, ge=1, description="Mentions of the other country a transcript needs."
    )
    documents_since: dt.date = Field(
        default=dt.date(2024, 10, 1),
        description="Document pages listed as older than this are not fetched by `update`.",
    )
    document_pages_per_update: int = Field(
        default=200,
        ge=1,
        description="At most this many pages per document source and update (newest first; "
        "the rest come with the next updates).",
    )

    web_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="The web app checks the store for new ingests at most this often "
        "(seconds); cached pages are rebuilt when it changed.",
    )
    web_warm: bool = Field(
        default=True,
        description="Build the overview, alerts and map caches in the background when the "
        "web app starts.",
    )
    app_db: str | None = Field(
        default=None,
        min_length=1,
        description="The app database (accounts, published briefs, reactions, comments): a "
        "SQLite file path, or a SQLAlchemy URL such as postgresql+psycopg://user@host/db. "
        "Default: dyadwatch-app.sqlite beside the event store.",
    )

    @field_validator("dyad")
    @classmethod
    def _check_dyad(cls, value: str) -> str:
        parts = value.upper().split("-")
        if (
            len(parts) != 2
            or not all(len(p) == 3 and p.isalpha() for p in parts)
            or parts[0] == parts[1]
        ):
            raise ValueError(
                f"dyad must look like USA-MEX (two different ISO3 codes), got {value!r}"
            )
        return "-".join(parts)

    @property
    def dyad_countries(self) -> tuple[str, str]:
        """The two ISO3 codes of the dyad, in configured order."""
        first, second = self.dyad.split("-")
        return first, second

    @property
    def pair(self) -> Pair:
        """The pair's configuration (names, fronts, keywords, map); each file is read once."""
        return load_pair(self.dyad, self.pair_file)


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment plus explicit overrides, with a clear error."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**clean)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ConfigError(
            f"invalid settings: {exc}. Fix the option or DYADWATCH_* variable."
        ) from exc
