"""Cold start and memory of the app, each against the shared floor page, same run.

The floor (``../shared/bench/floor_app.py``: torch, one small Plotly chart, one slider) is
the workplace's standard; every figure is a ratio to it, measured in the same run,
alternating app and floor round by round (the machine is shared and noisy).

    python bench/bench_ship.py cold [--rounds 5]      # server start -> page drawn
    python bench/bench_ship.py memory [--sessions 10] [--path /language_model]
                                                      # server RSS with N open sessions

Slider timings: ``../shared/bench/every_slider.py`` (every slider of every page against the
floor) and ``bench/ab_sliders.py`` (two checkouts side by side); explorations that follow
the mouse: ``bench/bench_drag.py``; under load: ``bench/bench_load.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))

from harness import CHROMIUM, CHROMIUM_ARGS, streamlit_process, wait_idle  # noqa: E402
from reruns import FRAMES, RerunWatch  # noqa: E402
from timing import print_ratios  # noqa: E402

APP = ROOT / "app.py"
FLOOR = ROOT.parent / "shared" / "bench" / "floor_app.py"
BASELINE = FLOOR  # what bench_load.py and ws_client.py measure against


def server(script: Path) -> contextlib.AbstractContextManager[tuple[str, subprocess.Popen]]:
    """The test harness's server, polled finely (cold start is timed from its start)."""
    return streamlit_process(script, poll=0.05)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cold(browser, rounds: int, baseline: Path) -> None:
    """Server start -> page drawn, and where that time went: when the browser's session
    opened (the frontend loaded) and when the first script run finished (read off the
    websocket), each from the server's start."""
    names = ("app (home page)", "floor page")
    timings: dict[str, list[float]] = {name: [] for name in names}
    stages: dict[str, dict[str, list[float]]] = {name: {"session": [], "finished": []}
                                                 for name in names}  # fmt: skip
    for _ in range(rounds):
        for name, script in zip(names, (APP, baseline), strict=True):
            start = time.perf_counter()
            with server(script) as (url, _):
                page = browser.new_page(viewport={"width": 1440, "height": 1100})
                watch = RerunWatch(page)
                page.goto(url)
                wait_idle(page)  # script idle, no skeleton, the first Plotly chart drawn
                page.evaluate(FRAMES)
                timings[name].append(time.perf_counter() - start)
                stages[name]["session"].append(watch.opened - start)
                stages[name]["finished"].append(watch.finished[0] - start)
                page.close()
    print_ratios(f"cold start: server start -> page drawn, {rounds} rounds", timings, "floor page",
                 "page")  # fmt: skip
    print("median s from the server's start: session opened, first run finished, page drawn")
    for name in names:
        session, finished, drawn = (statistics.median(values) for values in (
            stages[name]["session"], stages[name]["finished"], timings[name]))  # fmt: skip
        print(f"{name:<20} {session:6.2f} {finished:6.2f} {drawn:6.2f}")


def memory(browser, sessions: int, baseline: Path, path: str = "/") -> None:
    """Server RSS with ``sessions`` browsers on the app's ``path`` (a page that trains keeps
    a model per session), and on the floor page."""
    figures: dict[str, list[float]] = {}
    for name, script, where in ((f"app ({path})", APP, path), ("floor page", baseline, "/")):
        with server(script) as (base_url, process):
            url = base_url.rstrip("/") + where
            idle_rss = rss_mb(process.pid)
            contexts = []
            for _ in range(sessions):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(url)
                wait_idle(page)
                contexts.append(context)
            time.sleep(2)
            figures[name] = [idle_rss, rss_mb(process.pid)]
            for context in contexts:
                context.close()
    base = figures["floor page"][1]
    print(f"server RSS, {sessions} open sessions, baseline {baseline.name}")
    print(f"{'server':<20} {'no session MB':>14} {f'{sessions} sessions MB':>16} {'ratio':>8}")
    for name, (idle, loaded) in figures.items():
        print(f"{name:<20} {idle:14.0f} {loaded:16.0f} {loaded / base:7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("cold", "memory"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--path", default="/", help="the app's page the sessions open (memory)")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if args.what == "cold":
            cold(browser, args.rounds, FLOOR)
        else:
            memory(browser, args.sessions, FLOOR, args.path)
        browser.close()


if __name__ == "__main__":
    main()
