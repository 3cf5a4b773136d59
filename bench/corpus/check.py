"""Check the corpus files' shape: python bench/corpus/check.py [dev|test ...]. Exits 1 on a problem."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
METRICS = {m["slug"] for m in json.loads((ROOT / "seeds" / "metrics.json").read_text(encoding="utf-8"))}
KINDS = {k["slug"] for k in json.loads((ROOT / "seeds" / "event_kinds.json").read_text(encoding="utf-8"))}
OUTLETS = {"wire", "broadcaster", "government", "ngo", "local", "liveblog"}
QUALIFIERS = {"exact", "approximately", "more_than", "at_least", "nearly", "at_most", "less_than", "vague"}


def nth(text: str, needle: str, n: int) -> int:
    at = -1
    for _ in range(n):
        at = text.find(needle, at + 1)
        if at < 0:
            return -1
    return at


def check(path: Path) -> list[str]:
    errs = []
    try:
        r = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        return [f"{path.name}: not JSON ({e})"]
    for k in ("id", "event", "event_kind", "outlet_kind", "outlet", "title", "published", "text", "figures"):
        if k not in r:
            errs.append(f"{path.name}: missing {k}")
    if errs:
        return errs
    if r["event_kind"] not in KINDS:
        errs.append(f"{path.name}: event_kind {r['event_kind']!r} not in seeds/event_kinds.json")
    if r["outlet_kind"] not in OUTLETS:
        errs.append(f"{path.name}: outlet_kind {r['outlet_kind']!r}")
    try:
        dt.date.fromisoformat(r["published"])
    except (TypeError, ValueError):
        errs.append(f"{path.name}: published {r['published']!r} is not YYYY-MM-DD")
    text = r["text"]
    for part in ("figures", "background"):
        for i, f in enumerate(r.get(part, [])):
            where = f"{path.name} {part}[{i}] {f.get('text')!r}"
            if f.get("metric") not in METRICS:
                errs.append(f"{where}: metric {f.get('metric')!r} unknown")
            if nth(text, f.get("text") or "\0", int(f.get("occurrence", 1))) < 0:
                errs.append(f"{where}: text not found at occurrence {f.get('occurrence', 1)}")
            if part == "figures":
                if f.get("qualifier") not in QUALIFIERS:
                    errs.append(f"{where}: qualifier {f.get('qualifier')!r}")
                lo, hi = f.get("low"), f.get("high")
                if lo is None and hi is None:
                    errs.append(f"{where}: low and high both null")
                if lo is not None and hi is not None and lo > hi:
                    errs.append(f"{where}: low > high")
                if not isinstance(f.get("claimant_aliases", []), list):
                    errs.append(f"{where}: claimant_aliases must be a list")
    return errs


def main() -> int:
    splits = sys.argv[1:] or ["dev", "test"]
    errs, n = [], 0
    for s in splits:
        for p in sorted((HERE / s).glob("*.json")):
            n += 1
            errs += check(p)
    for e in errs:
        print(e)
    print(f"{n} reports, {len(errs)} problems")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
