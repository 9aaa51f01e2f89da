#!/usr/bin/env bash
# Lexicon compilation scaling: wall time and peak RSS of `sentlab rules check` (parse +
# compile, no matching) on one lexicon rule whose entries come from a `file =` of 10k, 100k
# and 1M entries, plain and with `inflect = true` (each entry then gives up to 8 forms).
# Entries are 1 to 3 random lowercase words (3 to 10 letters), seeded, so runs are comparable.
# usage: scripts/lexicon-scale.sh [SIZES="10000 100000 1000000"]
# Linear means: the 1M figure is about 100x the 10k one (time and peak RSS above the
# process's fixed base, which `rules check` on a one-word lexicon shows as "base").
set -euo pipefail
sizes=${1:-"10000 100000 1000000"}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked -q)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"

python3 - "$work" $sizes <<'EOF'
import random, sys
work, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
rng = random.Random(42)
letters = "abcdefghijklmnopqrstuvwxyz"
vocab = list({"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(200000)})
vocab.sort()
for n in sizes:
    seen = set()
    while len(seen) < n:
        seen.add(" ".join(rng.choice(vocab) for _ in range(rng.choice((1, 1, 2, 2, 3)))))
    with open(f"{work}/lex{n}.txt", "w") as f:
        f.write("\n".join(sorted(seen, key=lambda _: rng.random())) + "\n")
with open(f"{work}/lexbase.txt", "w") as f:
    f.write("word\n")
EOF
for n in base $sizes; do
  for inflect in false true; do
    printf '[[rule]]\nid = "lex"\nlabel = "L"\nlexicon = { file = "lex%s.txt", inflect = %s }\n' \
      "$n" "$inflect" > "$work/rules-$n-$inflect.toml"
  done
done

printf '%-9s %-8s %10s %12s  %s\n' entries inflect wall_s peak_rss_mb "sentlab's own compile time"
for n in base $sizes; do
  for inflect in false true; do
    /usr/bin/time -v -o "$work/time.txt" "$bin" rules check "$work/rules-$n-$inflect.toml" \
      2> "$work/err.txt" || { cat "$work/err.txt" "$work/time.txt" >&2; exit 1; }
    secs=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' |
      awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{printf "%.1f", $NF/1024}')
    own=$(grep -o 'compiled in [0-9]* ms' "$work/err.txt" || true)
    printf '%-9s %-8s %10s %12s  %s\n' "$n" "$inflect" "$secs" "$rss" "$own"
  done
done
