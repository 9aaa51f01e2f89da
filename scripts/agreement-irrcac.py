#!/usr/bin/env python3
"""Cross-checks the agreement figures of `sentlab labels merge` against the irrCAC package.

usage: scripts/agreement-irrcac.py [SENTLAB] [--work DIR] [--seed S]

SENTLAB is the binary (default target/release/sentlab). The script generates annotator
tables (seeded: the same seed gives the same files) in DIR (default a temporary directory,
removed at the end), runs `sentlab labels merge --report r.json` on them and computes the
same figures with irrCAC on the same items: the ratings of every (sentence, label) item,
1 = yes, 0 = no, missing where the annotator did not see the sentence. It prints the
largest absolute difference per figure and exits 1 if one exceeds 1e-9.

Compared, per label and pooled over the labels (the report's `gwet_ac1`):
  Gwet's AC1, multi-rater   CAC(ratings, categories=[0, 1]).gwet()
and per annotator pair, on the items both saw (the report's `cohen` rows):
  AC1                       CAC(pair ratings, categories=[0, 1]).gwet()
  PABAK                     CAC(pair ratings, categories=[0, 1]).bp()   (Brennan-Prediger
                            with 2 categories is 2 p_o - 1, PABAK)
  Cohen's kappa             CAC(pair ratings, categories=[0, 1]).conger() (2 raters)
and Krippendorff's alpha per label and pooled (CAC(...).krippendorff()).

Two data sets: "full", 3 annotators who saw every sentence; "partial", 5 annotators who saw
different articles (a --coverage file), so items have 0 to 5 raters. Six labels from rare
(1% of sentences) to common (50%), so the prevalence paradox shows (kappa low, AC1 high).

irrCAC (pinned to 0.4.4) is installed into target/irrcac-venv on the first run (needs PyPI);
the script then runs itself with that venv's python.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

IRRCAC = "irrCAC==0.4.4"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "target", "irrcac-venv")


def ensure_irrcac():
    try:
        import irrCAC  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.executable) == os.path.abspath(python):
        sys.exit("irrCAC is not importable in " + VENV)
    if not os.path.exists(python):
        print(f"installing {IRRCAC} into {VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    check = subprocess.run([python, "-c", "import irrCAC"], capture_output=True)
    if check.returncode != 0:
        subprocess.run(
            [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", IRRCAC],
            check=True,
        )
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


LABELS = [("Rare", 0.01), ("Scarce", 0.03), ("Few", 0.10), ("Some", 0.30), ("Half", 0.50), ("Odd", 0.02)]


def generate(work, name, n_articles, annotators, see_share, rng):
    """Writes the sentence table, one long CSV per annotator and (if some annotators saw
    only part of the articles) a coverage file; returns (sentences, seen, yes, files,
    coverage) with seen[a] the sentences annotator a saw and yes[(a, s)] its labels."""
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    sentences, articles = [], []
    with open(os.path.join(d, "sentences.csv"), "w") as f:
        f.write("article_id,sentence_id,index,paragraph,kind,start,end,text\n")
        for a in range(n_articles):
            aid = f"art{a:03d}"
            ids = []
            for i in range(20):
                sid = f"{aid}:{i}"
                kind = "title" if i == 0 else "body"
                f.write(f"{aid},{sid},{i},{i},{kind},{2 * i},{2 * i + 1},s\n")
                ids.append(sid)
            sentences.extend(ids)
            articles.append(ids)
    truth = {s: {lab for lab, p in LABELS if rng.random() < p} for s in sentences}
    seen, yes, files = {}, {}, []
    for ann in annotators:
        arts = [ids for ids in articles if rng.random() < see_share]
        seen[ann] = [s for ids in arts for s in ids]
        path = os.path.join(d, f"{ann}.csv")
        files.append(path)
        with open(path, "w") as f:
            f.write("sentence_id,label\n")
            for s in seen[ann]:
                labs = set()
                for lab, _ in LABELS:
                    if lab in truth[s]:
                        if rng.random() >= 0.15:
                            labs.add(lab)
                    elif rng.random() < 0.02:
                        labs.add(lab)
                yes[(ann, s)] = labs
                for lab in sorted(labs):
                    f.write(f"{s},{lab}\n")
                if not labs:
                    f.write(f"{s},\n")
    coverage = None
    if see_share < 1.0:
        coverage = os.path.join(d, "coverage.csv")
        with open(coverage, "w") as f:
            f.write("annotator,sentence_id\n")
            for ann in annotators:
                for s in seen[ann]:
                    f.write(f"{ann},{s}\n")
    return sentences, seen, yes, files, coverage


def run_sentlab(binary, work, name, files, coverage):
    d = os.path.join(work, name)
    cmd = [binary, "-q", "labels", "merge", "--sentences", os.path.join(d, "sentences.csv")]
    cmd += files
    if coverage:
        cmd += ["--coverage", coverage]
    report = os.path.join(d, "r.json")
    cmd += ["-o", os.path.join(d, "gold.csv"), "--report", report]
    subprocess.run(cmd, check=True)
    with open(report) as f:
        return json.load(f)


def ratings(sentences, annotators, seen, yes, labels):
    """A DataFrame of the items of `labels`: one row per (sentence, label) seen by at least
    one annotator, one column per annotator, 1.0 / 0.0 / NaN."""
    import numpy as np
    import pandas as pd

    seen_sets = {a: set(seen[a]) for a in annotators}
    rows = []
    for lab in labels:
        for s in sentences:
            row = [
                (1.0 if lab in yes[(a, s)] else 0.0) if s in seen_sets[a] else np.nan
                for a in annotators
            ]
            if not all(np.isnan(v) for v in row):
                rows.append(row)
    return pd.DataFrame(rows, columns=annotators)


def coefficient(cac_method):
    return float(cac_method()["est"]["coefficient_value"])


def check(name, report, sentences, annotators, seen, yes, diffs):
    from irrCAC.raw import CAC

    def cac(df):
        return CAC(df, categories=[0.0, 1.0], digits=15)

    used = [lab for lab, _ in LABELS if any(lab in v for v in yes.values())]
    rows = [("overall", used, report["overall"])]
    rows += [(r["label"], [r["label"]], r) for r in report["labels"]]
    compared = 0
    for label, labs, r in rows:
        df = ratings(sentences, annotators, seen, yes, labs)
        for key, method in [("gwet_ac1", "gwet"), ("krippendorff_alpha", "krippendorff")]:
            ours = r[key]["value"]
            if ours is None:
                continue
            theirs = coefficient(getattr(cac(df), method))
            diffs[key].append((abs(ours - theirs), f"{name} {label}: {ours} vs {theirs}"))
            compared += 1
        for p in r["cohen"]:
            pair = df[[p["a"], p["b"]]].dropna()
            assert len(pair) == p["items"], (name, label, p, len(pair))
            for key, method in [("ac1", "gwet"), ("pabak", "bp"), ("kappa", "conger")]:
                ours = p[key]
                if ours is None:
                    continue
                theirs = coefficient(getattr(cac(pair), method))
                diffs["pair " + key].append((abs(ours - theirs), f"{name} {label} {p['a']}/{p['b']}: {ours} vs {theirs}"))
                compared += 1
    return compared


def main():
    ensure_irrcac()
    import irrCAC

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sentlab", nargs="?", default=os.path.join(ROOT, "target", "release", "sentlab"))
    parser.add_argument("--work", help="directory for the generated files (kept)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp = None
    work = args.work
    if work is None:
        tmp = tempfile.TemporaryDirectory()
        work = tmp.name
    version = getattr(irrCAC, "__version__", None)
    if version is None:
        from importlib.metadata import version as v
        version = v("irrCAC")
    print(f"irrCAC {version}")
    keys = ["gwet_ac1", "pair ac1", "pair pabak", "pair kappa", "krippendorff_alpha"]
    diffs = {k: [] for k in keys}
    total = 0
    for name, n_articles, annotators, share in [
        ("full", 20, ["ana", "ben", "chloe"], 1.0),
        ("partial", 30, ["a1", "a2", "a3", "a4", "a5"], 0.6),
    ]:
        sentences, seen, yes, files, coverage = generate(work, name, n_articles, annotators, share, rng)
        report = run_sentlab(args.sentlab, work, name, files, coverage)
        n = check(name, report, sentences, annotators, seen, yes, diffs)
        total += n
        print(f"{name}: {len(sentences)} sentences, {len(annotators)} annotators, {n} figures compared")
    worst = 0.0
    for k in keys:
        if not diffs[k]:
            print(f"{k:20} nothing compared")
            continue
        d, where = max(diffs[k])
        worst = max(worst, d)
        print(f"{k:20} {len(diffs[k]):4} figures, max |sentlab - irrCAC| = {d:.3g}  ({where})")
    print(f"max absolute difference over {total} figures: {worst:.3g}")
    if tmp:
        tmp.cleanup()
    sys.exit(0 if worst <= 1e-9 else 1)


if __name__ == "__main__":
    main()
