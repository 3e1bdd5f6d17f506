"""The one typed settings object, built at the edge (CLI, web app, tests) and passed down.

Every field can be set from the environment with the ``DYADWATCH_`` prefix,
for example ``DYADWATCH_DB=/data/dw.duckdb``. Nothing here is built at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from dyadwatch.errors import ConfigError

GDELT_MASTERFILELIST_URL = "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt"
PUBLISHERS = {"whitehouse": "USA", "mananera": "MEX"}


class Settings(BaseSettings):
    """Configuration of one dyadwatch run."""

    model_config = SettingsConfigDict(env_prefix="DYADWATCH_", frozen=True, extra="forbid")

    db: Path = Field(
        default=Path("dyadwatch.duckdb"), description="Path of the DuckDB event store."
    )
    dyad: str = Field(default="USA-MEX", description="The pair of ISO3 countries, as AAA-BBB.")
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
    max_field_bytes: int = Field(
        default=65536, ge=1024, description="A field longer than this quarantines its row."
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


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment plus explicit overrides, with a clear error."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**clean)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ConfigError(
            f"invalid settings: {exc}. Fix the option or DYADWATCH_* variable."
        ) from exc
