# Sourced by the benchmark scripts: replicate_corpus SRC_DIR DEST_DIR SIZE_MB copies the
# *.txt articles of SRC_DIR under new names into DEST_DIR until it holds SIZE_MB, and sets
# $i (articles copied), $bytes (bytes copied) and $files (the source articles).
replicate_corpus() {
  local src=$1 dest=$2 target=$(($3 * 1000000)) d f
  i=0; bytes=0
  mkdir -p "$dest"
  mapfile -t files < <(find "$src" -name '*.txt' | sort)
  [ ${#files[@]} -gt 0 ] || { echo "no .txt files in $src" >&2; exit 1; }
  while [ "$bytes" -lt "$target" ]; do
    d="$dest/$(printf '%04d' $((i / 1000)))"; mkdir -p "$d"
    for f in "${files[@]}"; do
      cp "$f" "$d/r${i}_$(basename "$f")"; i=$((i + 1))
    done
    bytes=$(du -sb "$dest" | cut -f1)
  done
  # Flush the copies now, so their write-back does not slow down the first timed run.
  sync
}
