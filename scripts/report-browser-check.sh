#!/usr/bin/env bash
# Render an HTML page (a `sentlab report` page) in headless Chromium and fail on any
# JavaScript console error or exception, any browser log error (a Content-Security-Policy
# violation among them) and any request other than the file itself and data: URLs; save a
# screenshot of the whole page (up to 16000 px high) when a path is given.
# usage: scripts/report-browser-check.sh REPORT.html [SCREENSHOT.png]
#        scripts/report-browser-check.sh --self-test   (the fixtures in
#        scripts/report-check-fixtures/: one clean page must pass, the others must fail)
# Needs `chromium` on PATH (Debian: apt-get install chromium; no browser is downloaded) and
# python3; websocket-client is installed from PyPI into ${REPORT_CHECK_VENV:-target/report-check-venv}
# the first time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${REPORT_CHECK_VENV:-$root/target/report-check-venv}
command -v chromium >/dev/null || { echo "report-browser-check: chromium is not on PATH" >&2; exit 2; }
if ! "$venv/bin/python" -c 'import websocket' 2>/dev/null; then
  echo "setting up $venv (websocket-client) ..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'websocket-client==1.8.0' >&2
fi
check() { "$venv/bin/python" "$root/scripts/report-browser-check.py" "$@"; }
if [ "${1:-}" = --self-test ]; then
  fx=$root/scripts/report-check-fixtures
  bad=0
  echo "== clean.html (must pass)"
  check "$fx/clean.html" || { echo "self-test: clean.html was refused" >&2; bad=1; }
  for page in console-error.html remote-image.html; do
    echo "== $page (must fail)"
    if check "$fx/$page"; then echo "self-test: $page passed the check" >&2; bad=1; fi
  done
  [ $bad = 0 ] && echo "self-test passed: the clean page passes, each bad page fails"
  exit $bad
fi
[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n 2,12p "$0" >&2; exit 2; }
check "$@"
