#!/usr/bin/env bash
# Split speed against its peer, in one run, on a corpus built by replicating the given articles:
# - `sentlab split --threads 1` and `--threads 2` on the directory, whole process (reading the
#   files, writing the CSV), wall time best of 3, MB/s of article text, peak RSS;
# - blingfire's `text_to_sentences` (Python package `blingfire`) on the same texts already in
#   memory (every file is read first; only the splitting is timed, best of 3);
# - the ratios, next to the targets: 2 threads >= 1.8x one thread (judged when SIZE_MB >= 400;
#   the corpus then holds about 1% less article text, the rest being directories), sentlab with
#   1 thread (whole process) >= 5x blingfire (in memory).
# usage: scripts/bench-split-peers.sh CORPUS_DIR [SIZE_MB=64]
# e.g.   scripts/bench-split-peers.sh news/ 400   (a directory of article .txt files)
# blingfire is installed into the venv ${BENCH_VENV:-target/bench-venv} (needs PyPI the first
# time). If it cannot be installed, the sentlab figures are still printed, with pip's error, and
# the script exits 1.
set -euo pipefail
src=${1:?usage: scripts/bench-split-peers.sh CORPUS_DIR [SIZE_MB]}
size_mb=${2:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked --all-targets -q)
venv=${BENCH_VENV:-$root/target/bench-venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

# blingfire first: a failed install is reported before minutes of splitting.
bf_ok=1
if ! "$venv/bin/python" -c 'import blingfire' 2>/dev/null; then
  echo "installing blingfire into $venv ..."
  "$venv/bin/python" -c '' 2>/dev/null || { rm -rf "$venv"; python3 -m venv "$venv"; }
  if ! "$venv/bin/pip" install -q --disable-pip-version-check blingfire > "$work/pip.txt" 2>&1 ||
    ! "$venv/bin/python" -c 'import blingfire' >> "$work/pip.txt" 2>&1; then
    bf_ok=0
    echo "blingfire: NOT AVAILABLE: 'pip install blingfire' failed on this machine ($(uname -m), $(python3 --version)):" >&2
    sed 's/^/  pip: /' "$work/pip.txt" >&2
  fi
fi

# Replicate the articles under new names until the corpus reaches SIZE_MB.
source "$root/scripts/replicate-corpus.sh"
replicate_corpus "$src" "$work/corpus" "$size_mb"
# Article text: the bytes of the .txt files (not the directories).
text_bytes=$(find "$work/corpus" -name '*.txt' -printf '%s\n' | awk '{ t += $1 } END { printf "%d", t }')
mb=$(awk -v b="$text_bytes" 'BEGIN{printf "%.1f", b/1e6}')
echo "corpus: $i articles, $mb MB of article text"

# sentlab, whole process, 3 runs per thread count: best wall time, highest peak RSS.
for t in 1 2; do
  best=""; rss=0
  for run in 1 2 3; do
    /usr/bin/time -v -o "$work/time.txt" "$bin" split --quiet --threads "$t" "$work/corpus" -o "$work/out.csv" 2> "$work/err.txt" ||
      { rc=$?; cat "$work/err.txt" >&2; echo "sentlab split failed (exit status $rc)" >&2; exit 1; }
    s=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    r=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    best=$(awk -v a="$best" -v b="$s" 'BEGIN{ print (a == "" || b < a) ? b : a }')
    [ "$r" -gt "$rss" ] && rss=$r
  done
  rows=$(($(wc -l < "$work/out.csv") - 1)) # lines (sentences hold no line breaks by default)
  printf -v "secs_$t" '%s' "$best"
  printf -v "rss_$t" '%s' "$rss"
  awk -v t="$t" -v s="$best" -v b="$text_bytes" -v r="$rss" -v n="$rows" 'BEGIN{
    printf "sentlab split --threads %d (whole process, best of 3): %.2f s, %.1f MB/s, %d sentence rows, peak RSS %.1f MB\n", t, s, b/1e6/s, n, r/1024 }'
done
rm -f "$work/out.csv"

bf_secs=""
if [ "$bf_ok" = 1 ]; then
  cat > "$work/bf.py" <<'EOF'
import os, sys, time
import blingfire
root = sys.argv[1]
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".txt"))
texts = []
for p in paths:
    with open(p, encoding="utf-8") as f:
        texts.append(f.read())
best = None
for _ in range(3):
    t0 = time.perf_counter()
    out = [blingfire.text_to_sentences(t) for t in texts]
    dt = time.perf_counter() - t0
    best = dt if best is None or dt < best else best
# text_to_sentences returns the sentences of a text joined by newlines.
n = sum(o.count("\n") + 1 for o in out if o)
print(f"{best:.4f} {n} {len(texts)}")
EOF
  "$venv/bin/python" "$work/bf.py" "$work/corpus" > "$work/bf.txt" ||
    { rc=$?; echo "blingfire run failed (exit status $rc)" >&2; exit 1; }
  read -r bf_secs bf_sents bf_files < "$work/bf.txt"
  bf_ver=$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("blingfire"))')
  awk -v s="$bf_secs" -v b="$text_bytes" -v n="$bf_sents" -v f="$bf_files" -v v="$bf_ver" 'BEGIN{
    printf "blingfire %s text_to_sentences (in memory, %d texts, best of 3): %.2f s, %.1f MB/s, %d sentences\n", v, f, s, b/1e6/s, n }'
fi

# Summary: ratios and targets.
awk -v s1="$secs_1" -v s2="$secs_2" -v r1="$rss_1" -v r2="$rss_2" -v bf="$bf_secs" -v b="$text_bytes" \
    -v mb="$size_mb" -v c="$(nproc)" 'BEGIN{
  scal = s1 / s2
  if (mb >= 400) ts = (scal >= 1.8) ? "met" : "NOT MET"
  else ts = "not judged, SIZE_MB below 400"
  printf "2 threads / 1 thread: %.2fx (target >= 1.8x with SIZE_MB >= 400: %s)\n", scal, ts
  if (bf != "") {
    vs = bf / s1
    tb = (vs >= 5) ? "met" : "NOT MET"
    printf "sentlab 1 thread (whole process) / blingfire (in memory): %.2fx (target >= 5x: %s)\n", vs, tb
    bft = sprintf("blingfire %.1f MB/s, sentlab 1 thread / blingfire %.2fx [target >= 5x: %s]", b/1e6/bf, vs, tb)
  } else {
    print "sentlab 1 thread / blingfire: not measured, blingfire could not be installed (see the pip error above)"
    bft = "blingfire NOT AVAILABLE (pip install failed)"
  }
  printf "RESULT split-peers: SIZE_MB %d, %.1f MB of text: sentlab 1 thread %.1f MB/s (%.0f MB), 2 threads %.1f MB/s (%.0f MB), 2/1 threads %.2fx [target >= 1.8x at SIZE_MB >= 400: %s]; %s (%d cores)\n",
    mb, b/1e6, b/1e6/s1, r1/1024, b/1e6/s2, r2/1024, scal, ts, bft, c
}'
[ "$bf_ok" = 1 ] || exit 1
