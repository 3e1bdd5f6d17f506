"""The team's record of documented shifts in the relationship, used only to evaluate.

``data/eval/documented_shifts.csv``: one row per public act that, by the public record,
made the relationship worse or better on one front, with its date, actor, a sentence and a
source URL (``data/eval/README.md`` says how it was written). Nothing in the detector reads
it: verdicts, alerts and their thresholds never see its months, dates or events
(``tests/test_analysis_verdict_eval.py`` checks that no other module names the file).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from dyadwatch.analysis.fronts import front_keys
from dyadwatch.errors import ConfigError
from dyadwatch.ontology.pairs import DEFAULT_COUNTRIES

RECORD_FILE = "documented_shifts.csv"
TEST_SHARE = 0.5  # the frozen test half of the record; the other half is for development
COLUMNS = ("date", "front", "direction", "actor", "what", "source_url", "basis")
DIRECTIONS = ("worse", "better")


@dataclass(frozen=True, slots=True)
class Shift:
    """One documented shift."""

    date: dt.date
    front: str
    direction: str  # worse or better
    actor: str  # an ISO3 country of the pair, or "both"
    what: str
    source_url: str
    line: int

    @property
    def month(self) -> dt.date:
        return self.date.replace(day=1)

    @property
    def split(self) -> str:
        """``test`` (frozen: never looked at while the detector changes) or ``dev``, fixed
        by a SHA-256 of the shift's date, front and direction."""
        key = f"{self.date}|{self.front}|{self.direction}".encode()
        share = int(hashlib.sha256(key).hexdigest()[:8], 16) / 0xFFFFFFFF
        return "test" if share < TEST_SHARE else "dev"


def load_record(
    path: Path | None = None, *, dyad: tuple[str, str] = DEFAULT_COUNTRIES
) -> list[Shift]:
    """The record (the bundled one by default), checked row by row with clear errors."""
    if path is None:
        text = (files("dyadwatch") / "data" / "eval" / RECORD_FILE).read_text(encoding="utf-8")
        name = RECORD_FILE
    else:
        try:
            text, name = path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ConfigError(f"cannot read the record of shifts {path}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ConfigError(f"{name}: the columns must be {', '.join(COLUMNS)}")
    return [_shift(row, name, line, dyad) for line, row in enumerate(reader, start=2)]


def _shift(row: dict[str, str], name: str, line: int, dyad: tuple[str, str]) -> Shift:
    where = f"{name}, line {line}"
    try:
        date = dt.date.fromisoformat(row["date"])
    except ValueError as exc:
        raise ConfigError(f"{where}: date must be YYYY-MM-DD, got {row['date']!r}") from exc
    if row["front"] not in front_keys():
        raise ConfigError(f"{where}: unknown front {row['front']!r}")
    if row["direction"] not in DIRECTIONS:
        raise ConfigError(f"{where}: direction must be worse or better")
    if row["actor"] not in (*dyad, "both"):
        raise ConfigError(f"{where}: actor must be {dyad[0]}, {dyad[1]} or both")
    if not row["source_url"].startswith("https://") or not row["what"].strip():
        raise ConfigError(f"{where}: every shift needs a sentence and an https source URL")
    return Shift(
        date, row["front"], row["direction"], row["actor"], row["what"], row["source_url"], line
    )
