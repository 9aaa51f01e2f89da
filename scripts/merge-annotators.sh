#!/usr/bin/env bash
# `labels merge` peak memory and wall time against the number of annotators: a sentence table
# of SENTENCES sentences (one article) and one long CSV (`annotator,sentence_id,label`) in
# which each of N annotators sees every sentence and gives it one of LABELS labels with
# probability 0.3 (else a "seen, no label" row). Seeded, so runs are comparable.
# usage: scripts/merge-annotators.sh [ANNOTATOR_COUNTS="100 500 1000 4000"] [SENTENCES=20] [LABELS=5]
# The report and the agreement table go to /dev/null; pairwise rows are
# annotator pairs x (labels + 1).
set -euo pipefail
counts=${1:-"100 500 1000 4000"}
sentences=${2:-20}
labels=${3:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked -q)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
printf '%-10s %-10s %-12s %8s %12s  %s\n' annotators sentences pair_rows wall_s peak_rss_mb exit
for n in $counts; do
  python3 - "$work" "$n" "$sentences" "$labels" <<'EOF'
import random, sys
work, n, m, nl = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(n)
with open(f"{work}/s.csv", "w") as f:
    f.write("article_id,sentence_id,index,paragraph,kind,start,end,text\n")
    for i in range(m):
        f.write(f"a,a:{i},{i},{i},{'title' if i == 0 else 'body'},{2 * i},{2 * i + 1},s\n")
with open(f"{work}/labels.csv", "w") as f:
    f.write("annotator,sentence_id,label\n")
    for a in range(n):
        for i in range(m):
            label = f"L{rng.randrange(nl)}" if rng.random() < 0.3 else ""
            f.write(f"ann{a:05d},a:{i},{label}\n")
EOF
  rc=0
  /usr/bin/time -v -o "$work/time.txt" "$bin" labels merge --sentences "$work/s.csv" \
    "$work/labels.csv" -o /dev/null --report "$work/report.json" 2> "$work/err.txt" || rc=$?
  secs=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' |
    awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{printf "%.1f", $NF/1024}')
  printf '%-10s %-10s %-12s %8s %12s  %s\n' "$n" "$sentences" "$((n * (n - 1) / 2 * (labels + 1)))" \
    "$secs" "$rss" "$rc"
  [ "$rc" = 0 ] || grep -v '^label\|^overall\|^L[0-9]' "$work/err.txt" | head -3 >&2
done
