"""SYNTHETIC volume for load and scale tests only: real GDELT rows repeated with fresh ids.

Nothing made here is real data. Files written by :func:`write_synthetic_gdelt` are
named ``*.SYNTHETIC.*`` and every row keeps the content of a real fixture row, with
only its GLOBALEVENTID replaced so that the rows are distinct events.
"""

from __future__ import annotations

from pathlib import Path

SYNTHETIC_ID_BASE = 9_000_000_000


def synthetic_name(stem: str) -> str:
    """The file name used for synthetic GDELT volume, labelled as such."""
    return f"{stem}.SYNTHETIC.export.CSV"


def write_synthetic_gdelt(
    source: Path, dest: Path, *, rows: int, id_base: int = SYNTHETIC_ID_BASE
) -> int:
    """Write ``rows`` rows cycling through ``source``'s rows with fresh ids; returns bytes."""
    template = [line.split(b"\t", 1)[1] for line in source.read_bytes().splitlines() if line]
    written = 0
    with dest.open("wb") as out:
        block: list[bytes] = []
        for i in range(rows):
            block.append(b"%d\t%s\n" % (id_base + i, template[i % len(template)]))
            if len(block) == 100_000:
                written += out.write(b"".join(block))
                block.clear()
        written += out.write(b"".join(block))
    return written
