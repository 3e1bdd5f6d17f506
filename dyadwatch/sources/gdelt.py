"""GDELT file layouts, version detection and the masterfilelist.

GDELT exports are tab-separated with no header and no quoting:
- 1.0 daily events: 57 columns (historical files) or 58 (daily files, with SOURCEURL);
  the two can be mixed in one file;
- 2.0 15-minute events: 61 columns (ADM2 codes added to each geo block);
- 2.0 mentions: 16 columns (a BigQuery CSV export with a header is also accepted).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import UnrecognizedFormatError

GDELT1 = "gdelt1"
GDELT2 = "gdelt2"
MENTIONS = "gdelt2_mentions"
MENTIONS_CSV = "gdelt2_mentions_csv"

MENTIONS_HEADER = "globaleventid,eventtimedate,mentiontimedate,mentiontype"

_WIDTHS = {57: GDELT1, 58: GDELT1, 61: GDELT2, 16: MENTIONS}


@dataclass(frozen=True, slots=True)
class EventLayout:
    """1-based positions of the fields dyadwatch reads from an events row."""

    version: str
    widths: tuple[int, ...]
    geo_block: int  # columns per geo block: 7 in 1.0, 8 in 2.0 (ADM2 added)
    date_added_format: str

    @property
    def action_geo(self) -> int:
        """Position of ActionGeo_Type; the block follows the two actor geo blocks."""
        return 36 + 2 * self.geo_block

    @property
    def date_added(self) -> int:
        return 36 + 3 * self.geo_block

    @property
    def source_url(self) -> int:
        return self.date_added + 1


GDELT1_LAYOUT = EventLayout(GDELT1, (57, 58), 7, "%Y%m%d")
GDELT2_LAYOUT = EventLayout(GDELT2, (61,), 8, "%Y%m%d%H%M%S")
LAYOUTS = {GDELT1: GDELT1_LAYOUT, GDELT2: GDELT2_LAYOUT}

# Positions shared by both event layouts (1-based, from the GDELT codebooks).
FIELDS = {
    "GLOBALEVENTID": 1,
    "SQLDATE": 2,
    "Actor1Code": 6,
    "Actor1Name": 7,
    "Actor1CountryCode": 8,
    "Actor1Type1Code": 13,
    "Actor2Code": 16,
    "Actor2Name": 17,
    "Actor2CountryCode": 18,
    "Actor2Type1Code": 23,
    "EventCode": 27,
    "QuadClass": 30,
    "GoldsteinScale": 31,
    "NumMentions": 32,
    "NumSources": 33,
    "NumArticles": 34,
    "AvgTone": 35,
}


def detect_version(path: Path, *, sample_lines: int = 200) -> str:
    """Tell a GDELT 1.0 events, 2.0 events or 2.0 mentions file by its column counts."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
        if first.lower().startswith(MENTIONS_HEADER):
            return MENTIONS_CSV
        lines = [first] + [handle.readline() for _ in range(sample_lines - 1)]
    widths = Counter(line.count("\t") + 1 for line in lines if line.strip())
    for width, _ in widths.most_common():
        if width in _WIDTHS:
            return _WIDTHS[width]
    seen = ", ".join(f"{w} columns ×{n}" for w, n in widths.most_common(3))
    raise UnrecognizedFormatError(
        path,
        f"not a GDELT export (rows have {seen or 'no tabs'}; GDELT has 57/58, 61 or 16)",
        "Check that this is a GDELT events or mentions file, tab-separated with no header",
    )


@dataclass(frozen=True, slots=True)
class MasterFile:
    """One line of GDELT's masterfilelist: a downloadable file and its checksum."""

    size: int
    md5: str
    url: str

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def kind(self) -> str:
        """'export', 'mentions' or 'gkg'."""
        parts = self.name.split(".")
        return parts[1] if len(parts) > 2 else ""

    @property
    def timestamp(self) -> dt.datetime | None:
        match = re.match(r"(\d{14})\.", self.name)
        if not match:
            return None
        return dt.datetime.strptime(match.group(1), "%Y%m%d%H%M%S")


def parse_masterfilelist(text: str) -> list[MasterFile]:
    """Parse 'size md5 url' lines; malformed lines are skipped (GDELT has a few)."""
    files = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or len(parts[1]) != 32:
            continue
        files.append(MasterFile(int(parts[0]), parts[1].lower(), parts[2]))
    return files


def select_files(
    files: list[MasterFile], *, since: dt.date, until: dt.date | None, kinds: tuple[str, ...]
) -> list[MasterFile]:
    """The files of the given kinds whose timestamp falls in [since, until], oldest first."""
    chosen = []
    for item in files:
        stamp = item.timestamp
        if stamp is None or item.kind not in kinds or stamp.date() < since:
            continue
        if until is not None and stamp.date() > until:
            continue
        chosen.append(item)
    return sorted(chosen, key=lambda item: item.name)
