#!/usr/bin/env bash
# Majority merge against a plain pandas vote, in one run, on generated annotator files:
# ANNOTATORS long-CSV files (sentence_id,label) of ROWS rows each and a sentence table of
# SENTENCES sentences (20 per article), made by scripts/gen-merge-data.py as in bench-merge.sh.
# - `sentlab labels merge` (gold table and agreement report, as bench-merge.sh runs it);
# - pandas in its own python process: read each CSV, concat with an annotator column, group by
#   (sentence_id, label), count the votes, keep count > ANNOTATORS/2, write the CSV;
# each the whole process under /usr/bin/time -v, wall time best of 3, highest peak RSS of the 3.
# Both gold tables are compared (same set of (sentence_id, label) rows).
# Targets: sentlab >= 4x faster than pandas, sentlab peak RSS < 300 MB.
# usage: scripts/bench-merge-peers.sh [ROWS=1000000] [ANNOTATORS=5] [SENTENCES=ROWS/2]
# e.g.   scripts/bench-merge-peers.sh 20000 5   (quick check)
# pandas is installed into the venv ${BENCH_VENV:-target/bench-venv} (needs PyPI the first time).
set -euo pipefail
rows=${1:-1000000}
annotators=${2:-5}
sentences=${3:-$((rows / 2))}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked --all-targets -q)
venv=${BENCH_VENV:-$root/target/bench-venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

if ! "$venv/bin/python" -c 'import pandas' 2>/dev/null; then
  echo "installing pandas into $venv ..."
  "$venv/bin/python" -c '' 2>/dev/null || { rm -rf "$venv"; python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q --disable-pip-version-check pandas ||
    { echo "pandas: NOT AVAILABLE: 'pip install pandas' failed (error above)" >&2; exit 1; }
fi

gen_start=$(date +%s.%N)
python3 "$root/scripts/gen-merge-data.py" "$root/datasets/labels.toml" "$work" "$rows" "$sentences" "$annotators"
gen_secs=$(awk -v a="$gen_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
files=()
for k in $(seq 1 "$annotators"); do files+=("$work/a$k.csv"); done
echo "generated in $gen_secs s: $sentences sentences, $annotators annotators x $rows rows ($(du -sh "$work" | cut -f1) on disk)"

# best3 NAME CMD...: runs CMD 3 times under /usr/bin/time -v; sets NAME_secs (best wall time),
# NAME_rss (highest peak RSS, MB), NAME_cpu (user+sys seconds of the best run).
best3() {
  local name=$1 best="" rss=0 cpu="" s r u; shift
  for _ in 1 2 3; do
    /usr/bin/time -v -o "$work/time.txt" "$@" 2> "$work/err.txt" ||
      { rc=$?; cat "$work/err.txt" >&2; echo "failed (exit status $rc): $*" >&2; exit 1; }
    s=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    r=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    u=$(awk -F': ' '/User time|System time/ {t += $2} END {printf "%.2f", t}' "$work/time.txt")
    if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN{ exit !(a < b) }'; then best=$s cpu=$u; fi
    [ "$r" -gt "$rss" ] && rss=$r
  done
  printf -v "${name}_secs" '%s' "$best"
  printf -v "${name}_rss" '%s' "$(awk -v r="$rss" 'BEGIN{printf "%.1f", r/1024}')"
  printf -v "${name}_cpu" '%s' "$cpu"
}

best3 sl "$bin" labels merge --sentences "$work/s.csv" "${files[@]}" \
  -o "$work/gold.csv" --report "$work/agreement.json" --quiet
echo "sentlab labels merge (majority, gold + agreement report): $sl_secs s wall ($sl_cpu s user+sys CPU), peak RSS $sl_rss MB"

cat > "$work/vote.py" <<'EOF'
# A plain pandas majority vote over long-CSV annotator files.
import sys
import pandas as pd
out, files = sys.argv[1], sys.argv[2:]
frames = [pd.read_csv(f, dtype=str, keep_default_na=False).assign(annotator=k) for k, f in enumerate(files)]
df = pd.concat(frames, ignore_index=True)
# Each annotator's (sentence_id, label) pairs are distinct in these files: a row is a vote.
votes = df.groupby(["sentence_id", "label"]).size().reset_index(name="votes")
gold = votes[votes["votes"] > len(files) / 2]
gold[["sentence_id", "label"]].to_csv(out, index=False)
EOF
best3 pd "$venv/bin/python" "$work/vote.py" "$work/pandas.csv" "${files[@]}"
pd_ver=$("$venv/bin/python" -c 'import pandas; print(pandas.__version__)')
echo "pandas $pd_ver majority vote (read, concat, groupby, filter, write): $pd_secs s wall ($pd_cpu s user+sys CPU), peak RSS $pd_rss MB"

# Same gold rows? (sets of sentence_id,label; both files quote labels that hold commas)
same=$(python3 - "$work/gold.csv" "$work/pandas.csv" <<'EOF'
import csv, sys
def rows(p):
    with open(p, newline="") as f:
        r = csv.reader(f)
        h = next(r)
        i, j = h.index("sentence_id"), h.index("label")
        return {(x[i], x[j]) for x in r}
a, b = rows(sys.argv[1]), rows(sys.argv[2])
print(f"{'yes' if a == b else 'NO'} ({len(a)} sentlab rows, {len(b)} pandas rows, {len(a ^ b)} differ)")
EOF
)
echo "same gold rows: $same"

awk -v s="$sl_secs" -v p="$pd_secs" -v r="$sl_rss" -v pr="$pd_rss" -v a="$annotators" -v k="$rows" \
    -v ns="$sentences" -v c="$(nproc)" -v same="$same" 'BEGIN{
  x = p / s
  tx = (x >= 4) ? "met" : "NOT MET"
  tr = (r < 300) ? "met" : "NOT MET"
  printf "pandas / sentlab: %.2fx (target >= 4x: %s); sentlab peak RSS %.0f MB (target < 300 MB: %s)\n", x, tx, r, tr
  printf "RESULT merge-peers: %d x %d rows, %d sentences: sentlab %.2f s, %.0f MB; pandas %.2f s, %.0f MB; pandas/sentlab %.2fx [target >= 4x: %s]; sentlab RSS [target < 300 MB: %s]; same gold: %s (%d cores)\n",
    a, k, ns, s, r, p, pr, x, tx, tr, same, c }'
case $same in yes*) ;; *) exit 1 ;; esac
