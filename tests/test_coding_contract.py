"""`dyadwatch code --input IN.jsonl --output OUT.jsonl`: the contract, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "from dyadwatch.cli.app import main; main()"]
TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "INVESTIGATE",
    "DEMAND",
    "DISAPPROVE",
    "REJECT",
    "THREATEN",
    "SANCTION",
    "PROTEST",
    "CRIME",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "FIGHT",
}
FRONTS = {"fentanyl", "migration", "trade", "militarization", "military_action", "cooperation"}
CALL = "President Sheinbaum spoke by phone with President Trump about security."


def _code(tmp_path: Path, payload: bytes) -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    source, dest = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(payload)
    result = subprocess.run(
        [*CLI, "code", "--input", str(source), "--output", str(dest)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    events = [json.loads(line) for line in dest.read_text(encoding="utf-8").splitlines()]
    return result, events


def _line(ident: str, text: str, **extra: str) -> bytes:
    return (json.dumps({"id": ident, "text": text, **extra}) + "\n").encode()


def test_output_lines_follow_the_contract(tmp_path: Path) -> None:
    result, events = _code(tmp_path, _line("a", CALL, date="2025-02-03"))
    assert result.returncode == 0, result.stderr
    assert len(events) == 1
    event = events[0]
    assert set(event) == {
        "doc_id",
        "event_type",
        "mode",
        "quad_class",
        "source",
        "target",
        "fronts",
        "location",
        "date",
        "confidence",
        "factuality",
        "evidence",
    }
    assert event["factuality"] == "asserted"
    assert event["doc_id"] == "a" and event["event_type"] in TYPES
    assert 1 <= event["quad_class"] <= 4 and 0 <= event["confidence"] <= 1
    assert set(event["source"]) == {"text", "code", "country", "sector"}
    assert event["source"]["country"] == "MEX" and event["target"]["country"] == "USA"
    assert set(event["fronts"]) <= FRONTS and event["date"] == "2025-02-03"
    assert event["evidence"] == CALL


def test_bad_lines_are_reported_and_the_rest_still_coded(tmp_path: Path) -> None:
    payload = b"".join(
        [
            _line("empty", ""),
            b'{"id": "broken", "text": "unterminated\n',
            _line("html", f"<p><b>{CALL}</b></p>"),
            b'{"id": "latin", "text": "Sheinbaum rechaz\xf3 la intervenci\xf3n."}\n',
            _line("big", "palabra " * 130_000 + CALL),
            b'["not", "an", "object"]\n',
            _line("after", CALL),
        ]
    )
    result, events = _code(tmp_path, payload)
    assert result.returncode == 0
    assert "in.jsonl:2: not valid JSON" in result.stderr
    assert "in.jsonl:6: expected a JSON object" in result.stderr
    coded = {e["doc_id"] for e in events}
    assert {"html", "after", "big"} <= coded and "empty" not in coded
    html = next(e for e in events if e["doc_id"] == "html")
    assert "<" not in html["evidence"]


def test_text_without_events_yields_no_line(tmp_path: Path) -> None:
    result, events = _code(tmp_path, _line("chatter", "Good morning, everyone. Thank you."))
    assert result.returncode == 0 and events == []


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "code", "--input", str(tmp_path / "nope.jsonl"), "--output", "o.jsonl"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "nope.jsonl" in result.stderr
