#!/usr/bin/env python3
"""Compare `sentlab eval --level span --match MODE` with the nervaluate package.

Generates random articles and spans (exact copies, shifted or stretched copies, wrong labels,
predictions overlapping several gold spans, unrelated spans), runs sentlab and nervaluate on
them, and prints per mode and minimum overlap fraction the differences of the counts
(correct, incorrect, partial, missed, spurious), overall and per label.

Every difference is then traced to the articles where it arises and labelled:

* `greedy-order effect`: sentlab's matching of that article is a valid one-to-one matching
  (every pair shares enough of its gold span, categories as the mode says), and nervaluate
  itself gives sentlab's counts for the same spans in another order (the order of sentlab's
  matched pairs, or one of up to 500 random orders): the two differ only in which of several
  candidate pairs is taken first.
* `bug`: anything else (sentlab's matching invalid, or no order makes nervaluate agree).

Mapping: nervaluate's end offset is inclusive (`end - 1`), and its minimum overlap is a
percentage (`100 F`; its default, 1%, is "any shared code point" here because no generated
gold span is longer than 100 code points).

usage: nervaluate-compare.py SENTLAB_BINARY WORK_DIR [ARTICLES=300] [SEED=1]
(scripts/nervaluate-compare.sh sets up the venv with nervaluate and runs this.)
"""

import csv
import json
import os
import random
import subprocess
import sys
from collections import defaultdict

from nervaluate import Evaluator
from nervaluate.strategies import (
    EntityTypeEvaluation,
    ExactEvaluation,
    PartialEvaluation,
    StrictEvaluation,
)

MODES = {
    "strict": ("strict", StrictEvaluation),
    "exact": ("exact", ExactEvaluation),
    "partial": ("partial", PartialEvaluation),
    "type": ("ent_type", EntityTypeEvaluation),
}
FIELDS = ["correct", "incorrect", "partial", "missed", "spurious"]
LABELS = ["A", "B", "C"]
WORDS = "the a crooks lie they are bad people what disaster it was never again we all know".split()


def generate(work, n_articles, rng):
    """Articles (split by sentlab), gold spans and predicted spans inside sentences."""
    os.makedirs(f"{work}/articles", exist_ok=True)
    for a in range(n_articles):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
            sentences.append(" ".join(words).capitalize() + ".")
        with open(f"{work}/articles/article{a}.txt", "w") as f:
            f.write(" ".join(sentences) + "\n")
    subprocess.run(
        [SENTLAB, "split", "-q", f"{work}/articles", "-o", f"{work}/s.csv"], check=True
    )
    sents = defaultdict(list)
    with open(f"{work}/s.csv", newline="") as f:
        for r in csv.DictReader(f):
            sents[r["article_id"]].append((r["sentence_id"], int(r["start"]), int(r["end"])))
    gold, pred = {}, {}
    for art, ss in sents.items():
        g, p = set(), []
        for sid, s0, s1 in ss:
            def rand_span(max_len=30):
                a = rng.randrange(s0, s1 - 1)
                return a, min(s1, a + rng.randint(1, max_len))
            local = set()
            for _ in range(rng.randint(0, 3)):
                a, b = rand_span()
                local.add((rng.choice(LABELS), a, b))
            g |= local
            for lab, a, b in sorted(local):
                kind = rng.random()
                if kind < 0.3:
                    p.append((lab, a, b))  # exact copy
                elif kind < 0.45:
                    p.append((rng.choice(LABELS), a, b))  # same bounds, maybe another label
                elif kind < 0.7:
                    a2 = min(s1 - 1, max(s0, a + rng.randint(-4, 4)))
                    b2 = min(s1, max(a2 + 1, b + rng.randint(-4, 4)))
                    p.append((lab, a2, b2))
            # One prediction over several gold spans of the sentence.
            if len(local) >= 2 and rng.random() < 0.6:
                lo = min(x[1] for x in local)
                hi = max(x[2] for x in local)
                p.append((rng.choice(LABELS), lo, hi))
            for _ in range(rng.randint(0, 2)):
                a, b = rand_span(20)
                p.append((rng.choice(LABELS), a, b))
        gold[art] = sorted(g)
        rng.shuffle(p)
        pred[art] = [(lab, a, b, sid_of(ss, a), f"r{rng.randint(1, 4)}") for lab, a, b in p]
    return sents, gold, pred


def sid_of(ss, a):
    for sid, s0, s1 in ss:
        if s0 <= a < s1:
            return sid
    raise ValueError(a)


def write_inputs(work, tag, gold, pred):
    """PTC span files and a prediction table for sentlab."""
    d = f"{work}/{tag}"
    os.makedirs(f"{d}/gold", exist_ok=True)
    for art, spans in gold.items():
        with open(f"{d}/gold/{art}.labels", "w") as f:
            for lab, a, b in spans:
                f.write(f"{art}\t{lab}\t{a}\t{b}\n")
    with open(f"{d}/pred.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["sentence_id", "label", "rule_id", "start", "end", "match"])
        for art, spans in pred.items():
            for lab, a, b, sid, rule in spans:
                w.writerow([sid, lab, rule, a, b, ""])
    return d


def run_sentlab(work, d, mode, frac):
    cmd = [
        SENTLAB, "eval", "-q", "--level", "span", "--match", mode, "--format", "json",
        "--gold", f"{d}/gold", "--pred", f"{d}/pred.csv", "--sentences", f"{work}/s.csv",
        "--errors", f"{d}/errors.csv",
    ]
    if frac is not None:
        cmd += ["--min-overlap-fraction", str(frac)]
    report = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    # Per article: the pairs sentlab matched, as (gold span, predicted span).
    pairs = defaultdict(list)
    with open(f"{d}/errors.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["side"] == "gold" and r["matched"]:
                lab, rng_ = r["matched"].split(" ")
                a, b = map(int, rng_.split("-"))
                pairs[r["article_id"]].append(((r["label"], int(r["start"]), int(r["end"])), (lab, a, b)))
    return report, pairs


def to_entities(spans):
    return [{"label": s[0], "start": s[1], "end": s[2] - 1} for s in spans]


def nerv_counts(strategy, gold_spans, pred_spans):
    from nervaluate.entities import Entity
    res, _ = strategy.evaluate(
        [Entity(s[0], s[1], s[2] - 1) for s in gold_spans],
        [Entity(s[0], s[1], s[2] - 1) for s in pred_spans],
        LABELS,
    )
    return tuple(getattr(res, k) for k in FIELDS)


def category(mode, g, p):
    same_label, same_bounds = g[0] == p[0], g[1:] == p[1:]
    correct = {
        "strict": same_label and same_bounds,
        "exact": same_bounds,
        "partial": same_bounds,
        "type": same_label,
    }[mode]
    if correct:
        return "correct"
    return "partial" if mode == "partial" else "incorrect"


def sentlab_article_counts(mode, frac, gold_spans, pred_spans, pairs):
    """The counts of sentlab's matching of one article, after checking it is valid."""
    c = dict.fromkeys(FIELDS, 0)
    used_g, used_p = set(), set()
    pred_pool = list(pred_spans)
    for g, p in pairs:
        shared = min(g[2], p[2]) - max(g[1], p[1])
        if shared < 1 or (frac is not None and shared < frac * (g[2] - g[1])):
            return None, "pair without enough overlap"
        if g in used_g or g not in gold_spans:
            return None, "gold span matched twice"
        if p not in pred_pool:
            return None, "predicted span matched twice"
        used_g.add(g)
        pred_pool.remove(p)
        c[category(mode, g, p)] += 1
    c["missed"] = len(gold_spans) - len(used_g)
    c["spurious"] = len(pred_pool)
    return tuple(c[k] for k in FIELDS), None


def explain(mode, frac, strategy, gold_spans, pred_spans, pairs, rng):
    """Labels the difference of one article."""
    want, invalid = sentlab_article_counts(mode, frac, gold_spans, pred_spans, pairs)
    if invalid:
        return "bug", invalid
    # nervaluate on the spans in the order of sentlab's pairs.
    mg = [g for g, _ in pairs] + [g for g in gold_spans if g not in {g for g, _ in pairs}]
    rest = list(pred_spans)
    for _, p in pairs:
        rest.remove(p)
    mp = [p for _, p in pairs] + rest
    if nerv_counts(strategy, mg, mp) == want:
        return "greedy-order effect", "sentlab's pair order"
    g2, p2 = list(gold_spans), list(pred_spans)
    for _ in range(500):
        rng.shuffle(g2)
        rng.shuffle(p2)
        if nerv_counts(strategy, g2, p2) == want:
            return "greedy-order effect", "a random order"
    return "bug", f"no order gives sentlab's counts {want}"


def compare(work, sents, gold, pred, mode, frac, rng):
    nerv_name, cls = MODES[mode]
    pct = 1.0 if frac is None else 100.0 * frac
    strategy = cls(pct)
    arts = sorted(gold)
    g_all = {a: gold[a] for a in arts}
    p_all = {a: [s[:3] for s in pred[a]] for a in arts}
    ev = Evaluator(
        [to_entities(g_all[a]) for a in arts],
        [to_entities(p_all[a]) for a in arts],
        tags=LABELS,
        loader="dict",
        min_overlap_percentage=pct,
    ).evaluate()
    d = write_inputs(work, "all", gold, pred)
    report, pairs = run_sentlab(work, d, mode, frac)
    rows = [("overall", report["overall"], ev["overall"][nerv_name], g_all, p_all, pairs)]
    for lab in LABELS:
        gl = {a: [s for s in gold[a] if s[0] == lab] for a in arts}
        pl = {a: [s for s in pred[a] if s[0] == lab] for a in arts}
        dl = write_inputs(work, f"label-{lab}", gl, pl)
        rep_l, pairs_l = run_sentlab(work, dl, mode, frac)
        mine = next(r for r in report["labels"] if r["label"] == lab)
        if tuple(mine[k] for k in FIELDS) != tuple(rep_l["overall"][k] for k in FIELDS):
            print(f"  bug: label {lab} row differs from its spans evaluated alone")
        rows.append((lab, mine, ev["entities"][lab][nerv_name], gl,
                     {a: [s[:3] for s in pl[a]] for a in arts}, pairs_l))
    out = []
    for name, mine, theirs, gs, ps, prs in rows:
        m = tuple(mine[k] for k in FIELDS)
        t = tuple(getattr(theirs, k) for k in FIELDS)
        labels = defaultdict(int)
        summed = [0] * len(FIELDS)
        for a in arts:
            want, invalid = sentlab_article_counts(mode, frac, gs[a], ps[a], prs.get(a, []))
            if invalid:
                labels["bug"] += 1
                continue
            summed = [x + y for x, y in zip(summed, want)]
            if want == nerv_counts(strategy, gs[a], ps[a]):
                continue
            verdict, _why = explain(mode, frac, strategy, gs[a], ps[a], prs.get(a, []), rng)
            labels[verdict] += 1
        if tuple(summed) != m:
            print(f"  bug: {name}: sentlab's --errors pairs give {tuple(summed)}, its report {m}")
            labels["bug"] += 1
        diff = tuple(x - y for x, y in zip(m, t))
        out.append((name, m, t, diff, dict(labels)))
    return out


def main():
    global SENTLAB
    SENTLAB, work = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    rng = random.Random(seed)
    sents, gold, pred = generate(work, n, rng)
    n_gold = sum(len(v) for v in gold.values())
    n_pred = sum(len(v) for v in pred.values())
    import importlib.metadata as md
    print(f"nervaluate {md.version('nervaluate')}; {n} articles, {n_gold} gold spans, "
          f"{n_pred} predicted spans, seed {seed}")
    print("counts as (correct, incorrect, partial, missed, spurious); diff = sentlab - nervaluate;")
    print("articles that differ, by label")
    bugs = 0
    for frac in [None, 0.5]:
        for mode in MODES:
            print(f"--match {mode}" + ("" if frac is None else f" --min-overlap-fraction {frac}"))
            for name, m, t, diff, labels in compare(work, sents, gold, pred, mode, frac, rng):
                bugs += labels.get("bug", 0)
                verdict = ", ".join(f"{v} {k}" for k, v in sorted(labels.items())) or "equal"
                print(f"  {name:8} sentlab {m}  nervaluate {t}  diff {diff}  [{verdict}]")
    print(f"articles labelled bug: {bugs}")
    sys.exit(1 if bugs else 0)


if __name__ == "__main__":
    main()
