"""Evaluate the claim extractor: the curated seed articles and the bench corpus splits.

    uv run python bench/eval_extract.py [--quiet] [--split seeds|dev|fresh|test|<folder>]

seeds: builds the vocabulary from seeds/metrics.json + seeds/actors.json, runs ``extract`` on each
seed article with its manifest publication date and compares with seeds/claims.json. A predicted
figure matches a curated one when the metric is equal, the value (low, high, qualifier) is equal
and the spans overlap (one-to-one, greedy by overlap). Claimants: over the matched figure pairs
and the statements (paired one-to-one by span overlap), the slugs are compared.

dev / test (bench/corpus/<split>/*.json, scoring of bench/corpus/README.md): a prediction matches
a gold figure when the metric and low/high agree and the predicted quote contains the gold
``text`` at its ``occurrence`` (one-to-one, greedy: predictions whose value text is the gold text
first, then the shortest quote). Recall = matched / gold; precision = matched / predicted figures
(a prediction on a ``background`` figure is a false positive). Claimant accuracy over matched
figures: the predicted claimant (a vocabulary slug stands for its actor's name and aliases, from
seeds/actors.json) equals ``claimant`` or one of ``claimant_aliases`` after folding case, accents,
punctuation and a leading article; both null agree. Qualifier agreement over matched figures.
Misses, false positives and claimant errors are printed for dev only, never for test.

Timing: median ms for the ~6,000-character seed article (target <= 100 ms) and one 200,000-char
text with no figures. Always exits 0.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import sys
import time
import unicodedata
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


def eval_seeds(quiet: bool) -> dict:
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

    if not quiet:
        print()
        print(f"MISSES ({len(misses)}): curated claims with no matching prediction")
        for key, g in misses:
            print(f"  {key} {fmt_claim(g)}")
        print()
        print(f"FALSE POSITIVES ({len(fps)}): predicted figures with no matching curated figure")
        for key, pc in fps:
            print(f"  {key} {fmt_claim(pc)}")
        print()
        print(f"CLAIMANT DISAGREEMENTS ({len(claimant_errors)})")
        for key, g, pc in claimant_errors:
            print(f"  {key} curated={g}  predicted: {fmt_claim(pc)}")
    return {"recall": r, "precision": p, "claimant": cp, "gold": tot["fig_gold"], "pred": tot["fig_pred"]}


# ----------------------------------------------------------------------------- corpus splits

CORPUS = ROOT / "bench" / "corpus"


def fold_name(s: str | None) -> str | None:
    """Case-, accent- and punctuation-folded name, a leading article ("the", "a", "an") dropped."""
    if s is None:
        return None
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = re.sub(r"[\W_]+", " ", s).strip()
    s = re.sub(r"^(?:the|a|an) ", "", s)
    return s or None


def actor_forms() -> dict[str, set[str]]:
    """Vocabulary slug -> the folded forms of its name, slug and aliases."""
    actors = json.loads((SEEDS / "actors.json").read_text(encoding="utf-8"))
    out = {}
    for a in actors:
        names = [a["name"], a["slug"], *a.get("aliases", [])]
        out[a["slug"]] = {f for f in (fold_name(n) for n in names) if f}
    return out


def claimant_agrees(pred: str | None, gold: dict, forms: dict[str, set[str]]) -> bool:
    g = gold.get("claimant")
    if pred is None or g is None:
        return pred is None and g is None
    golds = {f for f in (fold_name(x) for x in [g, *gold.get("claimant_aliases", [])]) if f}
    preds = forms.get(pred) or {fold_name(pred)}
    return bool(golds & preds)


def nth(text: str, needle: str, n: int) -> int:
    at = -1
    for _ in range(max(1, n)):
        at = text.find(needle, at + 1)
        if at < 0:
            return -1
    return at


def load_split(split: str) -> list[dict]:
    out = []
    for p in sorted((CORPUS / split).glob("*.json")):
        try:
            r = json.loads(p.read_text(encoding="utf-8"))
            r["published_date"] = dt.date.fromisoformat(r["published"])
        except (ValueError, KeyError, TypeError):
            continue
        if not isinstance(r.get("text"), str):
            continue
        out.append(r)
    return out


def _num(x):
    return None if x is None else float(x)


def score_report(r: dict, pred: list, forms) -> dict:
    """Match one report's predicted figures to its gold figures (README scoring)."""
    text = r["text"]
    gold = []
    for g in r.get("figures", []):
        a = nth(text, g.get("text") or "\0", int(g.get("occurrence", 1)))
        gold.append((g, a, a + len(g.get("text") or "")))
    bg = []
    for g in r.get("background", []):
        a = nth(text, g.get("text") or "\0", int(g.get("occurrence", 1)))
        bg.append((g, a, a + len(g.get("text") or "")))
    pf = [c for c in pred if c.metric is not None and c.value is not None]
    cand = []
    for i, p in enumerate(pf):
        for j, (g, a, b) in enumerate(gold):
            if a < 0 or p.metric != g["metric"]:
                continue
            if (_num(p.value.low), _num(p.value.high)) != (_num(g.get("low")), _num(g.get("high"))):
                continue
            if not (p.start <= a and b <= p.end):
                continue
            exact = p.value.text == g["text"]
            cand.append((0 if exact else 1, p.end - p.start, i, j))
    cand.sort()
    used_p, used_g, pairs = set(), set(), []
    for _, _, i, j in cand:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    res = dict(gold=len(gold), pred=len(pf), tp=len(pairs), cl_ok=0, q_ok=0, misses=[], fps=[], cl_err=[])
    for i, j in pairs:
        p, g = pf[i], gold[j][0]
        if claimant_agrees(p.claimant, g, forms):
            res["cl_ok"] += 1
        else:
            res["cl_err"].append((g, p))
        res["q_ok"] += p.value.qualifier == g.get("qualifier")
    for j, (g, a, b) in enumerate(gold):
        if j not in used_g:
            res["misses"].append(g)
    for i, p in enumerate(pf):
        if i in used_p:
            continue
        on_bg = any(a >= 0 and p.start <= a and b <= p.end and (g["text"] in p.value.text or p.value.text in g["text"]) for g, a, b in bg)
        res["fps"].append((p, on_bg))
    return res


def eval_split(split: str, vocab, quiet: bool, show_items: bool) -> dict | None:
    reports = load_split(split)
    if not reports:
        print(f"[{split}] no reports")
        return None
    forms = actor_forms()
    tot = dict(gold=0, pred=0, tp=0, cl_ok=0, q_ok=0, bg_fp=0)
    items = []
    times = []
    for r in reports:
        t0 = time.perf_counter()
        pred = extract(r["text"], r["published_date"], vocab)
        times.append((time.perf_counter() - t0) * 1000)
        res = score_report(r, pred, forms)
        for k in ("gold", "pred", "tp", "cl_ok", "q_ok"):
            tot[k] += res[k]
        tot["bg_fp"] += sum(1 for _, on_bg in res["fps"] if on_bg)
        items.append((r, res))
    rec = tot["tp"] / tot["gold"] if tot["gold"] else 1.0
    prec = tot["tp"] / tot["pred"] if tot["pred"] else 1.0
    cl = tot["cl_ok"] / tot["tp"] if tot["tp"] else 1.0
    qa = tot["q_ok"] / tot["tp"] if tot["tp"] else 1.0
    print(f"[{split}] reports {len(reports)}  gold figures {tot['gold']}  predicted {tot['pred']}  matched {tot['tp']}"
          f"  (predictions on background figures: {tot['bg_fp']})")
    print(f"[{split}] RECALL {rec:.3f}  PRECISION {prec:.3f}  CLAIMANT {cl:.3f}  qualifier {qa:.3f}"
          f"   (targets R >= 0.95, P >= 0.90, claimant >= 0.85)")
    print(f"[{split}] extract time per report: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")
    if show_items and not quiet:
        print(f"\n[{split}] MISSES")
        for r, res in items:
            for g in res["misses"]:
                print(f"  {r['id']} {g['metric']} {g['text']!r} {g.get('low')}..{g.get('high')} {g.get('qualifier')} claimant={g.get('claimant')!r} occ={g.get('occurrence', 1)}")
        print(f"\n[{split}] FALSE POSITIVES")
        for r, res in items:
            for p, on_bg in res["fps"]:
                print(f"  {r['id']}{' [background]' if on_bg else ''} {fmt_claim(p)}")
        print(f"\n[{split}] CLAIMANT ERRORS")
        for r, res in items:
            for g, p in res["cl_err"]:
                print(f"  {r['id']} gold={g.get('claimant')!r} predicted={p.claimant!r}  {g['metric']} {g['text']!r} {p.quote[:100]!r}")
        print()
    return dict(reports=len(reports), gold=tot["gold"], pred=tot["pred"], recall=rec, precision=prec, claimant=cl, qualifier=qa)


def timing(vocab) -> None:
    """Median ms for the ~6,000-character seed article (target <= 100 ms), and a 200,000-char
    text with no figures."""
    _, docs, _ = load()
    key, text, published = min(docs, key=lambda d: abs(len(d[1]) - 6000))
    extract(text, published, vocab)
    ts, cpu = [], []
    for _ in range(30):
        t0, c0 = time.perf_counter(), time.process_time()
        extract(text, published, vocab)
        ts.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(f"TIMING ~6,000-char article (seed {key}, {len(text)} chars): median {statistics.median(ts):.1f} ms, "
          f"max {max(ts):.1f} ms over 30 runs, cpu median {statistics.median(cpu):.1f} ms (target <= 100 ms)")
    big = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 3600)[:200_000]
    t0, c0 = time.perf_counter(), time.process_time()
    extract(big, published, vocab)
    print(f"TIMING 200,000-char text with no figures: {(time.perf_counter() - t0) * 1000:.0f} ms "
          f"(cpu {(time.process_time() - c0) * 1000:.0f} ms)")


def main() -> int:
    quiet = "--quiet" in sys.argv
    split = None
    if "--split" in sys.argv:
        ix = sys.argv.index("--split")
        split = sys.argv[ix + 1] if ix + 1 < len(sys.argv) else None
    # any folder under bench/corpus/ is a split (e.g. a fresh one, scored blind once, then read)
    splits = [split] if split else ["seeds", "dev", "fresh", "test"]
    try:
        vocab = load()[0]
        for s in splits:
            print("=" * 100)
            if s == "seeds":
                print("[seeds] curated seed articles (seeds/claims.json)")
                r = eval_seeds(quiet)
                print(f"[seeds] RECALL {r['recall']:.3f}  PRECISION {r['precision']:.3f}  CLAIMANT(precision) {r['claimant']:.3f}")
            else:
                # misses and false positives are printed for every split but test, never for test
                eval_split(s, vocab, quiet, show_items=(s != "test"))
        print("=" * 100)
        timing(vocab)
    except Exception as e:  # noqa: BLE001 - the evaluation always exits 0
        print(f"evaluation failed: {e!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
