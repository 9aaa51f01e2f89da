#!/usr/bin/env python3
"""Annotator label files for the merge benchmarks (scripts/bench-merge.sh, bench-merge-peers.sh).

usage: gen-merge-data.py LABELS_TOML WORK_DIR ROWS_PER_ANNOTATOR SENTENCES ANNOTATORS

Writes WORK_DIR/s.csv, a sentence table of SENTENCES sentences (20 per article), and
WORK_DIR/a1.csv .. aN.csv, one long CSV (sentence_id,label) per annotator. Seeded: the same
arguments give the same files. Each annotator labels ROWS distinct (sentence, label) pairs,
sorted by sentence: 80% drawn from a shared "true" set of ROWS pairs (so the annotators agree
in part), 20% elsewhere. Labels are those of LABELS_TOML, those with commas quoted.
"""
import random, sys, tomllib
schema, work, rows, n_sent, n_ann = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
with open(schema, "rb") as f:
    labels = [entry["name"] for entry in tomllib.load(f)["label"]]
L = len(labels)
qlabels = ['"%s"' % l if ',' in l else l for l in labels]
per_art = 20
pairs = n_sent * L
if rows > 0.75 * pairs:
    sys.exit(f"ROWS_PER_ANNOTATOR={rows} is too many for {n_sent} sentences x {L} labels")
rng = random.Random(42)
sids = []
with open(f"{work}/s.csv", "w") as f:
    f.write("article_id,sentence_id,index,paragraph,kind,start,end,text\n")
    buf = []
    for s in range(n_sent):
        a, i = divmod(s, per_art)
        aid = f"a{a:07d}"
        sid = f"{aid}:{i}"
        sids.append(sid)
        buf.append(f"{aid},{sid},{i},{i},{'title' if i == 0 else 'body'},{2 * i},{2 * i + 1},s\n")
        if len(buf) >= 100000:
            f.write("".join(buf)); buf.clear()
    f.write("".join(buf))
base = rng.sample(range(pairs), rows)
base_set = set(base)
keep = int(rows * 0.8)
for k in range(1, n_ann + 1):
    chosen = rng.sample(base, keep)
    extra = set()
    while len(extra) < rows - keep:
        p = rng.randrange(pairs)
        if p not in base_set:
            extra.add(p)
    chosen.extend(extra)
    chosen.sort()
    with open(f"{work}/a{k}.csv", "w") as f:
        f.write("sentence_id,label\n")
        for j in range(0, len(chosen), 200000):
            f.write("".join([f"{sids[p // L]},{qlabels[p % L]}\n" for p in chosen[j:j + 200000]]))
