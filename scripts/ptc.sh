#!/usr/bin/env bash
# Split, extract with the default rule pack, and evaluate on a corpus in the PTC layout
# (PTC_DIR/articles/*.txt, PTC_DIR/labels/*.labels); prints the per-label table.
# usage: scripts/ptc.sh [--lines] PTC_DIR [RULES=datasets/rules/propaganda.toml] [OUT_DIR]
# e.g.   scripts/ptc.sh ptc-train   (a directory of the PTC release: articles/, labels/)
# --lines: score on the corpus's own lines (split --one-per-line: each line of an
#          article's body is one sentence) instead of sentlab's sentences.
set -euo pipefail
split_flags=()
args=()
for a in "$@"; do
  case $a in
    --lines) split_flags+=(--one-per-line) ;;
    *) args+=("$a") ;;
  esac
done
set -- ${args[@]+"${args[@]}"}
ptc=${1:?usage: scripts/ptc.sh [--lines] PTC_DIR [RULES] [OUT_DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
rules=${2:-$root/datasets/rules/propaganda.toml}
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked --all-targets -q)
[ -d "$ptc/articles" ] && [ -d "$ptc/labels" ] || { echo "$ptc: expected articles/ and labels/" >&2; exit 1; }
if [ -n "${3:-}" ]; then out=$3; mkdir -p "$out"; else out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi
"$bin" split --quiet ${split_flags[@]+"${split_flags[@]}"} "$ptc/articles" -o "$out/sentences.csv"
"$bin" extract --quiet --rules "$rules" "$out/sentences.csv" -o "$out/predictions.csv"
"$bin" eval --gold "$ptc/labels" --pred "$out/predictions.csv" --sentences "$out/sentences.csv"
