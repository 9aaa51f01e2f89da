#!/usr/bin/env bash
# Split throughput and peak memory on a corpus built by replicating the given articles.
# usage: scripts/bench-split.sh CORPUS_DIR [SIZE_MB=64]
# e.g.   scripts/bench-split.sh news/ 64   (a directory of article .txt files)
set -euo pipefail
src=${1:?usage: scripts/bench-split.sh CORPUS_DIR [SIZE_MB]}
size_mb=${2:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/sentlab"
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked --all-targets -q)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Replicate the articles under new names until the corpus reaches SIZE_MB.
source "$root/scripts/replicate-corpus.sh"
replicate_corpus "$src" "$work/corpus" "$size_mb"
mb=$(awk "BEGIN{printf \"%.1f\", $bytes/1e6}")
echo "corpus: $i articles, $mb MB (text), machine: $(nproc) cores"
for t in 1 2; do
  /usr/bin/time -v "$bin" split --quiet --threads "$t" "$work/corpus" -o "$work/out.csv" 2> "$work/time.txt"
  secs=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
  rows=$(($(wc -l < "$work/out.csv") - 1)) # lines (sentences hold no line breaks by default)
  awk -v t="$t" -v s="$secs" -v b="$bytes" -v r="$rss" -v n="$rows" 'BEGIN{printf "split --threads %d: %.2f s, %.1f MB/s (%.1f MB/s per thread), %d sentence rows, peak RSS %.1f MB\n", t, s, b/1e6/s, b/1e6/s/t, n, r/1024}'
done
