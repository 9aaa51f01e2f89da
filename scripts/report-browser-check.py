#!/usr/bin/env python3
"""Open an HTML page from a file:// URL in headless Chromium over the DevTools protocol and
fail on any console error, uncaught exception, browser log error (a Content-Security-Policy
violation among them) or request for anything but the page itself and data: URLs.

usage: report-browser-check.py PAGE.html [SCREENSHOT.png]
Prints one line per problem and the render time; exit 0 when clean, 1 when not, 2 when the
browser could not be driven. Run it through scripts/report-browser-check.sh (sets up the venv).
"""
import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # websocket-client

WIDTH = 1200
MAX_SHOT_HEIGHT = 16000  # pixels; a longer page is cut in the screenshot (not in the check)
SETTLE = 1.0  # seconds after the load event to catch late errors and requests


def start_browser(profile):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        sys.exit("report-browser-check: `chromium` is not on PATH (Debian: apt-get install chromium)")
    proc = subprocess.Popen(
        [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--no-default-browser-check", "--hide-scrollbars", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", f"--window-size={WIDTH},900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = pathlib.Path(profile, "DevToolsActivePort")
    deadline = time.time() + 30
    while time.time() < deadline:
        if port_file.exists() and port_file.read_text().strip():
            port = int(port_file.read_text().split()[0])
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return proc, pages[0]["webSocketDebuggerUrl"]
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    print("report-browser-check: chromium did not start its DevTools endpoint", file=sys.stderr)
    sys.exit(2)


class Session:
    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        self.ws.settimeout(120)
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append((time.monotonic(), msg))

    def wait_for(self, method, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for t, e in self.events:
                if e["method"] == method:
                    return t
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            if "method" in msg:
                self.events.append((time.monotonic(), msg))
        return None

    def drain(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                msg = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                return
            if "method" in msg:
                self.events.append((time.monotonic(), msg))


def problems(events, page_url):
    out = []
    for _, e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            text = d.get("exception", {}).get("description") or d.get("text")
            out.append(f"uncaught exception: {text}")
        elif m == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"])
            out.append(f"console.{p['type']}: {args}")
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            out.append(f"browser log ({p['entry']['source']}): {p['entry']['text']}")
        elif m == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if url != page_url and not url.startswith("data:"):
                out.append(f"request that leaves the page: {url}")
        elif m == "Network.loadingFailed" and p.get("blockedReason"):
            out.append(f"request blocked ({p['blockedReason']})")
    return out


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    page = pathlib.Path(sys.argv[1]).resolve()
    if not page.is_file():
        sys.exit(f"report-browser-check: {sys.argv[1]}: no such file")
    shot = sys.argv[2] if len(sys.argv) == 3 else None
    page_url = page.as_uri()
    profile = tempfile.mkdtemp(prefix="report-check-")
    proc = None
    try:
        proc, ws_url = start_browser(profile)
        s = Session(ws_url)
        for domain in ("Runtime", "Log", "Network", "Page"):
            s.call(f"{domain}.enable")
        t0 = time.monotonic()
        s.call("Page.navigate", url=page_url)
        loaded = s.wait_for("Page.loadEventFired", timeout=120)
        if loaded is None:
            print("FAIL: the page did not finish loading in 120 s")
            return 1
        s.drain(SETTLE)
        render = loaded - t0
        found = problems(s.events, page_url)
        if shot:
            metrics = s.call("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            height = min(int(size["height"]) + 1, MAX_SHOT_HEIGHT)
            data = s.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1})
            pathlib.Path(shot).write_bytes(base64.b64decode(data["data"]))
            cut = " (cut)" if size["height"] > MAX_SHOT_HEIGHT else ""
            print(f"screenshot: {shot} ({WIDTH}x{height}{cut})")
        print(f"render: {render:.2f} s (navigation to load event)")
        for f in found:
            print(f"FAIL: {f}")
        if found:
            return 1
        print(f"OK: {page.name}: no console error, no exception, no request outside the file")
        return 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
