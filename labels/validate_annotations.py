"""Check an annotation file against its batch: one valid label per sentence, in the schema.

Usage: python labels/validate_annotations.py labels/batches/p01.jsonl labels/annotations/p01.A01.jsonl
"""

import json
import sys

TYPES = set(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT INVESTIGATE DEMAND DISAPPROVE REJECT "
    "THREATEN SANCTION PROTEST CRIME MOBILIZE COERCE ASSAULT FIGHT".split()
)
FACT = {"asserted", "hypothetical", "negated", "historical", "generic"}
SECTORS = set("GOV MIL COP JUD LEG PTY CRM BUS CVL MED IGO NGO OTH".split())
KEYS = (
    "id annotator event dyadic type mode factuality source_country source_sector source_span "
    "target_country target_sector target_span publisher_country note"
).split()


def problems(label: dict) -> list[str]:
    out = [f"missing {k}" for k in KEYS if k not in label]
    if out:
        return out
    if label["factuality"] not in FACT:
        out.append(f"factuality {label['factuality']!r}")
    if label["event"]:
        if label["type"] not in TYPES:
            out.append(f"type {label['type']!r}")
        for side in ("source", "target"):
            sector = label[f"{side}_sector"]
            if sector is not None and sector not in SECTORS:
                out.append(f"{side}_sector {sector!r}")
        pair = {label["source_country"], label["target_country"]}
        if label["dyadic"] and pair != {"USA", "MEX"}:
            out.append("dyadic needs USA and MEX as source and target")
    elif label["dyadic"] or label["type"]:
        out.append("not an event: dyadic must be false and type null")
    return out


def main(batch_path: str, labels_path: str) -> int:
    ids = [json.loads(line)["id"] for line in open(batch_path, encoding="utf-8") if line.strip()]
    seen: dict[str, dict] = {}
    bad = 0
    for n, line in enumerate(open(labels_path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            label = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"line {n}: not JSON ({exc})")
            bad += 1
            continue
        for p in problems(label):
            print(f"line {n} ({label.get('id')}): {p}")
            bad += 1
        seen[label.get("id")] = label
    missing = [i for i in ids if i not in seen]
    extra = [i for i in seen if i not in set(ids)]
    print(f"{len(seen)} labels, {len(missing)} sentences missing, {len(extra)} unknown ids, {bad} problems")
    if missing:
        print("first missing:", missing[:5])
    return 1 if (bad or missing or extra) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
