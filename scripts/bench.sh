#!/usr/bin/env bash
# All benchmarks at their default sizes: split, split of JSON Lines and CSV, extract, merge,
# eval, then split and merge against their peers (blingfire, pandas); then their RESULT lines.
# usage: scripts/bench.sh CORPUS_DIR   (a directory of article .txt files; relative paths from
# the repo root too)
# Takes several minutes and a few GB of temp space (the eval tables); the eval benchmark sets up
# a scikit-learn venv in ${BENCH_VENV:-target/bench-venv} on its first run (needs PyPI), and the
# peer benchmarks add blingfire and pandas to it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:?usage: scripts/bench.sh CORPUS_DIR}
[ -d "$corpus" ] || corpus="$root/$corpus"
[ -d "$corpus" ] || { echo "no corpus directory: $1" >&2; exit 1; }
corpus=$(cd "$corpus" && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked --all-targets -q)
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "machine: $(nproc) cores (nproc), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%F %T') UTC"
failed=()
bench() { # NAME SCRIPT ARGS...
  local name=$1; shift
  echo; echo "=== $name: $*"
  if ! "$@" 2>&1 | tee "$logs/$name.log"; then failed+=("$name"); fi
}
bench split "$root/scripts/bench-split.sh" "$corpus"
bench split-jsonl "$root/scripts/bench-split-jsonl.sh"
bench extract "$root/scripts/bench-extract.sh" "$corpus"
bench merge "$root/scripts/bench-merge.sh"
bench eval "$root/scripts/bench-eval.sh"
bench split-peers "$root/scripts/bench-split-peers.sh" "$corpus"
bench merge-peers "$root/scripts/bench-merge-peers.sh"

echo; echo "=== results ($(nproc) cores; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
# bench-split.sh prints no RESULT line: summarise its per-thread lines.
split_result=$(grep '^split --threads' "$logs/split.log" | sed 's/^split //' | paste -sd';' - | sed 's/;/; /g' || true)
[ -n "$split_result" ] && echo "RESULT split: $split_result"
for name in split-jsonl extract merge eval split-peers merge-peers; do grep -h '^RESULT ' "$logs/$name.log" || true; done
echo "nproc: $(nproc)"
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED: ${failed[*]}" >&2; exit 1; fi
