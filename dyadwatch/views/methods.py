"""Sources & methods: every dataset with provenance and licence, the scores of the coder
and of the verdicts from the bundled evaluation results (``data/eval/*_scores.json``,
written by ``dyadwatch evaluate coder|verdicts --scores-out``, each with its date and
command), and the index definitions (``data/docs/``, links to ``docs/`` in a checkout,
copied into the wheel). Everything is read as package data: nothing here looks at the
checkout or the working directory, so an installed wheel shows the same page."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from dyadwatch.coding.evaluate_gold_report import MEASURES

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
class Evaluation:
    """One bundled evaluation result: what it measured, when, by which command."""

    title: str
    file: str  # inside the package
    date: str
    command: str
    tables: tuple[Table, ...]


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
    evaluation: tuple[Evaluation, ...]
    evaluation_note: str | None
    docs: tuple[DocLink, ...]


def data_dir() -> Traversable:
    """The package's data folder: the only place this page reads from."""
    return files("dyadwatch") / "data"


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
    data = data_dir()
    evaluation = _evaluations(data / "eval")
    static = files("dyadwatch") / "web" / "static" / "PROVENANCE.md"
    return MethodsContext(
        datasets=_datasets(data),
        reference=tuple(markdown_tables((data / "PROVENANCE.md").read_text(encoding="utf-8"))),
        web_assets=tuple(markdown_tables(static.read_text(encoding="utf-8")))
        if static.is_file()
        else (),
        evaluation=evaluation,
        evaluation_note=None
        if len(evaluation) == len(EVALUATIONS)
        else "Some bundled evaluation results are missing; run make evaluate.",
        docs=_docs(),
    )


def _datasets(data: Traversable) -> tuple[Dataset, ...]:
    demo = data / "demo"
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
    folder = data_dir() / "docs"
    out = []
    for name, title in DOC_PAGES.items():
        path = folder / f"{name}.md"
        if not path.is_file():
            continue
        heads = re.findall(r"^##+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
        out.append(DocLink(name, title, f"/methods/docs/{name}.md", tuple(heads)))
    return tuple(out)


def doc_text(name: str) -> str | None:
    """The Markdown of one methods document, or None (only the listed names)."""
    if name not in DOC_PAGES:
        return None
    path = data_dir() / "docs" / f"{name}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else None


EVALUATIONS = {
    "coder_scores.json": "The event coder on the labelled corpus",
    "verdict_scores.json": "Verdicts against the record of documented shifts",
}


def _evaluations(folder: Traversable) -> tuple[Evaluation, ...]:
    out = []
    for name, title in EVALUATIONS.items():
        path = folder / name
        if not path.is_file():
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        tables = _coder_tables(record) if name.startswith("coder") else _verdict_tables(record)
        command = record.get("command") or "make evaluate"
        out.append(
            Evaluation(title, f"dyadwatch/data/eval/{name}", record["date"], command, tables)
        )
    return tuple(out)


CODER_MEASURES = MEASURES  # the coder evaluation's own names for its measures


def _coder_tables(record: dict[str, Any]) -> tuple[Table, ...]:
    runs = record["runs"]
    columns = ("measure", *(f"{r['coder']}, {r['split']}" for r in runs))
    rows = [(label, *(_num(r["scores"].get(key)) for r in runs)) for key, label in CODER_MEASURES]
    rows.insert(0, ("sentences", *(str(r["scores"]["n"]) for r in runs)))
    agreement = tuple(
        (a["field"], str(a["n"]), _num(a["observed"]), _num(a["kappa"]))
        for a in record.get("agreement", [])
    )
    return (
        Table("Dev and test, side by side", columns, tuple(rows)),
        Table("Annotator agreement", ("field", "n", "observed", "kappa"), agreement),
    )


def _verdict_tables(record: dict[str, Any]) -> tuple[Table, ...]:
    recall, flagged, goals = record["recall"], record["flagged_share"], record["targets"]
    rows = [
        (f"recall, {key} ({'frozen test split' if key == 'test' else key})", *_pair(recall[key]))
        for key in ("dev", "test", "all", "covered")
    ]
    rows.append(
        (f"share of front-months flagged from {flagged['from']}", *_pair(flagged, digits=3))
    )
    targets = (
        _target("recall, all shifts", recall["all"]["verdicts"], goals["recall"], at_least=True),
        _target(
            "share of front-months flagged",
            flagged["verdicts"],
            goals["flagged_share"],
            at_least=False,
        ),
    )
    heading = f"{record['shifts']} shifts, {record['first'][:7]} to {record['last']}"
    return (
        Table(heading, ("measure", "verdicts", "naive rule"), tuple(rows)),
        Table("Targets", ("target", "value", "target", "met"), targets),
    )


def _pair(values: dict[str, float], digits: int = 2) -> tuple[str, str]:
    return _num(values["verdicts"], digits), _num(values["naive"], digits)


def _target(label: str, value: float, goal: float, *, at_least: bool) -> tuple[str, ...]:
    met = value >= goal if at_least else value <= goal
    bound = "at least" if at_least else "at most"
    return (label, _num(value, 3), f"{bound} {goal:.2f}", "yes" if met else "no")


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"
