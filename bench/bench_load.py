"""Load on 127.0.0.1: many sessions moving sliders at once, app against the one-chart page.

python bench/bench_load.py browsers [--sessions 10 --moves 6]
    10 real Chromium sessions per server, each its own browser context; in each round
    every session moves its slider at once (the key presses go out back to back, then
    every page is waited for). A page times itself: performance.now() at the press,
    and again when the script has run and finished (a document-wide observer), so the
    figures do not depend on the order the driver waits in. Rounds alternate between
    the app's home page and the one-chart page, under the same load. Chromium runs with
    background throttling off (every tab is a background tab but one).
python bench/bench_load.py websocket [--sessions 50 --moves 6]
    Streamlit's own protocol, no rendering: see ws_client.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ship import APP, ARM_RERUN_WATCH, BASELINE, rss_mb, server  # noqa: E402
from harness import CHROMIUM, CHROMIUM_ARGS, wait_idle  # noqa: E402

UNTHROTTLED = [
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
]

EXCEPTION = "[data-testid='stException']"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def open_sessions(playwright, url: str, count: int) -> list:
    """``count`` sessions, each in its own Chromium: each page is its window's front tab, so
    no page steals another's keyboard focus (in one browser, a key press sometimes landed
    nowhere and the interaction was lost, on both servers alike)."""
    pages = []
    for _ in range(count):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS + UNTHROTTLED
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        wait_idle(page)
        pages.append(page)
    return pages


def round_of_moves(pages: list, key: str, timeout_s: float = 60.0) -> tuple[list[float], int]:
    """Every page presses ``key`` on its first slider, back to back; then all are awaited.

    Returns the seconds each page took and how many never finished (dropped).
    """
    for page in pages:
        slider = page.get_by_role("slider").first
        slider.focus()
        page.evaluate(ARM_RERUN_WATCH)
        slider.press(key)
    times, dropped = [], 0
    deadline = time.monotonic() + timeout_s
    for page in pages:
        remaining = max(1.0, deadline - time.monotonic()) * 1000
        try:
            page.wait_for_function("() => window.__t1 !== null", timeout=remaining)
            times.append(page.evaluate("() => (window.__t1 - window.__t0) / 1000"))
        except Exception:  # a timeout: a dropped interaction, counted and described
            dropped += 1
            state = page.evaluate(
                "() => [document.querySelector(\"[data-testid='stApp']\")"
                "?.getAttribute('data-test-script-state'), window.__t0, performance.now(),"
                " document.activeElement?.getAttribute('role')]"
            )
            print(f"dropped: {key} {state}", file=sys.stderr)
    return times, dropped


def browsers(sessions: int, moves: int) -> None:
    with (
        server(APP) as (app_url, app_process),
        server(BASELINE) as (base_url, base_process),
        sync_playwright() as playwright,
    ):
        groups = {
            "home page (pet-batch)": open_sessions(playwright, f"{app_url}/?p=pet-batch", sessions),
            "one-chart page": open_sessions(playwright, base_url, sessions),
        }
        # One untimed round first: a page's very first key press sometimes never reaches
        # its slider (seen on both servers alike: no rerun at all, the slider unfocused).
        warm_up = {name: round_of_moves(pages, "ArrowRight")[1] for name, pages in groups.items()}
        results = {name: ([], 0) for name in groups}
        for move in range(1, moves + 1):
            key = "ArrowRight" if move % 2 == 0 else "ArrowLeft"
            for name, pages in groups.items():
                times, dropped = round_of_moves(pages, key)
                results[name][0].extend(times)
                results[name] = (results[name][0], results[name][1] + dropped)
        exceptions = {n: sum(p.locator(EXCEPTION).count() for p in pages)
                      for n, pages in groups.items()}  # fmt: skip
        alive = {n: sum(not p.is_closed() and p.locator("[data-testid='stApp']").count() == 1
                        for p in pages) for n, pages in groups.items()}  # fmt: skip
        rss = {"home page (pet-batch)": rss_mb(app_process.pid),
               "one-chart page": rss_mb(base_process.pid)}  # fmt: skip
        for pages in groups.values():
            for page in pages:
                page.context.browser.close()
    base = p95(results["one-chart page"][0])
    print(
        f"{sessions} browser sessions per server, {moves} simultaneous moves each "
        f"(after one untimed round, which dropped {warm_up})"
    )
    print(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'p95 ratio':>10} {'dropped':>8} "
          f"{'exceptions':>11} {'sessions alive':>15} {'RSS MB':>7}")  # fmt: skip
    for name, (times, dropped) in results.items():
        print(f"{name:<24} {statistics.median(times) * 1e3:8.0f} {p95(times) * 1e3:8.0f} "
              f"{p95(times) / base:9.2f}x {dropped:8d} {exceptions[name]:11d} "
              f"{alive[name]:>10d}/{sessions} {rss[name]:7.0f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("browsers", "websocket"))
    parser.add_argument("--sessions", type=int, default=None)
    parser.add_argument("--moves", type=int, default=6)
    args = parser.parse_args()
    if args.what == "browsers":
        browsers(args.sessions or 10, args.moves)
    else:
        from ws_client import websocket_load

        websocket_load(args.sessions or 50, args.moves)


if __name__ == "__main__":
    main()
