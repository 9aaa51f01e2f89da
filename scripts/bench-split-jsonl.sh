#!/usr/bin/env bash
# Peak memory of `split` on one large JSON Lines file and one large CSV file of articles,
# against the same articles as a directory of .txt files.
# usage: scripts/bench-split-jsonl.sh [SIZE_MB=200] [ARTICLES_DIR=datasets/sample/articles]
# The articles of ARTICLES_DIR (*.txt: title line, blank line, body) are repeated under new
# ids (r<N>_<stem>) until each input holds about SIZE_MB. SENTLAB picks the binary
# (default: target/release/sentlab), e.g. to compare with an older build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
size_mb=${1:-200}
src=${2:-$root/datasets/sample/articles}
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked -q)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
peaks=()
python3 - "$src" "$work" "$size_mb" <<'EOF'
import csv, json, pathlib, sys
src, work, size_mb = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
articles = []
for p in sorted(src.glob("*.txt")):
    title, _, body = p.read_text(encoding="utf-8").partition("\n")
    articles.append((p.stem, title, body.lstrip("\n")))
if not articles:
    sys.exit(f"no .txt files in {src}")
target, written, n = size_mb * 1_000_000, 0, 0
txt = work / "corpus"
with open(work / "a.jsonl", "w", encoding="utf-8") as j, \
     open(work / "a.csv", "w", encoding="utf-8", newline="") as c:
    w = csv.writer(c)
    w.writerow(["id", "title", "text"])
    while written < target:
        for stem, title, body in articles:
            aid = f"r{n}_{stem}"
            line = json.dumps({"id": aid, "title": title, "text": body}, ensure_ascii=False) + "\n"
            j.write(line)
            w.writerow([aid, title, body])
            d = txt / f"{n // 1000:04d}"
            if n % 1000 == 0:
                d.mkdir(parents=True)
            (d / f"{aid}.txt").write_text(f"{title}\n\n{body}", encoding="utf-8")
            written += len(line.encode("utf-8"))
            n += 1
print(f"{n} articles")
EOF
sync
echo "inputs: $(du -sb "$work/a.jsonl" | cut -f1) bytes JSONL, $(du -sb "$work/a.csv" | cut -f1) bytes CSV, $(find "$work/corpus" -name '*.txt' | wc -l) .txt files ($(du -sb "$work/corpus" | cut -f1) bytes); machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for input in a.jsonl a.csv corpus; do
  for t in 1 2; do
    /usr/bin/time -v "$bin" split --quiet --threads "$t" "$work/$input" -o "$work/out.csv" 2> "$work/time.txt"
    secs=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    sum=$(md5sum < "$work/out.csv" | cut -c1-12)
    awk -v i="$input" -v t="$t" -v s="$secs" -v r="$rss" -v m="$sum" 'BEGIN{printf "split %-7s --threads %d: %6.2f s, peak RSS %6.1f MB, output md5 %s\n", i, t, s, r/1024, m}'
    peaks+=("$input $(awk -v r="$rss" 'BEGIN{printf "%.0f", r/1024}')")
  done
done
echo "RESULT split-jsonl: peak RSS in MB (1 thread, 2 threads): ${peaks[0]#* } ${peaks[1]#* } for JSONL, ${peaks[2]#* } ${peaks[3]#* } for CSV, ${peaks[4]#* } ${peaks[5]#* } for .txt files"
