#!/usr/bin/env bash
# Throughput (MB/s, articles/s) and peak RSS per worker of the Dask recipe
# (scripts/dask_pipeline.py) with 1 and with 2 worker processes, on Parquet article shards
# replicated from a directory of article .txt files (title on the first line).
# usage: scripts/bench-dask.sh CORPUS_DIR [REPLICAS]   (default: copies for >= 1 GB of text)
# Sets up target/bench-dask-venv (the pinned requirements-dev.txt and the sentlab wheel
# built with maturin), then runs scripts/bench-dask.py; see it for what is measured.
set -euo pipefail
src=${1:?usage: scripts/bench-dask.sh CORPUS_DIR [REPLICAS]}
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/target/bench-dask-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    -r "$root/crates/sentlab-py/requirements-dev.txt"
fi
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
(cd "$root" && "$venv/bin/maturin" build --quiet --release --locked \
  --interpreter "$venv/bin/python" --out "$wheels" >/dev/null)
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-index \
  --force-reinstall "$wheels"/sentlab-*.whl
shift
exec "$venv/bin/python" "$root/scripts/bench-dask.py" "$src" "$@"
