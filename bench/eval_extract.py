"""Evaluate the claim extractor against the curated seed claims.

    uv run python bench/eval_extract.py [--quiet]

Builds the vocabulary from seeds/metrics.json + seeds/actors.json, runs ``extract`` on each seed
article with its manifest publication date and compares with seeds/claims.json.

Figures: a predicted figure matches a curated one when the metric is equal, the value (low,
high, qualifier) is equal and the spans overlap (one-to-one, greedy by overlap).
Claimants: over the matched figure pairs and the statements (statements are paired one-to-one
by span overlap), the claimant slugs are compared (both null counts as agreement).
  precision = agreeing pairs / (matched figure pairs + predicted statements)
  recall    = agreeing pairs / (matched figure pairs + curated statements)
A lenient variant, where a statement may pair with every curated statement it overlaps, is
printed for information. Timing: mean and max ms per article over 50 repetitions.
Always exits 0.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.extract import ActorNames, MetricTerms, build_vocabulary, extract  # noqa: E402

SEEDS = ROOT / "seeds"


def load():
    metrics = json.loads((SEEDS / "metrics.json").read_text(encoding="utf-8"))
    actors = json.loads((SEEDS / "actors.json").read_text(encoding="utf-8"))
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))["documents"]
    claims = json.loads((SEEDS / "claims.json").read_text(encoding="utf-8"))
    vocab = build_vocabulary(
        [MetricTerms(slug=m["slug"], synonyms=sorted({m["slug"], *m.get("synonyms", [])})) for m in metrics],
        [ActorNames(slug=a["slug"], names=[a["name"], a["slug"], *a.get("aliases", [])], kind=a.get("kind", "other")) for a in actors],
    )
    docs = []
    for d in manifest:
        with open(SEEDS / d["file"], encoding="utf-8", newline="") as fh:
            text = fh.read()
        docs.append((d["key"], text, dt.date.fromisoformat(d["published"])))
    return vocab, docs, claims


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def value_key(v) -> tuple:
    if v is None:
        return (None, None, None)
    if isinstance(v, dict):
        lo, hi, q = v.get("low"), v.get("high"), v.get("qualifier")
    else:
        lo, hi, q = v.low, v.high, v.qualifier
    return (None if lo is None else float(lo), None if hi is None else float(hi), q)


def greedy_pairs(preds: list, golds: list, compatible) -> list[tuple[int, int]]:
    cand = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            ov = overlap(p.start, p.end, g["start"], g["end"])
            if ov > 0 and compatible(p, g):
                cand.append((ov, i, j))
    cand.sort(key=lambda x: -x[0])
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in cand:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def fmt_claim(c) -> str:
    if isinstance(c, dict):
        v = c.get("value") or {}
        val = f"{v.get('text')!r} {v.get('low')}..{v.get('high')} {v.get('qualifier')}" if v else ""
        return f"{c['metric'] or 'stmt'} {val} claimant={c['claimant']} [{c['start']}:{c['end']}] {c['quote'][:110]!r}"
    v = c.value
    val = f"{v.text!r} {v.low}..{v.high} {v.qualifier}" if v else ""
    return f"{c.metric or 'stmt'} {val} claimant={c.claimant} via={c.via} [{c.start}:{c.end}] {c.quote[:110]!r}"


def main() -> int:
    quiet = "--quiet" in sys.argv
    vocab, docs, gold_all = load()
    tot = dict(fig_tp=0, fig_pred=0, fig_gold=0, cl_ok=0, cl_pred=0, cl_gold=0, len_ok=0, len_pred=0, len_gold=0,
               st_pairs=0, st_pred=0, st_gold=0)
    scope = dict(group=0, location=0, as_of=0, conf=[], n=0, st_as_of=0, st_n=0)
    misses, fps, claimant_errors = [], [], []
    rows = []
    for key, text, published in docs:
        pred = extract(text, published, vocab)
        gold = [c for c in gold_all if c["document"] == key]
        pf = [c for c in pred if c.metric is not None]
        gf = [c for c in gold if c["metric"] is not None]
        ps = [c for c in pred if c.metric is None]
        gs = [c for c in gold if c["metric"] is None]
        fpairs = greedy_pairs(pf, gf, lambda p, g: p.metric == g["metric"] and value_key(p.value) == value_key(g["value"]))
        tp = len(fpairs)
        matched_p = {i for i, _ in fpairs}
        matched_g = {j for _, j in fpairs}
        for j, g in enumerate(gf):
            if j not in matched_g:
                misses.append((key, g))
        for i, p in enumerate(pf):
            if i not in matched_p:
                fps.append((key, p))
        spairs = greedy_pairs(ps, gs, lambda p, g: True)
        cl_ok = 0
        for i, j in fpairs:
            p, g = pf[i], gf[j]
            scope["n"] += 1
            scope["group"] += p.group == g["group"]
            scope["location"] += p.location == g["location"]
            scope["as_of"] += str(p.as_of) == g["as_of"]
            scope["conf"].append(abs(p.confidence - g["confidence"]))
            if p.claimant == g["claimant"]:
                cl_ok += 1
            else:
                claimant_errors.append((key, g["claimant"], p))
        for i, j in spairs:
            p, g = ps[i], gs[j]
            scope["st_n"] += 1
            scope["st_as_of"] += str(p.as_of) == g["as_of"]
            scope["conf"].append(abs(p.confidence - g["confidence"]))
            if p.claimant == g["claimant"]:
                cl_ok += 1
            else:
                claimant_errors.append((key, g["claimant"], p))
        paired_s = {i for i, _ in spairs}
        paired_g = {j for _, j in spairs}
        for i, p in enumerate(ps):
            if i not in paired_s:
                claimant_errors.append((key, "(no curated statement)", p))
        for j, g in enumerate(gs):
            if j not in paired_g:
                misses.append((key, g))
        # lenient: a predicted statement agrees if any overlapping curated statement has its claimant
        len_ok_p = sum(1 for p in ps if any(overlap(p.start, p.end, g["start"], g["end"]) and g["claimant"] == p.claimant for g in gs))
        len_ok_g = sum(1 for g in gs if any(overlap(p.start, p.end, g["start"], g["end"]) and g["claimant"] == p.claimant for p in ps))
        fig_ok = sum(1 for i, j in fpairs if pf[i].claimant == gf[j]["claimant"])
        tot["fig_tp"] += tp
        tot["fig_pred"] += len(pf)
        tot["fig_gold"] += len(gf)
        tot["cl_ok"] += cl_ok
        tot["cl_pred"] += tp + len(ps)
        tot["cl_gold"] += tp + len(gs)
        tot["len_ok"] += fig_ok + len_ok_p
        tot["len_pred"] += tp + len(ps)
        tot["len_gold"] += tp + len(gs)
        tot["st_pairs"] += len(spairs)
        tot["st_pred"] += len(ps)
        tot["st_gold"] += len(gs)
        fp_, fr_, ff_ = prf(tp, len(pf), len(gf))
        cp, cr, _ = prf(cl_ok, tp + len(ps), tp + len(gs))
        rows.append((key, len(gf), len(pf), tp, fp_, fr_, ff_, len(gs), len(ps), cp, cr))

    print("Figures (metric + value + overlapping span) and claimants, per article")
    print(f"{'doc':>4} {'gold':>5} {'pred':>5} {'tp':>4} {'P':>6} {'R':>6} {'F1':>6} | {'stmts':>5} {'pred':>5} {'claimP':>7} {'claimR':>7}")
    for key, ng, npred, tp, p, r, f, ngs, nps, cp, cr in rows:
        print(f"{key:>4} {ng:>5} {npred:>5} {tp:>4} {p:6.3f} {r:6.3f} {f:6.3f} | {ngs:>5} {nps:>5} {cp:7.3f} {cr:7.3f}")
    p, r, f = prf(tot["fig_tp"], tot["fig_pred"], tot["fig_gold"])
    cp, cr, cf = prf(tot["cl_ok"], tot["cl_pred"], tot["cl_gold"])
    lp, lr, lf = prf(tot["len_ok"], tot["len_pred"], tot["len_gold"])
    print(f"{'all':>4} {tot['fig_gold']:>5} {tot['fig_pred']:>5} {tot['fig_tp']:>4} {p:6.3f} {r:6.3f} {f:6.3f} | {tot['st_gold']:>5} {tot['st_pred']:>5} {cp:7.3f} {cr:7.3f}")
    print()
    print(f"FIGURES     precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}   (targets: P >= 0.90, R >= 0.95)")
    print(f"CLAIMANTS   precision {cp:.3f}  recall {cr:.3f}  F1 {cf:.3f}   (target >= 0.85; statements paired one-to-one)")
    print(f"            lenient   precision {lp:.3f}  recall {lr:.3f}   (a statement may match any curated statement it overlaps)")
    sp, sr, _ = prf(tot["st_pairs"], tot["st_pred"], tot["st_gold"])
    print(f"STATEMENTS  found (span overlap, any claimant): precision {sp:.3f}  recall {sr:.3f}")
    if scope["n"]:
        n = scope["n"]
        print(f"SCOPE on matched figures: group {scope['group'] / n:.2f}  location {scope['location'] / n:.2f}  as_of {scope['as_of'] / n:.2f}")
    if scope["st_n"]:
        print(f"as_of on paired statements: {scope['st_as_of'] / scope['st_n']:.2f}")
    if scope["conf"]:
        print(f"confidence: mean absolute difference from the curated value {statistics.mean(scope['conf']):.3f}")

    # timing: wall clock (what a caller waits) and CPU time (what the extractor costs; other
    # processes on the machine inflate the first, not the second)
    print()
    times_mean, times_max = [], []
    for key, text, published in docs:
        extract(text, published, vocab)  # warm
        ts, cpu = [], []
        for _ in range(50):
            t0, c0 = time.perf_counter(), time.process_time()
            extract(text, published, vocab)
            ts.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        times_mean.append(statistics.mean(ts))
        times_max.append(max(ts))
        print(f"timing {key}: {len(text):>5} chars  mean {statistics.mean(ts):6.2f} ms  max {max(ts):6.2f} ms"
              f"  (cpu mean {statistics.mean(cpu):6.2f} ms; 50 runs)")
    six = min(docs, key=lambda d: abs(len(d[1]) - 6000))
    ts, cpu = [], []
    for _ in range(50):
        t0, c0 = time.perf_counter(), time.process_time()
        extract(six[1], six[2], vocab)
        ts.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(f"TIMING      mean {statistics.mean(times_mean):.2f} ms per article, max {max(times_max):.2f} ms; "
          f"~6,000-char article ({six[0]}, {len(six[1])} chars): mean {statistics.mean(ts):.2f} ms, "
          f"max {max(ts):.2f} ms, cpu mean {statistics.mean(cpu):.2f} ms (target < 50 ms)")
    if not quiet:
        print()
        print(f"MISSES ({len(misses)}): curated claims with no matching prediction")
        for key, g in misses:
            print(f"  {key} {fmt_claim(g)}")
        print()
        print(f"FALSE POSITIVES ({len(fps)}): predicted figures with no matching curated figure")
        for key, p in fps:
            print(f"  {key} {fmt_claim(p)}")
        print()
        print(f"CLAIMANT DISAGREEMENTS ({len(claimant_errors)})")
        for key, g, p in claimant_errors:
            print(f"  {key} curated={g}  predicted: {fmt_claim(p)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
