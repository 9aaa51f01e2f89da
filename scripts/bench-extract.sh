#!/usr/bin/env bash
# Extract throughput, peak memory and rule compilation time on a corpus built by replicating
# the given articles, then the scaling of a single lexicon rule with 10, 1,000 and 10,000 entries
# (with matches growing with the entries, and with a fixed set of matches).
# usage: scripts/bench-extract.sh CORPUS_DIR [SIZE_MB=50]
# e.g.   scripts/bench-extract.sh news/ 50   (a directory of article .txt files)
# Throughput is MB of sentence text (sum of the bytes of the `text` column) per wall second,
# rule compilation included (the figure without it is printed too).
set -euo pipefail
src=${1:?usage: scripts/bench-extract.sh CORPUS_DIR [SIZE_MB]}
size_mb=${2:-50}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked --all-targets -q)
rules="$root/datasets/rules/propaganda.toml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run LABEL CMD...: runs CMD under /usr/bin/time -v (its stderr goes to $work/err.txt),
# sets $secs (wall seconds), $cpu (user + system CPU seconds) and $rss_mb (peak RSS, MB).
run() {
  /usr/bin/time -v -o "$work/time.txt" "$@" 2> "$work/err.txt" ||
    { rc=$?; cat "$work/err.txt" >&2; echo "failed (exit status $rc): $*" >&2; exit 1; }
  secs=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss_mb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{printf "%.1f", $NF/1024}')
  cpu=$(awk -F': ' '/User time|System time/ { c += $2 } END { printf "%.2f", c }' "$work/time.txt")
}
# compile time (ms) from extract's summary line: "extract: N rules (compiled in M ms), ..."
compiled_ms() { grep -o 'compiled in [0-9.]* *m\?s' "$work/err.txt" | head -1 | awk '{ v=$3; if ($4=="s") v*=1000; print v }'; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
# Replicate the articles under new names until the corpus reaches SIZE_MB.
source "$root/scripts/replicate-corpus.sh"
replicate_corpus "$src" "$work/corpus" "$size_mb"
"$bin" split --quiet "$work/corpus" -o "$work/s.csv"
rm -rf "$work/corpus"

# Sentence count and text bytes of the table; vocabulary of the source articles (lowercase
# [a-z]+ tokens, by frequency) for the lexicon rules: the words ranked 101..100+N.
read -r rows text_bytes < <(python3 - "$work/s.csv" <<'EOF'
import csv, sys
csv.field_size_limit(sys.maxsize)
n = b = 0
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    r = csv.reader(f)
    i = next(r).index('text')
    for row in r:
        n += 1
        b += len(row[i].encode('utf-8'))
print(n, b)
EOF
)
python3 - "$work/vocab.txt" "${files[@]}" <<'EOF'
import re, sys, collections
c = collections.Counter()
for p in sys.argv[2:]:
    with open(p, encoding='utf-8', errors='replace') as f:
        c.update(re.findall(r'[a-z]+', f.read().lower()))
with open(sys.argv[1], 'w') as out:
    out.write(''.join(w + '\n' for w, _ in c.most_common()))
EOF
vocab=$(wc -l < "$work/vocab.txt")
text_mb=$(awk -v b="$text_bytes" 'BEGIN{printf "%.1f", b/1e6}')
echo "corpus: $i articles, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB of files, $rows sentences, $text_mb MB of sentence text"

"$bin" rules check "$rules" > "$work/check.txt" 2>&1
echo "rules check: $(tr '\n' ' ' < "$work/check.txt")"
# Three runs per thread count; the run with the median wall time is reported. "Per CPU
# second" divides by user + system time: the cost on one core, whatever the threads.
for t in 1 2; do
  for k in 1 2 3; do
    run "$bin" extract --threads "$t" --rules "$rules" "$work/s.csv" -o "$work/p.csv"
    echo "$secs $cpu $rss_mb $(compiled_ms)" >> "$work/runs$t.txt"
  done
  read -r secs cpu rss_mb ms < <(sort -n "$work/runs$t.txt" | sed -n 2p)
  preds=$(($(wc -l < "$work/p.csv") - 1))
  awk -v t="$t" -v s="$secs" -v c="$cpu" -v b="$text_bytes" -v r="$rss_mb" -v ms="$ms" -v n="$preds" -v all="$(cut -d' ' -f1 "$work/runs$t.txt" | tr '\n' ' ')" 'BEGIN{
    printf "extract propaganda.toml --threads %d: %.2f s (runs: %s), %.1f MB/s (%.1f MB/s per thread), CPU %.2f s = %.1f MB per CPU second, rules compiled in %s ms, %d prediction rows, peak RSS %.1f MB\n",
      t, s, all, b/1e6/s, b/1e6/s/t, c, b/1e6/c, ms, n, r }'
  eval "secs$t=$secs cpu$t=$cpu rss$t=$rss_mb ms$t=$ms"
done

# Proximity conditions: the pack with a proximity `unless` added to one rule per label
# (the label's first rule without an `unless`) against the pack as it is: the same
# candidates, so the difference is the conditions' cost (minus the vetoed rows not
# written). 1 thread, the two variants interleaved, median of 3 each (wall and CPU).
python3 - "$rules" "$work/near.toml" <<'PY'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
blocks = re.split(r'(?m)^(?=\[\[rule\]\])', text)
near = 'unless = { words = ["not", "no evidence that", "allegedly"], within = 3, side = "before" }\n'
seen = set()
for i, b in enumerate(blocks):
    m = re.search(r'(?m)^label\s*=\s*"([^"]*)"', b)
    if not b.startswith('[[rule]]') or not m or m.group(1) in seen or re.search(r'(?m)^unless\s*=', b):
        continue
    seen.add(m.group(1))
    blocks[i] = b.rstrip('\n') + '\n' + near + '\n'
open(sys.argv[2], 'w').write(''.join(blocks))
print(f"proximity: an `unless` within 3 words before on {len(seen)} rules (one per label)")
PY
# Lexicon files are read beside the rules file.
ln -s "$(dirname "$rules")/lexicons" "$work/lexicons"
"$bin" rules check "$work/near.toml" > /dev/null
for k in 1 2 3; do
  for v in pack near; do
    r=$rules; [ "$v" = pack ] || r="$work/near.toml"
    run "$bin" extract --threads 1 --rules "$r" "$work/s.csv" -o "$work/p-$v.csv"
    echo "$secs $cpu" >> "$work/near-$v.txt"
  done
done
for v in pack near; do
  s=$(sort -n -k1 "$work/near-$v.txt" | sed -n 2p | cut -d' ' -f1)
  c=$(sort -n -k2 "$work/near-$v.txt" | sed -n 2p | cut -d' ' -f2)
  eval "nsecs_$v=$s ncpu_$v=$c"
  echo "proximity $v: $(($(wc -l < "$work/p-$v.csv") - 1)) predictions; wall $(cut -d' ' -f1 "$work/near-$v.txt" | tr '\n' ' ')s; CPU $(cut -d' ' -f2 "$work/near-$v.txt" | tr '\n' ' ')s"
done
awk -v sp="$nsecs_pack" -v sn="$nsecs_near" -v cp="$ncpu_pack" -v cn="$ncpu_near" -v b="$text_bytes" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN{
  printf "RESULT proximity (1 thread, medians): pack %.2f s wall / %.2f s CPU (%.1f MB/s); with one proximity rule per label %.2f s / %.2f s (%.1f MB/s): %+.1f%% wall, %+.1f%% CPU; load average %s\n",
    sp, cp, b/1e6/sp, sn, cn, b/1e6/sn, (sn/sp-1)*100, (cn/cp-1)*100, load }'

# Lexicon scaling: one whole-word lexicon rule of N entries, two ways.
# "frequent": the N most frequent corpus words after the first 100 (ranks 101..100+N): the
#   number of matches (rows written) grows with N, so this mixes scan and output cost.
# "fixed-matches": ranks 101..110 plus N-10 entries that never occur (corpus words + "qx"):
#   the same matches for every N, so it isolates the cost of a larger automaton.
echo "lexicon words: the most frequent lowercase [a-z]+ tokens of $src after the first 100 ($vocab distinct)"
lex_result=""
for kind in frequent fixed-matches; do
  for n in 10 1000 10000; do
    if [ "$kind" = frequent ]; then
      sed -n "101,$((100 + n))p" "$work/vocab.txt" > "$work/lex$n.txt"
    else
      sed -n '101,110p' "$work/vocab.txt" > "$work/lex$n.txt"
      [ "$n" -le 10 ] || sed -n "111,$((100 + n))p" "$work/vocab.txt" | sed 's/$/qx/' >> "$work/lex$n.txt"
    fi
    got=$(wc -l < "$work/lex$n.txt")
    cat > "$work/lex$n.toml" <<EOF
[[rule]]
id = "lexicon-$n"
label = "Loaded_Language"
lexicon = { file = "lex$n.txt", whole_word = true }
EOF
    run "$bin" extract --threads 1 --rules "$work/lex$n.toml" "$work/s.csv" -o "$work/p.csv"
    ms=$(compiled_ms)
    preds=$(($(wc -l < "$work/p.csv") - 1))
    line=$(awk -v k="$kind" -v n="$got" -v s="$secs" -v b="$text_bytes" -v r="$rss_mb" -v ms="$ms" -v p="$preds" -v w1="$(head -1 "$work/lex$n.txt")" -v w2="$(tail -1 "$work/lex$n.txt")" 'BEGIN{
      printf "lexicon %-13s %5d entries (%s..%s) --threads 1: %.2f s, %.1f MB/s, compiled in %s ms, %d matches, peak RSS %.1f MB\n",
        k, n, w1, w2, s, b/1e6/s, ms, p, r }')
    echo "$line"
    lex_result="$lex_result $kind-$got=$(awk -v s="$secs" -v b="$text_bytes" 'BEGIN{printf "%.1f", b/1e6/s}')MB/s"
  done
done

awk -v b="$text_bytes" -v s1="$secs1" -v s2="$secs2" -v c1="$cpu1" -v c2="$cpu2" -v r1="$rss1" -v r2="$rss2" -v m="$ms1" -v l="$lex_result" -v c="$(nproc)" 'BEGIN{
  printf "RESULT extract: %.1f MB text; t1 %.1f MB/s, t2 %.1f MB/s (%.1f/thread); per CPU second %.1f (t1), %.1f (t2); peak RSS %.0f/%.0f MB; rules compiled in %s ms;%s (%d cores)\n",
    b/1e6, b/1e6/s1, b/1e6/s2, b/1e6/s2/2, b/1e6/c1, b/1e6/c2, r1, r2, m, l, c }'
