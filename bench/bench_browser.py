"""Slider -> idle in a real browser: the home page against a one-chart page, same run.

Both apps run under `streamlit run` side by side; one Chromium drives both, alternating
page by page, so machine noise hits both alike. Timed from the key press that moves the
slider until the new sample's heading is shown, the script is idle and two animation
frames have passed (the charts have been redrawn). The issue's target: the home page at
most 1.5x the one-chart page.

    python bench/bench_browser.py [--moves 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))

from harness import CHROMIUM, CHROMIUM_ARGS, IDLE, streamlit_server, wait_idle  # noqa: E402
from reruns import FRAMES  # noqa: E402
from timing import print_ratios  # noqa: E402


def move_and_time(page, sample: int) -> float:
    slider = page.get_by_role("slider").first
    slider.focus()
    start = time.perf_counter()
    slider.press("ArrowRight")
    page.get_by_text(f"Sample {sample}, written out").wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.evaluate(FRAMES)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args()
    with (
        streamlit_server(ROOT / "app.py") as home_url,
        streamlit_server(ROOT / "bench" / "one_chart_app.py") as base_url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 1100})
        pages = {
            "home page (64 x 37 preset)": context.new_page(),
            "one-chart page": context.new_page(),
        }
        urls = [f"{home_url}/?p=pet-batch", base_url]
        for page, url in zip(pages.values(), urls, strict=True):
            page.goto(url)
            wait_idle(page)
        timings: dict[str, list[float]] = {name: [] for name in pages}
        for move in range(1, args.moves + 1):
            for name, page in pages.items():
                page.bring_to_front()
                timings[name].append(move_and_time(page, move))
        browser.close()

    print_ratios(
        f"slider -> idle in Chromium, {args.moves} moves each, alternating",
        timings,
        "one-chart page",
        "page",
    )


if __name__ == "__main__":
    main()
