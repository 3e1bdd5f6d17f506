"""Bundle the 2024–2026 mañaneras that concern the United States into the demo data.

Reads ``../shared/data/corpora/mananeras_2024_2026.jsonl.gz`` (475 transcripts) and keeps
those with at least 5 mentions of the U.S. by the definition that reproduces the 2019–2024
top-120 file's ranking (``us_mentions_top120def``: "Estados Unidos" + "estadounidense" +
"Washington" + "Trump" + "Biden"). The threshold was fixed before any verdict was computed
on the result. The rule is the library's (:func:`dyadwatch.sources.mananeras.concerns`, with
the default settings), which ``dyadwatch update`` applies to new transcripts too. Output
keeps date, title, source_url, morning, likely_partial and text, in date order, so the
result is byte-stable::

    python scripts/bundle_mananeras_2024_2026.py ../shared
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from dyadwatch.settings import Settings
from dyadwatch.sources.mananeras import concerns

SOURCE = "data/corpora/mananeras_2024_2026.jsonl.gz"
TARGET = Path(__file__).resolve().parents[1] / "dyadwatch/data/demo/mananeras_2024_2026_us_related.jsonl.gz"
FIELDS = ("date", "title", "source_url", "morning", "likely_partial", "text")


def main(shared: Path) -> None:
    settings = Settings()
    with gzip.open(shared / SOURCE, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    kept = sorted(
        (r for r in rows if concerns(r["text"], settings)),
        key=lambda r: (r["date"], r["source_url"]),
    )
    lines = "".join(json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + "\n" for r in kept)
    with TARGET.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(lines.encode("utf-8"))
    print(f"kept {len(kept)} of {len(rows)} transcripts -> {TARGET}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"))
