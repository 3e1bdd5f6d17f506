"""The demo store: every real file bundled under ``dyadwatch/data/demo``, ingested in order."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from dyadwatch.ingest.acled import ingest_acled
from dyadwatch.ingest.corpus import ingest_corpus
from dyadwatch.ingest.gdelt import ingest_gdelt
from dyadwatch.ingest.icews import ingest_icews
from dyadwatch.ingest.runner import OnRows
from dyadwatch.ingest.series import ingest_series
from dyadwatch.ingest.ucdp import ingest_ucdp
from dyadwatch.records import IngestReport
from dyadwatch.settings import Settings
from dyadwatch.store import Store

INGESTERS: dict[str, Callable[..., IngestReport]] = {
    "gdelt": ingest_gdelt,
    "acled": ingest_acled,
    "icews": ingest_icews,
    "ucdp": ingest_ucdp,
    "series": ingest_series,
    "corpus": ingest_corpus,
}


@dataclass(frozen=True, slots=True)
class DemoFile:
    """One bundled demo file and the ingester it goes through."""

    name: str
    kind: str
    title: str


def demo_files() -> list[DemoFile]:
    """The bundled demo files, in ingest order, from ``data/demo/MANIFEST.toml``."""
    manifest = files("dyadwatch") / "data" / "demo" / "MANIFEST.toml"
    entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["file"]
    return [DemoFile(e["name"], e["kind"], e["title"]) for e in entries]


def build_demo(
    store: Store,
    *,
    settings: Settings,
    on_file: Callable[[DemoFile], None] | None = None,
    on_rows: OnRows | None = None,
) -> list[IngestReport]:
    """Ingest every demo file; files already in the store are skipped (idempotent)."""
    reports = []
    for demo in demo_files():
        if on_file is not None:
            on_file(demo)
        resource = files("dyadwatch") / "data" / "demo" / demo.name
        with as_file(resource) as path:
            reports.append(_ingest_one(store, Path(path), demo.kind, settings, on_rows))
    return reports


def _ingest_one(
    store: Store, path: Path, kind: str, settings: Settings, on_rows: OnRows | None
) -> IngestReport:
    return INGESTERS[kind](store, path, settings=settings, on_rows=on_rows)
