"""The methods page reads only package data: no checkout, no ``../shared``, no cwd.

Issue 14, deliverable 4: an installed wheel must show the same page. These tests build the
methods context from a working directory holding nothing, with any file access outside the
package refused, and grep the package's source for paths that assume a checkout."""

from __future__ import annotations

import builtins
import io
import json
import re
from pathlib import Path

import pytest

import dyadwatch
from dyadwatch.views import methods

PACKAGE = Path(dyadwatch.__file__).resolve().parent
CHECKOUT = PACKAGE.parent


def _inside_package(path: object) -> bool:
    # the bundled docs are symlinks into docs/ in a checkout and plain files in a wheel:
    # the path opened is the package's, wherever the link points
    return Path(str(path)).absolute().is_relative_to(PACKAGE)


@pytest.fixture
def sealed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Run from an empty folder; refuse (and record) any open outside the package."""
    monkeypatch.chdir(tmp_path)
    refused: list[str] = []
    real_open, real_io_open = builtins.open, io.open

    def guard(real):  # type: ignore[no-untyped-def]
        def opener(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            if isinstance(file, str | Path) and not _inside_package(file):
                refused.append(str(file))
                raise PermissionError(f"methods read outside the package: {file}")
            return real(file, *args, **kwargs)

        return opener

    monkeypatch.setattr(builtins, "open", guard(real_open))
    monkeypatch.setattr(io, "open", guard(real_io_open))
    return refused


def test_methods_context_is_built_from_package_data_alone(sealed: list[str]) -> None:
    page = methods.build_methods()
    assert sealed == []
    assert page.evaluation_note is None
    titles = [e.title for e in page.evaluation]
    assert titles == list(methods.EVALUATIONS.values())
    for evaluation in page.evaluation:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", evaluation.date)
        assert evaluation.command and evaluation.tables[0].rows
    assert {d.name for d in page.docs} == set(methods.DOC_PAGES)
    assert (methods.doc_text("indices") or "").startswith("# ")
    assert sealed == []


def test_methods_scores_are_the_bundled_numbers() -> None:
    """The page's table repeats the JSON the evaluate commands wrote, to the digit."""
    folder = PACKAGE / "data" / "eval"
    verdicts = json.loads((folder / "verdict_scores.json").read_text(encoding="utf-8"))
    coder = json.loads((folder / "coder_scores.json").read_text(encoding="utf-8"))
    page = {e.file.rsplit("/", 1)[1]: e for e in methods.build_methods().evaluation}
    table = page["verdict_scores.json"].tables[0]
    test_row = next(r for r in table.rows if r[0].startswith("recall, test"))
    assert test_row[1:] == (
        f"{verdicts['recall']['test']['verdicts']:.2f}",
        f"{verdicts['recall']['test']['naive']:.2f}",
    )
    assert page["verdict_scores.json"].date == verdicts["date"]
    side_by_side = page["coder_scores.json"].tables[0]
    precision = next(r for r in side_by_side.rows if r[0] == "event precision")
    assert precision[1] == f"{coder['runs'][0]['scores']['event_precision']:.3f}"
    assert page["coder_scores.json"].date == coder["date"]


def test_bundled_docs_are_the_checkout_docs() -> None:
    """data/docs/ links to docs/ (a wheel copies the files): the page shows the real docs."""
    for name in methods.DOC_PAGES:
        bundled = PACKAGE / "data" / "docs" / f"{name}.md"
        assert bundled.read_bytes() == (CHECKOUT / "docs" / f"{name}.md").read_bytes()


CHECKOUT_PATTERNS = (
    r"(?<!`)\.\./shared",  # the shared folder beside a checkout (`quoted` in prose is text)
    r"parents\[[2-9]\]",  # climbing out of the package (a module is at most 2 deep)
    r"__file__\)?\.resolve\(\)\.parent\.parent",
    r"repo_root",
    r"\bdyadwatch\.__file__",
    r"Path\([\"']\.\.",
)


def test_no_source_file_reaches_into_the_checkout() -> None:
    """Every path the package reads at run time is package data or an explicit option."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if any(re.search(p, code) for p in CHECKOUT_PATTERNS) and '"""' not in line:
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_pattern_grep_can_fail() -> None:
    """The grep above catches the lines this issue removed."""
    removed = (
        'CHECKOUT_DEVSETS = Path(__file__).resolve().parents[3] / "shared"',
        'Path("../shared"), "--shared"',
        "return Path(dyadwatch.__file__).resolve().parent.parent",
    )
    for line in removed:
        assert any(re.search(p, line) for p in CHECKOUT_PATTERNS), line
