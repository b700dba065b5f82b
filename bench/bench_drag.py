"""Every exploration that follows the mouse, dragged: redraws per second and reruns caused.

    python bench/bench_drag.py [--pages /softmax /log_likelihood ...] [--steps N]

For each page, every Plotly figure with its own slider (``figures/explore.py``) is dragged
from one end of its rail to the other, one mouse move per slider step (or ``--steps``
moves), in Chromium at 1400 px.
The page records the time of each ``plotly_sliderchange`` (the slider moved) and each
``plotly_animated`` (the frame is drawn) event on the figure; the script prints the median
and p95 gap between drawn frames (at most 33 ms: 30 redraws a second), the number of frames
drawn, the script reruns the drag caused (from the server's own messages: bench/reruns.py;
it must be 0), and the size of the figure's JSON (frames included; at most 1 MB).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))

from harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    LISTEN_TO_EXPLORATIONS,
    drag_exploration,
    streamlit_process,
    wait_idle,
)
from reruns import RerunWatch  # noqa: E402

sys.path.insert(0, str(ROOT))
from ui.navigation import PAGES as SPECS  # noqa: E402

PAGES = tuple(f"/{spec.url_path}" for spec in SPECS)  # every page, in the path's order
SIZES = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(gd => gd.layout && gd.layout.sliders && gd.layout.sliders.length)
  .map(gd => JSON.stringify({data: gd.data, layout: gd.layout,
                             frames: (gd._transitionData || {})._frames || []}).length)"""


def measure_open_explorations(page, watch, path: str, steps: int | None, seen: set) -> list:
    """Drag every exploration now on the page whose title is not in ``seen``."""
    rows = []
    count = page.evaluate(LISTEN_TO_EXPLORATIONS)
    sizes = page.evaluate(SIZES)
    plots = page.locator(".js-plotly-plot").filter(has=page.locator(".slider-rail-rect"))
    for index in range(count):
        # the chart's title, which ui/charts.py writes above it and keeps in layout.meta
        title = plots.nth(index).evaluate("gd => (gd.layout.meta || {}).title || ''")
        name = (title or f"#{index}")[:50]
        if name in seen:
            continue
        seen.add(name)
        runs = watch.count()
        events = drag_exploration(page, index, moves=steps)
        gaps = [b - a for a, b in zip(events["drawn"], events["drawn"][1:], strict=False)]
        row = {
            "page": path,
            "figure": name,
            "frames_drawn": len(events["drawn"]),
            "median_gap_ms": round(statistics.median(gaps), 1) if gaps else None,
            "p95_gap_ms": round(percentile(gaps, 0.95), 1) if gaps else None,
            "reruns": watch.count() - runs,
            "json_kb": round(sizes[index] / 1024, 1),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", nargs="+", default=PAGES)
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        help="mouse moves per drag (default: one per slider step)",
    )
    parser.add_argument("--query", default="", help="e.g. lang=zh-TW")
    args = parser.parse_args()
    rows = []
    with streamlit_process() as (base, _process), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in args.pages:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            watch = RerunWatch(page)
            page.goto(f"{base}{path}" + (f"?{args.query}" if args.query else ""))
            wait_idle(page)
            # A page's tabs draw only while open (the Softmax page's views): open each in turn
            tabs = page.get_by_role("tab").all_inner_texts() or [None]
            seen: set[str] = set()
            for tab in tabs:
                if tab is not None:
                    page.get_by_role("tab", name=tab).click()
                    page.wait_for_timeout(300)
                    wait_idle(page, charts=False)  # a tab may have no chart
                rows += measure_open_explorations(page, watch, path, args.steps, seen)
            page.close()
        browser.close()
    slow = [r for r in rows if r["median_gap_ms"] is None or r["median_gap_ms"] > 33]
    print(
        f"{len(rows)} explorations; {len(slow)} with a median gap above 33 ms; "
        f"{sum(r['reruns'] for r in rows)} reruns; largest figure "
        f"{max((r['json_kb'] for r in rows), default=0)} KB"
    )
    sys.exit(1 if slow or any(r["reruns"] for r in rows) else 0)


if __name__ == "__main__":
    main()
