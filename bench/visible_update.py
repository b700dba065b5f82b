"""When does a slider's move show on the page? Against the shared floor page, same run.

    python bench/visible_update.py [--pages /softmax /pytorch /] [--moves 8] [--query lang=zh-TW]

A diagnostic beside the shared standard, not a replacement for it: each slider is moved the
way ``../shared/bench/every_slider.py`` moves it (found by role, one step and back), and
its latency is measured the standard's way (key press -> idle, which waits a fixed 150 ms
first). The page's own clock, read by a ``MutationObserver``, adds two moments of the same
move: when the app's script state turns back to "notRunning" (the page has handled the
run's last message) and when the page's content last changed (text, elements, charts; not the
attributes Streamlit toggles while a run is pending, nor a grid's lazily filled hidden
table). Prints one JSON line per slider (medians over the moves, in ms), the floor first.

Why it exists: the standard's latency is ``max(the browser's busy time, 45 ms) + 150 ms``
give or take the driver's round trips, because its first check after the key press waits
for the page's main thread; the floor page's work is on the server (a 110-160 ms garbage
collection after every run), which the fixed wait hides. This script shows both parts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

SHARED_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
sys.path.insert(0, str(SHARED_BENCH))

import every_slider  # noqa: E402  (the shared standard: its server start and idle wait)

PAGES = ("/", "/softmax", "/pytorch")

# The page's clock: the script state's changes and each batch of content mutations
WATCH = """() => {
  window.__moves = [];
  const app = document.querySelector('[data-testid=stApp]');
  const ignored = '[class*=glide], [data-testid=stDataFrameResizable] table';
  new MutationObserver(records => {
    const now = performance.now();
    let content = false;
    for (const r of records) {
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state') {
        window.__moves.push([now, 'state', app.getAttribute('data-test-script-state')]);
      } else if (r.type !== 'attributes' && !content) {
        const e = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        content = Boolean(e && !e.closest(ignored));
      }
    }
    if (content) window.__moves.push([now, 'content', '']);
  }).observe(document.body, {attributes: true, childList: true, subtree: true,
                             characterData: true});
}"""
START = "() => { window.__moves.length = 0; window.__start = performance.now(); }"
READ = "() => window.__moves.map(([t, kind, value]) => [t - window.__start, kind, value])"
SETTLE_MS = 600  # what a move still draws after idle (a chart's redraw) is counted too


def measure(browser, url: str, moves: int, max_sliders: int) -> list[dict]:
    """Per slider of the page at ``url``: the medians over ``moves`` moves, in ms."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    every_slider.idle(page)
    page.wait_for_timeout(1000)
    page.evaluate(WATCH)
    rows = []
    for index in range(min(page.get_by_role("slider").count(), max_sliders)):
        first = page.get_by_role("slider").nth(index)
        name = (first.get_attribute("aria-label") or f"slider {index}")[:60]
        at_max = first.get_attribute("aria-valuenow") == first.get_attribute("aria-valuemax")
        keys = ("ArrowLeft", "ArrowRight") if at_max else ("ArrowRight", "ArrowLeft")
        latency, done, shown = [], [], []
        for move in range(moves):
            slider = page.get_by_role("slider").nth(index)
            slider.focus()
            page.evaluate(START)
            start = time.time()
            slider.press(keys[move % 2])
            page.wait_for_timeout(20)
            every_slider.idle(page)
            latency.append((time.time() - start) * 1e3)
            page.wait_for_timeout(SETTLE_MS)
            log = page.evaluate(READ)
            finished = [t for t, kind, value in log if kind == "state" and value == "notRunning"]
            changed = [t for t, kind, _ in log if kind == "content"]
            if finished:
                done.append(finished[-1])
            if changed:
                shown.append(changed[-1])
        rows.append({
            "slider": name,
            "latency_ms": round(statistics.median(latency)),
            "script_done_ms": round(statistics.median(done)) if done else None,
            "last_change_ms": round(statistics.median(shown)) if shown else None,
        })  # fmt: skip
    page.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", nargs="+", default=PAGES, help="paths, e.g. / /softmax")
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--max-sliders", type=int, default=8)
    parser.add_argument("--query", default="", help="added to each page's URL, e.g. lang=zh-TW")
    args = parser.parse_args()
    app_dir = Path(__file__).resolve().parents[1]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])  # fmt: skip
        floor, port = every_slider.serve(str(SHARED_BENCH), "floor_app.py")
        try:
            for row in measure(browser, f"http://127.0.0.1:{port}/", args.moves * 2, 1):
                print(json.dumps({"page": "floor"} | row), flush=True)
        finally:
            floor.terminate()
        app, port = every_slider.serve(str(app_dir), "app.py")
        try:
            for path in args.pages:
                url = f"http://127.0.0.1:{port}{path}" + (f"?{args.query}" if args.query else "")
                for row in measure(browser, url, args.moves, args.max_sliders):
                    print(json.dumps({"page": path} | row), flush=True)
        finally:
            app.terminate()
        browser.close()


if __name__ == "__main__":
    main()
