"""Every slider of two checkouts of the app, against each other and the shared floor page,
interleaved page by page so that a busier minute of the machine hits both alike.

    python bench/ab_sliders.py BEFORE_DIR AFTER_DIR [--rounds 3] [--moves 6] [--pages / /softmax]
                               [--query lang=zh-TW]

The measurement is the shared standard's own (``../shared/bench/every_slider.py``: each
slider found by role, one step and back ``--moves`` times, slider -> idle); this script only
runs the two apps and the floor side by side, alternating which app goes first, and prints
per slider the median over rounds of each app's p50 as a ratio to the floor's median. Use
it to show that a change made no slider slower.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

SHARED_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
sys.path.insert(0, str(SHARED_BENCH))

import every_slider  # noqa: E402  (the shared standard: its idle wait and its measure)

PAGES = ("/", "/softmax", "/log_likelihood", "/pytorch", "/gradients", "/training", "/entropy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--moves", type=int, default=6)
    parser.add_argument("--pages", nargs="+", default=PAGES, help="paths, e.g. / /softmax")
    parser.add_argument("--query", default="", help="added to each app page's URL, e.g. lang=zh-TW")
    args = parser.parse_args()
    apps = {"before": args.before.resolve(), "after": args.after.resolve()}
    servers = {"floor": every_slider.serve(str(SHARED_BENCH), "floor_app.py")}
    servers |= {name: every_slider.serve(str(path), "app.py") for name, path in apps.items()}
    floors: list[float] = []
    p50s: dict[tuple[str, str, str], list[float]] = {}  # (app, page, slider) -> per round
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox"])  # fmt: skip
            for round_ in range(args.rounds):
                floor_url = f"http://127.0.0.1:{servers['floor'][1]}/"
                floors.append(every_slider.measure(browser, floor_url, args.moves * 2, 1)[0][1])
                order = ("before", "after") if round_ % 2 == 0 else ("after", "before")
                for page in args.pages:
                    for name in order:
                        url = f"http://127.0.0.1:{servers[name][1]}{page}"
                        url += f"?{args.query}" if args.query else ""
                        for slider, p50 in every_slider.measure(browser, url, args.moves, 99):
                            p50s.setdefault((name, page, slider), []).append(p50)
            browser.close()
    finally:
        for process, _port in servers.values():
            process.terminate()
    floor = statistics.median(floors)
    print(f"floor p50, median of {len(floors)} rounds: {floor:.3f} s")
    for (name, page, slider), values in sorted(p50s.items(), key=lambda kv: kv[0][1:]):
        median = statistics.median(values)
        print(json.dumps({"app": name, "page": page, "slider": slider, "p50_s": round(median, 3),
                          "x_floor": round(median / floor, 2)}))  # fmt: skip


if __name__ == "__main__":
    main()
