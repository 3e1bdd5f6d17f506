"""Helpers shared by the context builders: JSON-ready values and safe links."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit


def jsonable(value: Any) -> Any:
    """Dataclasses, dates, tuples and non-finite floats as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) link, else None (never ``javascript:``)."""
    if not isinstance(url, str) or not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def iso(value: object) -> str | None:
    """A date or datetime as an ISO string (dates only for datetimes at midnight)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value is None else str(value)


def coverage_line(coverage: Sequence[Any]) -> str:
    """What each source read on each side in a verdict's month, and the weight it had
    (``analysis.verdicts.Coverage`` rows), as one sentence."""
    if not coverage:
        return "Coverage: no source read anything dated in this month."
    parts = []
    for c in coverage:
        side = f"{c.side} side" if c.side else "both sides"
        used = f"weight {c.weight:.2f}" if c.weight else "not used: too little for the month"
        things = {"sentences": "documents", "events read": "files"}.get(c.unit, "days")
        parts.append(f"{c.stream} ({side}) {c.documents:,} {things}, {c.units:,} {c.unit}, {used}")
    return "Coverage: " + "; ".join(parts) + "."
