#!/usr/bin/env bash
# Page size, wall time and peak RSS of `sentlab report`, and the page's render time in
# headless Chromium, on a corpus in the PTC layout (PTC_DIR/articles/article<ID>.txt,
# PTC_DIR/labels/article<ID>*.labels), replicated REPLICAS times under new article ids.
# usage: scripts/bench-report.sh PTC_DIR [REPLICAS=1]
# Pipeline as scripts/ptc.sh: split, extract with the built-in pack (--rules propaganda),
# gold from the span files (labels merge); then `report` is timed with /usr/bin/time -v and
# the page is rendered by scripts/report-browser-check.sh (needs chromium). Inputs and the
# page go to a temporary directory (kept with KEEP=1).
set -euo pipefail
ptc=${1:?usage: scripts/bench-report.sh PTC_DIR [REPLICAS]}
reps=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked -q)
[ -d "$ptc/articles" ] && [ -d "$ptc/labels" ] || { echo "$ptc: expected articles/ and labels/" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
out=$(mktemp -d)
[ "${KEEP:-}" = 1 ] && echo "inputs and page in $out" >&2 || trap 'rm -rf "$out"' EXIT
mkdir -p "$out/articles" "$out/labels"
# Replica r gets the ids ID followed by r on three digits: distinct for distinct (ID, r).
for ((r = 0; r < reps; r++)); do
  s=$(printf '%03d' "$r")
  for f in "$ptc"/articles/article*.txt; do
    id=$(basename "$f" .txt); id=${id#article}
    cp "$f" "$out/articles/article$id$s.txt"
  done
  for f in "$ptc"/labels/article*.labels; do
    b=$(basename "$f"); rest=${b#article}; id=${rest%%.*}; rest=${rest#"$id"}
    awk -v s="$s" 'BEGIN { FS = OFS = "\t" } NF { $1 = $1 s } { print }' "$f" \
      > "$out/labels/article$id$s$rest"
  done
done
articles=$(find "$out/articles" -name '*.txt' | wc -l)
"$bin" split --quiet "$out/articles" -o "$out/sentences.csv"
"$bin" extract --quiet --rules propaganda "$out/sentences.csv" -o "$out/predictions.csv"
"$bin" labels merge --quiet --sentences "$out/sentences.csv" "$out/labels" -o "$out/gold.csv"
sentences=$(($(wc -l < "$out/sentences.csv") - 1))
echo "cores: $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $articles articles ($reps x $(ls "$ptc"/articles/article*.txt | wc -l)), $sentences sentences, $(($(wc -l < "$out/predictions.csv") - 1)) predictions"
echo "command: sentlab report -q --sentences sentences.csv --gold gold.csv --pred predictions.csv -o report.html"
/usr/bin/time -v "$bin" report -q --sentences "$out/sentences.csv" --gold "$out/gold.csv" \
  --pred "$out/predictions.csv" -o "$out/report.html" 2> "$out/time.txt"
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/time.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time.txt")
echo "page size: $(stat -c %s "$out/report.html") bytes"
echo "report wall time: $wall (m:ss); peak RSS: $((rss / 1024)) MB"
if command -v chromium >/dev/null; then
  "$root/scripts/report-browser-check.sh" "$out/report.html" "$out/report.png" | sed 's/^/browser /'
else
  echo "browser: skipped (chromium is not on PATH)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
