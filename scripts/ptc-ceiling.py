#!/usr/bin/env python3
"""How far can sentence-level scores go on a PTC-layout corpus? A learned reference point
for the default rule pack.

Scores, by sentence and label (a sentence carries a label when a gold span shares at least
one code point with it, as `sentlab eval` projects), with 5-fold cross-validation by
article (articles sorted by id, fold = position mod 5):
  - the rule pack as it is (the predictions of `sentlab extract`);
  - a per-label logistic regression on TF-IDF word unigrams and bigrams (a learned lexicon);
  - the same regression with the pack's rule hits and the sentence length as extra features.
The regressions are trained on four folds and scored on the fifth; the probability threshold
is swept and every threshold is reported, so the best row is optimistic (chosen on the
scored folds).

usage: scripts/ptc.sh PTC_DIR RULES OUT_DIR   # writes OUT_DIR/sentences.csv, predictions.csv
       scripts/ptc-ceiling.py PTC_DIR OUT_DIR
needs scikit-learn (tested with 1.9.1), e.g. in the venv scripts/bench-eval.sh sets up:
       python3 -m venv target/bench-venv && target/bench-venv/bin/pip install scikit-learn
       target/bench-venv/bin/python scripts/ptc-ceiling.py PTC_DIR OUT_DIR
"""
import collections
import csv
import os
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

FOLDS = 5
THRESHOLDS = (0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20)


def read_sentences(path):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["start"], r["end"] = int(r["start"]), int(r["end"])
    return rows


def read_gold(ptc, sents):
    by_article = collections.defaultdict(list)
    for i, s in enumerate(sents):
        by_article[s["article_id"]].append(i)
    gold = [set() for _ in sents]
    labels = set()
    label_dir = os.path.join(ptc, "labels")
    for name in sorted(os.listdir(label_dir)):
        with open(os.path.join(label_dir, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 4:
                    sys.exit(f"{name}:{n}: expected article_id, label, start, end (tab-separated)")
                article, label, start, end = parts[0], parts[1], int(parts[2]), int(parts[3])
                labels.add(label)
                for i in by_article[article]:
                    s = sents[i]
                    if min(end, s["end"]) - max(start, s["start"]) >= 1:
                        gold[i].add(label)
    return gold, sorted(labels)


def read_predictions(path, sents):
    index = {s["sentence_id"]: i for i, s in enumerate(sents)}
    labels = [set() for _ in sents]
    rules = [set() for _ in sents]
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            i = index[r["sentence_id"]]
            labels[i].add(r["label"])
            rules[i].add(r["rule_id"])
    return labels, rules


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(gold, pred):
    """Micro-F1 over the (sentence, label) pairs and F1 of "any technique"."""
    tp = fp = fn = atp = afp = afn = 0
    for g, p in zip(gold, pred):
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        atp += bool(g) and bool(p)
        afp += (not g) and bool(p)
        afn += bool(g) and not p
    return f1(tp, fp, fn), f1(atp, afp, afn)


def cross_validated(texts, extra, y, folds):
    """Out-of-fold probabilities of a per-label logistic regression."""
    probs = np.zeros(y.shape)
    for k in range(FOLDS):
        train, test = folds != k, folds == k
        tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=3, sublinear_tf=True)
        x_train = tfidf.fit_transform([t for t, m in zip(texts, train) if m])
        x_test = tfidf.transform([t for t, m in zip(texts, test) if m])
        if extra is not None:
            x_train = sp.hstack([x_train, extra[train]]).tocsr()
            x_test = sp.hstack([x_test, extra[test]]).tocsr()
        for j in range(y.shape[1]):
            model = LogisticRegression(C=2.0, max_iter=3000).fit(x_train, y[train, j])
            probs[test, j] = model.predict_proba(x_test)[:, 1]
    return probs


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    ptc, out = sys.argv[1], sys.argv[2]
    sents = read_sentences(os.path.join(out, "sentences.csv"))
    gold, labels = read_gold(ptc, sents)
    pack, rules = read_predictions(os.path.join(out, "predictions.csv"), sents)
    articles = sorted({s["article_id"] for s in sents})
    fold_of = {a: k % FOLDS for k, a in enumerate(articles)}
    folds = np.array([fold_of[s["article_id"]] for s in sents])
    y = np.array([[l in g for l in labels] for g in gold])
    texts = [s["text"] for s in sents]
    rule_ids = sorted(set().union(*rules))
    extra = sp.csr_matrix(
        np.array(
            [[float(r in hit) for r in rule_ids] + [min(len(t.split()), 60) / 30]
             for hit, t in zip(rules, texts)]
        )
    )
    print(f"{len(articles)} articles, {len(sents)} sentences, {len(labels)} labels, "
          f"{int(y.sum())} (sentence, label) pairs, {FOLDS}-fold by article")
    print(f"{'model':<34} {'threshold':>9} {'micro-F1':>9} {'any-F1':>7}")
    micro, any_ = score(gold, pack)
    print(f"{'rule pack':<34} {'-':>9} {micro:>9.3f} {any_:>7.3f}")
    for name, features in (("learned words", None), ("learned words + pack cues", extra)):
        probs = cross_validated(texts, features, y, folds)
        for t in THRESHOLDS:
            pred = [{labels[j] for j in np.nonzero(row >= t)[0]} for row in probs]
            micro, any_ = score(gold, pred)
            print(f"{name:<34} {t:>9.2f} {micro:>9.3f} {any_:>7.3f}")


if __name__ == "__main__":
    main()
