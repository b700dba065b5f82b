"""Cold start, memory and slider -> idle of every page, each against a baseline page.

The baseline is the same stack: torch, one Plotly chart, one slider: the shared floor page
(``--baseline floor``: ../shared/bench/floor_app.py, the workplace's standard) or this
repository's one-chart page (``--baseline one-chart``: bench/one_chart_app.py, a 64 x 37
heatmap 1300 px tall, the earlier figures' baseline). Every figure is a ratio to it,
measured in the same run, alternating app and baseline round by round (the machine is
shared and noisy).

    python bench/bench_ship.py cold [--rounds 5] [--baseline floor]  # server start -> drawn
    python bench/bench_ship.py memory [--sessions 10]  # server RSS with N open sessions
    python bench/bench_ship.py interact [--moves 8]    # slider -> idle, every page
"""

from __future__ import annotations

import argparse
import contextlib
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
BASELINES = {
    "floor": ROOT.parent / "shared" / "bench" / "floor_app.py",
    "one-chart": ROOT / "bench" / "one_chart_app.py",
}
# (page path, the slider's accessible name: None = the first slider, the key that moves it
# one step and back: a slider that starts at its right end moves left first)
SLIDERS = {
    "home (pet-batch 64 x 37)": ("?p=pet-batch", None, "ArrowRight"),
    "softmax": ("softmax", "gap: how far the first activation is above the others", "ArrowRight"),
    "log_likelihood": ("log_likelihood", "A probability p", "ArrowRight"),
    "pytorch": ("pytorch", "label_smoothing", "ArrowRight"),
    "gradients": ("gradients", "Probability of the target class, p", "ArrowRight"),
    # The settings are a form (no rerun until "Train"); its slider is the replay's.
    "training (replay step)": ("training", "Show the model after step", "ArrowLeft"),
}
BACK = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}


def server(script: Path) -> contextlib.AbstractContextManager[tuple[str, subprocess.Popen]]:
    """The test harness's server, polled finely (cold start is timed from its start)."""
    return streamlit_process(script, poll=0.05)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cold(browser, rounds: int, baseline: Path) -> None:
    timings: dict[str, list[float]] = {"app (home page)": [], "baseline page": []}
    for _ in range(rounds):
        for name, script in (("app (home page)", APP), ("baseline page", baseline)):
            start = time.perf_counter()
            with server(script) as (url, _):
                page = browser.new_page(viewport={"width": 1440, "height": 1100})
                page.goto(url)
                wait_idle(page)  # script idle, no skeleton, the first Plotly chart drawn
                page.evaluate(FRAMES)
                timings[name].append(time.perf_counter() - start)
                page.close()
    print_ratios(f"cold start: server start -> page drawn, {rounds} rounds, baseline "
                 f"{baseline.name}", timings, "baseline page", "page")  # fmt: skip


def memory(browser, sessions: int, baseline: Path) -> None:
    figures: dict[str, list[float]] = {}
    for name, script in (("app (home page)", APP), ("baseline page", baseline)):
        with server(script) as (url, process):
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
    base = figures["baseline page"][1]
    print(f"server RSS, {sessions} open sessions, baseline {baseline.name}")
    print(f"{'server':<20} {'no session MB':>14} {f'{sessions} sessions MB':>16} {'ratio':>8}")
    for name, (idle, loaded) in figures.items():
        print(f"{name:<20} {idle:14.0f} {loaded:16.0f} {loaded / base:7.2f}x")


def move_and_wait(page, watch: RerunWatch, slider, key: str) -> float:
    """Press ``key`` on ``slider``; seconds until the run it caused has finished and the
    browser has drawn two frames after it."""
    runs = watch.count()
    start = time.perf_counter()
    slider.press(key)
    if watch.wait_after(runs) is None:
        raise TimeoutError(f"no rerun finished within 60 s of pressing {key}")
    page.evaluate(FRAMES)
    return time.perf_counter() - start


def timed_move(page, watch: RerunWatch, slider_name: str | None, key: str) -> float:
    slider = (page.get_by_role("slider", name=slider_name) if slider_name
              else page.get_by_role("slider")).first  # fmt: skip
    slider.focus()
    elapsed = move_and_wait(page, watch, slider, key)
    # Back, so that the next move is the same move; waited for like the move itself (a
    # press during the slider's debounce would merge with the next one into no change).
    move_and_wait(page, watch, slider, BACK[key])
    return elapsed


def interact(browser, moves: int, baseline: Path) -> None:
    with server(APP) as (url, _), server(baseline) as (base_url, _):
        context = browser.new_context(viewport={"width": 1440, "height": 1100})
        pages, watches = {}, {}
        addresses = {name: f"{url}/{path}" for name, (path, _s, _k) in SLIDERS.items()}
        addresses["baseline page"] = base_url
        for name, address in addresses.items():
            pages[name] = context.new_page()
            watches[name] = RerunWatch(pages[name])
            pages[name].goto(address)
            wait_idle(pages[name])
        timings: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(moves):
            for name, page in pages.items():
                page.bring_to_front()
                _path, slider, key = SLIDERS.get(name, (None, None, "ArrowRight"))
                timings[name].append(timed_move(page, watches[name], slider, key))
    print_ratios(f"slider -> idle in Chromium, {moves} moves per page, alternating, baseline "
                 f"{baseline.name}", timings, "baseline page", "page")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("cold", "memory", "interact"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--baseline", choices=tuple(BASELINES), default="one-chart")
    args = parser.parse_args()
    baseline = BASELINES[args.baseline]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if args.what == "cold":
            cold(browser, args.rounds, baseline)
        elif args.what == "memory":
            memory(browser, args.sessions, baseline)
        else:
            interact(browser, args.moves, baseline)
        browser.close()


if __name__ == "__main__":
    main()
