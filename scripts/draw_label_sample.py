"""Draw the sentences of the labelled corpus (labels/sentences.jsonl) and the annotators' batches.

A documented, seeded random procedure (labels/README.md explains it):

1. Every document of the White House corpus (English), of both mañanera corpora (Spanish)
   and every text of the English dev sets (PLOVIGY, PETRARCH-2 GSR/GigaWord, DEDI; not the
   stylised PETRARCH unit tests) is cleaned and split into sentences with dyadwatch's own
   splitter (``coding.text``), line by line so that transcript speaker lines are kept apart.
2. Sentences shorter than 6 words or longer than 90 words are dropped (headers, tables,
   run-ons); exact repeats within a source are dropped.
3. Each government sentence falls in a stratum: ``pair`` when it names the other country
   or its fronts (a U.S. text naming Mexico, Mexicans, cartels, USMCA; a Mexican text naming
   the United States, its government, Trump, Biden, tariffs, fentanyl...), ``other``
   otherwise. The pair stratum is over-sampled so that at least 1,000 sentences are
   events between the two countries; the dev-set texts are taken whole.
4. The sample is drawn with numpy's default_rng(SEED) without replacement, per stratum.
5. Every sentence's id is ``<source>-<sha1(doc key | sentence)[:12]>``; its split (train,
   dev, test) and whether it is labelled twice are fixed by hashes of that id alone
   (``dyadwatch.coding.labelled.split_of``), never by labels or scores.

Run from the checkout: ``python scripts/draw_label_sample.py --shared ../shared``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from dyadwatch.coding.devsets import load_devset, normalised_text
from dyadwatch.coding.segment import segment

SEED = 20261204
ALLOCATION = {  # (source, stratum) -> sentences drawn
    ("wh", "pair"): 1150,
    ("wh", "other"): 150,
    ("mananera", "pair"): 1400,
    ("mananera", "other"): 200,
}
# A second draw, appended after the first was labelled: the first draw's pair stratum held
# too few events between the two countries (about 1 in 5) to reach 1,000. Its sentences
# name the other country, hold a trigger of the rule lexicon that is not negated, and are
# not a reporter's turn (about 1 in 4 of the first draw's such sentences were dyadic events).
SUPPLEMENT = {("wh", "pair_act"): 800, ("mananera", "pair_act"): 1400}
REPORTERS = ("PREGUNTA", "Q", "INTERLOCUTOR", "INTERLOCUTORA", "REPORTER", "MODERATOR")
DEV_SETS = ("plovigy", "petr2_gsr", "gigaword", "plovigy_dedi")
BATCH_SIZE = 200

MEXICO_TERMS = re.compile(
    r"\b(Mexic\w*|cartel\w*|Sinaloa|CJNG|Jalisco|Sheinbaum|L[oó]pez Obrador|AMLO|Ebrard|"
    r"USMCA|southern border|Tijuana|Ciudad Ju[aá]rez|Matamoros|Remain in Mexico|MPP)\b",
    re.IGNORECASE,
)
US_TERMS = re.compile(
    r"(Estados Unidos(?! Mexicanos)|estadounidense\w*|norteamerican\w*|Washington|Trump|"
    r"Biden|Kamala|\bEE\.? ?UU\b|\bEUA\b|Casa Blanca|T-?MEC|arancel\w*|fentan[iy]l\w*|"
    r"\bDEA\b|\bFBI\b|\bCIA\b|Pent[aá]gono|Departamento de Estado|Salazar|Landau|Rubio|"
    r"Blinken|Mayorkas|Kristi Noem|Texas|Abbott|frontera norte|deportad\w*|deportaci\w*)",
)


def sentence_id(source: str, doc_key: str, text: str) -> str:
    digest = hashlib.sha1(f"{doc_key}|{text}".encode()).hexdigest()[:12]
    return f"{source}-{digest}"


def doc_sentences(doc: dict, *, source: str, lang: str):
    key = doc.get("source_url") or doc.get("path")
    previous = ""
    for seg in segment(doc["text"], lang, split_bullets=False):
        words = len(seg.text.split())
        if 6 <= words <= 90:
            yield {
                "id": sentence_id(source, key, seg.text),
                "source": source,
                "lang": lang,
                "publisher": "USA" if source == "wh" else "MEX",
                "doc_date": doc["date"],
                "doc_title": doc.get("title") or doc["text"].strip().splitlines()[0][:160],
                "doc_url": doc.get("source_url") or doc.get("path"),
                "speaker": seg.speaker,
                "previous": previous,
                "text": seg.text,
            }
        previous = seg.text


def _read_jsonl_gz(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def government_pool(shared: Path) -> dict[tuple[str, str], list[dict]]:
    corpora = shared / "data" / "corpora"
    pools: dict[tuple[str, str], list[dict]] = {key: [] for key in ALLOCATION}
    seen: set[str] = set()
    inputs = [
        ("wh", "en", corpora / "wh_briefings_mexico_related.jsonl.gz", MEXICO_TERMS),
        ("mananera", "es", corpora / "mananeras_top120_us_related.jsonl.gz", US_TERMS),
        ("mananera", "es", corpora / "mananeras_2024_2026.jsonl.gz", US_TERMS),
    ]
    for source, lang, path, terms in inputs:
        for doc in _read_jsonl_gz(path):
            for row in doc_sentences(doc, source=source, lang=lang):
                norm = normalised_text(row["text"])
                if norm in seen:
                    continue
                seen.add(norm)
                stratum = "pair" if terms.search(row["text"]) else "other"
                pools[(source, stratum)].append({**row, "stratum": stratum})
    return pools


def devset_rows(shared: Path, seen: set[str]) -> list[dict]:
    rows = []
    for name in DEV_SETS:
        for s in load_devset(name, root=shared / "data" / "devsets"):
            norm = normalised_text(s.text)
            if norm in seen or len(s.text.split()) < 4:
                continue
            seen.add(norm)
            rows.append(
                {
                    "id": sentence_id("endev", f"{name}:{s.id}", s.text),
                    "source": "endev",
                    "lang": "en",
                    "publisher": None,
                    "doc_date": s.date.isoformat() if s.date else None,
                    "doc_title": f"news wire sentence ({name})",
                    "doc_url": f"devsets/{name}#{s.id}",
                    "speaker": None,
                    "previous": "",
                    "text": s.text,
                    "stratum": "devset",
                    "devset": name,
                    "devset_id": s.id,
                    "petrarch_types": list(s.gold_types),
                    "petrarch_dyads": [
                        [g.source_country, g.target_country] for g in s.gold if g.plover_type
                    ],
                }
            )
    return rows


def draw(shared: Path) -> list[dict]:
    rng = np.random.default_rng(SEED)
    pools = government_pool(shared)
    drawn: list[dict] = []
    for key, n in ALLOCATION.items():
        pool = sorted(pools[key], key=lambda r: r["id"])
        picks = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
        drawn.extend(pool[i] for i in sorted(picks))
        print(f"{key}: pool {len(pool)}, drawn {min(n, len(pool))}")
    seen = {normalised_text(r["text"]) for r in drawn}
    drawn.extend(devset_rows(shared, seen))
    return drawn


def _acts(row: dict) -> bool:
    from dyadwatch.coding.triggers import scan

    speaker = (row.get("speaker") or "").split(",")[0].strip().upper()
    if speaker in REPORTERS:
        return False
    return any(not t.negated for t in scan(row["text"], lang=row["lang"]))


def draw_supplement(shared: Path, drawn: list[dict]) -> list[dict]:
    """The second draw: unlabelled pair sentences that report an act, per source."""
    rng = np.random.default_rng(SEED + 2)
    pools = government_pool(shared)
    taken = {r["id"] for r in drawn}
    out: list[dict] = []
    for (source, stratum), n in SUPPLEMENT.items():
        pool = sorted(
            (
                {**r, "stratum": stratum}
                for r in pools[(source, "pair")]
                if r["id"] not in taken and _acts(r)
            ),
            key=lambda r: r["id"],
        )
        picks = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
        out.extend(pool[i] for i in sorted(picks))
        print(f"{(source, stratum)}: pool {len(pool)}, drawn {min(n, len(pool))}")
    return out


def main() -> None:
    from dyadwatch.coding.labelled import is_double, split_of

    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("labels"))
    args = parser.parse_args()
    rows = draw(args.shared)
    for row in rows:
        row["split"] = split_of(row["id"])
        row["double"] = is_double(row["id"])
    supplement = draw_supplement(args.shared, rows)
    for row in supplement:
        row["split"] = split_of(row["id"])
        row["double"] = False  # the supplement is labelled once
    write_batches(supplement, args.out / "batches", prefix="s")
    rows += supplement
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "sentences.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    write_batches(rows[: len(rows) - len(supplement)], args.out / "batches")
    print(Counter((r["source"], r["split"]) for r in rows))
    print("double:", sum(r["double"] for r in rows), "total:", len(rows))


ANNOTATOR_FIELDS = (
    "id",
    "lang",
    "publisher",
    "doc_date",
    "doc_title",
    "speaker",
    "previous",
    "text",
)


def write_batches(rows: list[dict], folder: Path, *, prefix: str = "p") -> None:
    """Primary batches hold every sentence once, shuffled; second-pass batches hold the
    double-labelled ones again, in another order, for other annotators."""
    rng = np.random.default_rng(SEED + 1 + (prefix != "p"))
    folder.mkdir(parents=True, exist_ok=True)
    primary = [rows[i] for i in rng.permutation(len(rows))]
    second = [r for r in (rows[i] for i in rng.permutation(len(rows))) if r["double"]]
    for lead, items in ((prefix, primary), ("d", second)):
        if not items:
            continue
        for b in range(0, len(items), BATCH_SIZE):
            name = f"{lead}{b // BATCH_SIZE + 1:02d}.jsonl"
            with (folder / name).open("w", encoding="utf-8") as fh:
                for r in items[b : b + BATCH_SIZE]:
                    fh.write(
                        json.dumps({k: r.get(k) for k in ANNOTATOR_FIELDS}, ensure_ascii=False)
                        + "\n"
                    )


if __name__ == "__main__":
    main()
