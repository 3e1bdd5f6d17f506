"""Sources & methods: every dataset with provenance and licence, the coder's accuracy from
``EVALUATION.md``, and the index definitions in ``docs/``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import dyadwatch

DOC_PAGES = {
    "indices": "The conflict–cooperation index",
    "alerts": "Alerts and monthly verdicts",
    "scenarios": "What-if scenarios",
    "events": "The canonical event",
    "coder": "The event coder",
    "series": "Indicator series",
    "web": "The web dashboard and API",
}


@dataclass(frozen=True, slots=True)
class Table:
    """A Markdown table read back: a heading, column names and rows of cells."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Dataset:
    """One bundled demo file: what it is, where it came from and its licence."""

    file: str
    kind: str
    title: str
    origin: str
    licence: str


@dataclass(frozen=True, slots=True)
class DocLink:
    """A methods document and its headings."""

    name: str
    title: str
    href: str
    headings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MethodsContext:
    """``/methods`` (also ``/sources``) and its JSON twin."""

    datasets: tuple[Dataset, ...]
    reference: tuple[Table, ...]
    web_assets: tuple[Table, ...]
    evaluation: tuple[Table, ...]
    evaluation_note: str | None
    docs: tuple[DocLink, ...]


def repo_root() -> Path:
    """The checkout the package runs from (docs and EVALUATION.md live there)."""
    return Path(dyadwatch.__file__).resolve().parent.parent


def markdown_tables(text: str) -> list[Table]:
    """Every pipe table in ``text``, each under its nearest heading."""
    tables: list[Table] = []
    heading, block = "", []
    for line in [*text.splitlines(), ""]:
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("|"):
            block.append(line)
            continue
        if len(block) >= 2:
            cells = [_cells(b) for b in block if not re.fullmatch(r"[|:\- ]+", b)]
            tables.append(Table(heading, tuple(cells[0]), tuple(tuple(c) for c in cells[1:])))
        block = []
    return tables


def _cells(line: str) -> list[str]:
    parts = line.strip().strip("|").split("|")
    return [p.strip().replace("**", "").replace("`", "") for p in parts]


def build_methods() -> MethodsContext:
    """Read the provenance files, the evaluation and the docs' headings."""
    data = files("dyadwatch") / "data"
    evaluation = repo_root() / "EVALUATION.md"
    eval_tables = (
        markdown_tables(evaluation.read_text(encoding="utf-8")) if evaluation.exists() else []
    )
    static = files("dyadwatch") / "web" / "static" / "PROVENANCE.md"
    return MethodsContext(
        datasets=_datasets(data),
        reference=tuple(markdown_tables((data / "PROVENANCE.md").read_text(encoding="utf-8"))),
        web_assets=tuple(markdown_tables(static.read_text(encoding="utf-8")))
        if static.is_file()
        else (),
        evaluation=tuple(eval_tables),
        evaluation_note=None
        if eval_tables
        else "EVALUATION.md is not beside this installation; run dyadwatch evaluate coder.",
        docs=_docs(),
    )


def _datasets(data: object) -> tuple[Dataset, ...]:
    demo = data / "demo"  # type: ignore[operator]
    manifest = tomllib.loads((demo / "MANIFEST.toml").read_text(encoding="utf-8"))
    provenance = markdown_tables((demo / "PROVENANCE.md").read_text(encoding="utf-8"))
    by_file: dict[str, tuple[str, ...]] = {}
    for table in provenance:
        for row in table.rows:
            by_file[row[0].split(" ")[0]] = row
    out = []
    for item in manifest.get("file", []):
        row = by_file.get(item["name"], ())
        origin = " ".join(c for c in row[1:4] if c) if row else ""
        licence = row[4] if len(row) > 4 else "see PROVENANCE.md"
        out.append(Dataset(item["name"], item["kind"], item["title"], origin, licence))
    return tuple(out)


def _docs() -> tuple[DocLink, ...]:
    folder = repo_root() / "docs"
    out = []
    for name, title in DOC_PAGES.items():
        path = folder / f"{name}.md"
        if not path.exists():
            continue
        heads = re.findall(r"^##+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
        out.append(DocLink(name, title, f"/methods/docs/{name}.md", tuple(heads)))
    return tuple(out)


def doc_text(name: str) -> str | None:
    """The Markdown of one methods document, or None (only the listed names)."""
    if name not in DOC_PAGES:
        return None
    path = repo_root() / "docs" / f"{name}.md"
    return path.read_text(encoding="utf-8") if path.exists() else None
