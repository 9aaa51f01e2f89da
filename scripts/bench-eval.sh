#!/usr/bin/env bash
# `eval` wall time and peak memory on generated data (a sentence table of SENTENCES sentences,
# gold and prediction tables of about ROWS rows each), then the same micro P/R/F1 computed with
# scikit-learn's precision_recall_fscore_support, its time, and the check that both agree.
# usage: scripts/bench-eval.sh [SENTENCES=20000000] [ROWS=10000000]
# e.g.   scripts/bench-eval.sh 200000 100000   (quick check)
# Targets at the default size: sentlab < 20 s wall, < 4 GB peak RSS.
# The scikit-learn venv is cached in ${BENCH_VENV:-target/bench-venv} (needs PyPI the first time).
set -euo pipefail
sentences=${1:-20000000}
rows=${2:-10000000}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked --all-targets -q)
venv=${BENCH_VENV:-$root/target/bench-venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

# run CMD...: /usr/bin/time -v CMD; sets $secs (wall seconds), $rss_mb (peak RSS, MB), $cpu.
run() {
  /usr/bin/time -v -o "$work/time.txt" "$@" 2> "$work/err.txt" ||
    { rc=$?; cat "$work/err.txt" >&2; echo "failed (exit status $rc): $*" >&2; exit 1; }
  secs=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss_mb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{printf "%.1f", $NF/1024}')
  cpu=$(grep 'Percent of CPU' "$work/time.txt" | awk '{print $NF}')
  cpus=$(awk -F': ' '/User time|System time/ {t += $2} END {printf "%.2f", t}' "$work/time.txt")
}

# Seeded generator, plain python3, written in chunks. 20 sentences per article. Candidate
# (sentence, label) pairs are drawn in order with geometric gaps (about ROWS/0.8 of them); each is
# a true positive (60%), a false negative (20%), a false positive (16.2%) or nothing. 5% of the
# prediction rows are repeated by a second rule, as extract does when two rules of a label fire,
# so the prediction table has about ROWS rows and the gold table about ROWS rows.
gen_start=$(date +%s.%N)
python3 - "$root/datasets/labels.toml" "$work" "$sentences" "$rows" <<'EOF'
import math, random, sys, tomllib
schema, work, n_sent, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(schema, "rb") as f:
    labels = [entry["name"] for entry in tomllib.load(f)["label"]]
L = len(labels)
q = ['"%s"' % l if ',' in l else l for l in labels]
per_art = 20
CH = 200000
with open(f"{work}/s.csv", "w") as f:
    f.write("article_id,sentence_id,index,paragraph,kind,start,end,text\n")
    tails = [f":{i},{i},{i},{'title' if i == 0 else 'body'},{2 * i},{2 * i + 1},s\n" for i in range(per_art)]
    buf = []
    for a in range((n_sent + per_art - 1) // per_art):
        aid = f"a{a:07d}"
        n = min(per_art, n_sent - a * per_art)
        buf.append("".join([f"{aid},{aid}{t}" for t in tails[:n]]))
        if len(buf) >= CH // per_art:
            f.write("".join(buf)); buf.clear()
    f.write("".join(buf))
pairs = n_sent * L
cand = rows / 0.8
mean_gap = pairs / cand
if mean_gap < 1.5:
    sys.exit(f"ROWS={rows} is too many for {n_sent} sentences x {L} labels")
logq = math.log(1 - 1 / mean_gap)
rng = random.Random(42)
rnd, log = rng.random, math.log
g = open(f"{work}/g.csv", "w"); p = open(f"{work}/p.csv", "w")
g.write("sentence_id,label\n"); p.write("sentence_id,label,rule_id,start,end,match\n")
gb, pb = [], []
pos = -1
while True:
    pos += int(log(1.0 - rnd()) / logq) + 1
    if pos >= pairs:
        break
    r = rnd()
    if r >= 0.962:
        continue
    s, l = divmod(pos, L)
    a, i = divmod(s, per_art)
    sid = f"a{a:07d}:{i}"
    if r < 0.8:
        gb.append(f"{sid},{q[l]}\n")
    if r < 0.6 or r >= 0.8:
        pb.append(f"{sid},{q[l]},rule-{l},{2 * i},{2 * i + 1},s\n")
        if rnd() < 0.05:
            pb.append(f"{sid},{q[l]},rule-{l}-b,{2 * i},{2 * i + 1},s\n")
    if len(gb) >= CH:
        g.write("".join(gb)); gb.clear()
    if len(pb) >= CH:
        p.write("".join(pb)); pb.clear()
g.write("".join(gb)); p.write("".join(pb))
g.close(); p.close()
EOF
gen_secs=$(awk -v a="$gen_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
gold_rows=$(($(wc -l < "$work/g.csv") - 1))
pred_rows=$(($(wc -l < "$work/p.csv") - 1))
echo "generated in $gen_secs s: $sentences sentences, $gold_rows gold rows, $pred_rows prediction rows ($(du -sh "$work" | cut -f1) on disk)"

run "$bin" eval --gold "$work/g.csv" --pred "$work/p.csv" --sentences "$work/s.csv" --format json --quiet -o "$work/report.json"
sl_secs=$secs sl_rss=$rss_mb sl_cpu=$cpus
echo "sentlab eval: $sl_secs s wall ($cpus s user+sys CPU, $cpu), peak RSS $sl_rss MB (targets < 20 s, < 4096 MB)"

# scikit-learn: the same computation in a python process (imports, reading the three CSVs,
# building the sparse indicator matrices, precision_recall_fscore_support), timed as a whole.
if ! "$venv/bin/python" -c 'import sklearn, numpy, pandas, scipy' 2>/dev/null; then
  echo "setting up $venv (scikit-learn, numpy, pandas) ..."
  # keep a working venv: the peer benchmarks install their own tools into it too
  "$venv/bin/python" -c '' 2>/dev/null || { rm -rf "$venv"; python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q --disable-pip-version-check scikit-learn numpy pandas
fi
cat > "$work/sk.py" <<'EOF'
import json, sys, time
t0 = time.perf_counter()
import numpy as np, pandas as pd, scipy.sparse as sp
import sklearn
from sklearn.metrics import precision_recall_fscore_support
work = sys.argv[1]
sent = pd.Index(pd.read_csv(f"{work}/s.csv", usecols=["sentence_id"], dtype=str)["sentence_id"])
gold = pd.read_csv(f"{work}/g.csv", dtype={"sentence_id": str, "label": "category"}, keep_default_na=False)
pred = pd.read_csv(f"{work}/p.csv", usecols=["sentence_id", "label"], dtype={"sentence_id": str, "label": "category"}, keep_default_na=False)
t1 = time.perf_counter()
labels = pd.Index(sorted(set(gold["label"].cat.categories) | set(pred["label"].cat.categories)))
def indicator(df):
    r = sent.get_indexer(df["sentence_id"])
    c = labels.get_indexer(df["label"].astype(str))
    ok = r >= 0
    m = sp.csr_matrix((np.ones(int(ok.sum()), dtype=np.int32), (r[ok], c[ok])), shape=(len(sent), len(labels)))
    m.data[:] = 1  # duplicates (two rules, one label) were summed: binarize
    return m
y_true, y_pred = indicator(gold), indicator(pred)
t_ind = time.perf_counter()
out = {}
for avg in ("micro", "macro"):
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average=avg, zero_division=0)
    out[avg] = {"precision": float(p), "recall": float(r), "f1": float(f)}
t2 = time.perf_counter()
out["read_s"], out["indicator_s"], out["metric_s"], out["sklearn"] = t1 - t0, t_ind - t1, t2 - t_ind, sklearn.__version__
json.dump(out, open(f"{work}/sk.json", "w"))
EOF
run "$venv/bin/python" "$work/sk.py" "$work"
sk_secs=$secs sk_rss=$rss_mb sk_cpu=$cpus
echo "scikit-learn: $sk_secs s wall ($cpus s user+sys CPU, $cpu), peak RSS $sk_rss MB"

python3 - "$work/report.json" "$work/sk.json" "$sl_secs" "$sk_secs" "$sl_rss" "$sk_rss" "$sentences" "$gold_rows" "$pred_rows" "$(nproc)" "$sl_cpu" "$sk_cpu" <<'EOF2'
import json, sys
sl, sk = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sl_s, sk_s, sl_rss, sk_rss = map(float, sys.argv[3:7])
n_sent, n_gold, n_pred, cores = map(int, sys.argv[7:11])
sl_cpu, sk_cpu = map(float, sys.argv[11:13])
print(f"scikit-learn {sk['sklearn']}: imports + read CSVs (pandas) {sk['read_s']:.2f} s, id lookup + sparse indicator matrices {sk['indicator_s']:.2f} s, "
      f"precision_recall_fscore_support micro+macro {sk['metric_s']:.2f} s (inside the {sk_s:.2f} s process)")
worst = 0.0
for avg in ("micro", "macro"):
    for k in ("precision", "recall", "f1"):
        a, b = sl[avg][k], sk[avg][k]
        d = abs(a - b) if a is not None else float("inf")
        if avg == "micro":
            worst = max(worst, d)
        print(f"{avg:5} {k:9}  sentlab {a!r:<22} sklearn {b!r:<22} |diff| {d:.1e}")
print(f"micro tp/fp/fn (sentlab): {sl['micro']['tp']}/{sl['micro']['fp']}/{sl['micro']['fn']}")
ok = worst <= 1e-9
target = "within targets" if sl_s < 20 and sl_rss < 4096 else "OVER TARGET"
print(f"micro P/R/F1 agree to 1e-9: {'yes' if ok else 'NO'} (max |diff| {worst:.1e})")
print(f"RESULT eval: {n_sent} sentences, {n_gold} gold / {n_pred} pred rows: sentlab {sl_s:.2f} s ({sl_cpu:.1f} s CPU), peak RSS {sl_rss:.0f} MB [{target}]; "
      f"sklearn {sk_s:.2f} s ({sk_cpu:.1f} s CPU), {sk_rss:.0f} MB; sklearn/sentlab {sk_s / sl_s:.1f}x; micro agree {'yes' if ok else 'NO'} ({cores} cores)")
sys.exit(0 if ok else 1)
EOF2
