"""Load on 127.0.0.1: many sessions moving sliders at once, app against the floor page.

python bench/bench_load.py browsers [--sessions 10 --moves 6] [--query ?p=pet-batch]
    10 real Chromium sessions per server, each its own browser context; in each round
    every session moves its slider at once (the key presses go out back to back, then
    every page is waited for). Rounds alternate between
    the app's home page and the floor page, under the same load. Chromium runs with
    background throttling off (every tab is a background tab but one). Each move is timed
    on the driver's clock, from the press to the server's "script finished" message for
    the run it caused (bench/reruns.py); a move is dropped if no run finishes within 60 s
    or the slider's value did not change.
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

from bench_ship import APP, BASELINE, rss_mb, server  # noqa: E402
from harness import CHROMIUM, CHROMIUM_ARGS, wait_idle  # noqa: E402
from reruns import RerunWatch  # noqa: E402

UNTHROTTLED = [
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
]

EXCEPTION = "[data-testid='stException']"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def open_sessions(playwright, url: str, count: int) -> list[tuple[object, RerunWatch]]:
    """``count`` sessions, each in its own Chromium (each page is its window's front tab),
    each with a watch on its websocket."""
    sessions = []
    for _ in range(count):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS + UNTHROTTLED
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        watch = RerunWatch(page)
        page.goto(url)
        wait_idle(page)
        sessions.append((page, watch))
    return sessions


def round_of_moves(sessions: list, key: str, timeout_s: float = 60.0) -> tuple[list[float], int]:
    """Every page presses ``key`` on its first slider, back to back; then all are awaited.

    Returns the seconds each page took and how many moves were dropped (no run finished,
    or the slider's value did not change).
    """
    pressed = []
    for page, watch in sessions:
        slider = page.get_by_role("slider").first
        before = slider.get_attribute("aria-valuetext")
        runs = watch.count()
        start = time.perf_counter()
        slider.press(key)
        pressed.append((page, watch, slider, before, runs, start))
    times, dropped = [], 0
    deadline = time.monotonic() + timeout_s
    for _page, watch, slider, before, runs, start in pressed:
        finished = watch.wait_after(runs, max(1.0, deadline - time.monotonic()))
        after = slider.get_attribute("aria-valuetext")
        if finished is None or after == before:
            dropped += 1
            print(f"dropped: {key} value {before} -> {after}, run finished: {finished}",
                  file=sys.stderr)  # fmt: skip
        else:
            times.append(finished - start)
    return times, dropped


def browsers(sessions: int, moves: int, query: str) -> None:
    home = f"home page {query}".strip()
    with (
        server(APP) as (app_url, app_process),
        server(BASELINE) as (base_url, base_process),
        sync_playwright() as playwright,
    ):
        groups = {
            home: open_sessions(playwright, f"{app_url}/{query}", sessions),
            "floor page": open_sessions(playwright, base_url, sessions),
        }
        # One untimed round first (the first run of a fragment is slower), counted too
        warm_up = {name: round_of_moves(group, "ArrowRight")[1] for name, group in groups.items()}
        results = {name: ([], 0) for name in groups}
        for move in range(1, moves + 1):
            key = "ArrowRight" if move % 2 == 0 else "ArrowLeft"
            for name, group in groups.items():
                times, dropped = round_of_moves(group, key)
                results[name][0].extend(times)
                results[name] = (results[name][0], results[name][1] + dropped)
        # an exception element on the page, or a run that ended other than successfully
        exceptions = {n: sum(p.locator(EXCEPTION).count() + len(w.failed) for p, w in group)
                      for n, group in groups.items()}  # fmt: skip
        alive = {n: sum(not p.is_closed() and p.locator("[data-testid='stApp']").count() == 1
                        for p, _ in group) for n, group in groups.items()}  # fmt: skip
        rss = {home: rss_mb(app_process.pid),
               "floor page": rss_mb(base_process.pid)}  # fmt: skip
        for group in groups.values():
            for page, _ in group:
                page.context.browser.close()
    base = p95(results["floor page"][0])
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
    parser.add_argument("--query", default="", help="the home page's, e.g. ?p=pet-batch")
    args = parser.parse_args()
    if args.what == "browsers":
        browsers(args.sessions or 10, args.moves, args.query)
    else:
        from ws_client import websocket_load

        websocket_load(args.sessions or 50, args.moves)


if __name__ == "__main__":
    main()
