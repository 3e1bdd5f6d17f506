"""Field parsers for the Python readers; each raises ValueError with a quarantine reason."""

from __future__ import annotations

import datetime as dt


def _shown(text: str) -> str:
    return repr(text[:40])


def parse_int(text: str, name: str = "value") -> int | None:
    """An integer, or None for an empty field; '12.0' is accepted (CSV exports write floats)."""
    text = text.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name} {_shown(text)} is not an integer") from None
    if not number.is_integer():
        raise ValueError(f"{name} {_shown(text)} is not an integer")
    return int(number)


def parse_float(text: str, name: str = "value") -> float | None:
    """A number, or None for an empty field or NA."""
    text = text.strip()
    if not text or text.upper() in {"NA", "NAN", "NULL"}:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{name} {_shown(text)} is not a number") from None


def parse_date(text: str, name: str = "date", fmt: str = "%Y-%m-%d") -> dt.date:
    """A date in ``fmt``; an empty or impossible date raises."""
    try:
        return dt.datetime.strptime(text.strip(), fmt).date()
    except ValueError:
        raise ValueError(f"{name} {_shown(text)} is not a valid date ({fmt})") from None


def parse_timestamp(text: str, name: str = "timestamp") -> dt.datetime | None:
    """A GDELT YYYYMMDDHHMMSS timestamp, or None when empty."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d%H%M%S")
    except ValueError:
        raise ValueError(f"{name} {_shown(text)} is not a valid YYYYMMDDHHMMSS time") from None
