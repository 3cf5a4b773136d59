"""Event assignment on the corpus: do reports of one happening land together, and only they?

    uv run python bench/eval_events.py [dev|test|all ...] [--quiet]

Each split's reports are fed, in publication order (then id), to the same assignment that
``POST /documents`` runs (service/events: features, then decide against the events made so
far, then a new event or the merged state). Scored against the gold ``event`` keys:

- pairwise: over every pair of reports, precision and recall of "same event";
- B-cubed precision, recall and F1 (per report: how much of its predicted event shares its
  gold event, and how much of its gold event it was put with).

Target: >= 0.95 pairwise precision and recall on each split. The dev split's wrong pairs are
printed (not with --quiet); the test split's never are, since it is never tuned on.
Always exits 0.
"""

from __future__ import annotations

import itertools
import json
import sys
import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.events.assign import decide, merged_state, new_event, state_from  # noqa: E402
from service.events.features import features, load_kinds  # noqa: E402

CORPUS = ROOT / "bench" / "corpus"


def run(split: str) -> tuple[list[dict], dict[str, int]]:
    kinds = load_kinds()
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / split).glob("*.json"))]
    reports.sort(key=lambda r: (r["published"], r["id"]))
    events = []
    assigned: dict[str, int] = {}
    for r in reports:
        f = features(r["title"], r["text"], dt.date.fromisoformat(r["published"]), kinds)
        d = decide(f, events, kinds)
        if d.main is None:
            slug, name, _ = new_event(f, kinds, r["title"])
            e = state_from(len(events) + 1, slug, name, f)
            events.append(e)
        else:
            e = merged_state(d.main.event, f)
            events[e.id - 1] = e
        assigned[r["id"]] = e.id
        r["_pred"], r["_features"], r["_decision"] = e, f, d
    return reports, assigned


def scores(reports: list[dict], assigned: dict[str, int]) -> dict[str, float]:
    tp = fp = fn = 0
    for a, b in itertools.combinations(reports, 2):
        same_gold = a["event"] == b["event"]
        same_pred = assigned[a["id"]] == assigned[b["id"]]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    bp = br = 0.0
    for x in reports:
        pred = [y for y in reports if assigned[y["id"]] == assigned[x["id"]]]
        gold = [y for y in reports if y["event"] == x["event"]]
        both = [y for y in pred if y["event"] == x["event"]]
        bp += len(both) / len(pred)
        br += len(both) / len(gold)
    n = len(reports) or 1
    bp, br = bp / n, br / n
    return {"pairs_p": p, "pairs_r": r, "b3_p": bp, "b3_r": br, "b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quiet = "--quiet" in sys.argv
    splits = ["dev", "fresh", "test"] if not args or args == ["all"] else args
    for split in splits:
        reports, assigned = run(split)
        if not reports:
            print(f"{split}: no reports")
            continue
        s = scores(reports, assigned)
        gold_events = len({r["event"] for r in reports})
        pred_events = len(set(assigned.values()))
        print(f"{split:>5}: {len(reports)} reports, {gold_events} gold events, {pred_events} predicted | "
              f"pairwise P {s['pairs_p']:.3f} R {s['pairs_r']:.3f} (tp {s['tp']}, fp {s['fp']}, fn {s['fn']}) | "
              f"B-cubed P {s['b3_p']:.3f} R {s['b3_r']:.3f} F1 {s['b3_f1']:.3f}   (target: pairwise P and R >= 0.95)")
        if split != "test" and not quiet:
            for a, b in itertools.combinations(reports, 2):
                same_gold, same_pred = a["event"] == b["event"], assigned[a["id"]] == assigned[b["id"]]
                if same_gold != same_pred:
                    what = "merged, should not be" if same_pred else "split, should be together"
                    print(f"   {what}: {a['id']} ({a['event']}) / {b['id']} ({b['event']})")
            for r in reports:
                f, d = r["_features"], r["_decision"]
                why = (f"-> {d.main.event.slug} {msgspec_json(d.main.evidence)}" if d.main
                       else f"new {r['_pred'].slug}" + (f"; nearest {d.nearest.event.slug}: {msgspec_json(d.nearest.evidence)}" if d.nearest else ""))
                print(f"   {r['id']} {r['published']} kind={f.kind} main={f.main_country} onset={f.onset}{'*' if f.onset_explicit else ''} {why}")
    return 0


def msgspec_json(x: object) -> str:
    import msgspec

    return msgspec.json.encode(x).decode()


if __name__ == "__main__":
    sys.exit(main())
