#!/usr/bin/env bash
# `eval --level span --match strict|exact|partial|type` against the nervaluate package on
# generated spans: count differences per mode, overall and per label, each labelled as a
# greedy-order effect of nervaluate or a bug (exit status 1 when any is a bug).
# usage: scripts/nervaluate-compare.sh [ARTICLES=300] [SEED=1]
# nervaluate is installed into ${NERVALUATE_VENV:-target/nervaluate-venv} (needs PyPI the
# first time); the version is pinned so the figures in docs/eval.md stay reproducible.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SENTLAB:-$root/target/release/sentlab}
[ -x "$bin" ] || (cd "$root" && cargo build --release --locked -q)
venv=${NERVALUATE_VENV:-$root/target/nervaluate-venv}
if ! "$venv/bin/python" -c 'import nervaluate' 2>/dev/null; then
  echo "installing nervaluate into $venv ..."
  "$venv/bin/python" -c '' 2>/dev/null || { rm -rf "$venv"; python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q --disable-pip-version-check nervaluate==1.2.1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$venv/bin/python" "$root/scripts/nervaluate-compare.py" "$bin" "$work" "${1:-300}" "${2:-1}"
