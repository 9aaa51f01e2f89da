#!/usr/bin/env bash
# `labels merge` wall time and peak memory on generated data: a sentence table of SENTENCES
# sentences (20 per article) and 5 annotator long-CSV files of ROWS_PER_ANNOTATOR rows each.
# usage: scripts/bench-merge.sh [ROWS_PER_ANNOTATOR=2000000] [SENTENCES=500000]
# e.g.   scripts/bench-merge.sh 20000 10000   (quick check)
# Targets at the default size: < 30 s wall, < 4 GB peak RSS.
set -euo pipefail
rows=${1:-2000000}
sentences=${2:-500000}
annotators=5
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked --all-targets -q)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

# Seeded generator, scripts/gen-merge-data.py. Each annotator labels ROWS distinct (sentence,
# label) pairs, sorted by sentence: 80% drawn from a shared "true" set of ROWS pairs (so the
# annotators agree in part), 20% elsewhere. Labels are the 14 PTC labels, those with commas quoted.
gen_start=$(date +%s.%N)
python3 "$root/scripts/gen-merge-data.py" "$root/datasets/labels.toml" "$work" "$rows" "$sentences" "$annotators"
gen_secs=$(awk -v a="$gen_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
echo "generated in $gen_secs s: $sentences sentences over $((sentences / 20)) articles, $annotators annotators x $rows rows ($(du -sh "$work" | cut -f1) on disk)"

/usr/bin/time -v -o "$work/time.txt" "$bin" labels merge --sentences "$work/s.csv" \
  "$work"/a{1..5}.csv -o "$work/gold.csv" --report "$work/agreement.json" --quiet \
  2> "$work/err.txt" || { rc=$?; cat "$work/err.txt" >&2; echo "sentlab labels merge failed (exit status $rc)" >&2; exit 1; }
secs=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
cpu=$(grep 'Percent of CPU' "$work/time.txt" | awk '{print $NF}')
cpus=$(awk -F': ' '/User time|System time/ {t += $2} END {printf "%.2f", t}' "$work/time.txt")
gold=$(($(wc -l < "$work/gold.csv") - 1))
total=$((rows * annotators))
agree=$(python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))["overall"]
print("%d items, percent agreement %.4f, Fleiss kappa %.4f" % (o["items"], o["percent_agreement"]["value"], o["fleiss_kappa"]["value"]))' "$work/agreement.json")
echo "labels merge (majority, $annotators annotators): $gold gold rows; agreement: $agree"
awk -v s="$secs" -v n="$total" -v r="$rss" -v c="$cpu" -v u="$cpus" 'BEGIN{
  printf "merge: %.2f s wall (%s s user+sys CPU, %s), %d annotator rows, %.2f M rows/s, peak RSS %.1f MB (targets < 30 s, < 4096 MB)\n", s, u, c, n, n/s/1e6, r/1024 }'
awk -v s="$secs" -v u="$cpus" -v n="$total" -v r="$rss" -v a="$annotators" -v k="$rows" -v ns="$sentences" -v c="$(nproc)" 'BEGIN{
  printf "RESULT merge: %d x %d rows, %d sentences: %.2f s (%s s CPU), %.2f M rows/s, peak RSS %.0f MB [%s] (%d cores)\n",
    a, k, ns, s, u, n/s/1e6, r/1024, (s < 30 && r/1024 < 4096) ? "within targets" : "OVER TARGET", c }'
