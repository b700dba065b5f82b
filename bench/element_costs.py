"""What one element of each kind costs the browser on every move of a fragment's slider.

    python bench/element_costs.py [--kinds formula code markdown] [--where changing outside]
                                  [--count 10] [--moves 16] [--rounds 2]

Runs ``bench/element_cost_app.py`` once per kind and place (and once with no elements),
moves its slider the shared standard's way (``../shared/bench/every_slider.py``: found by
role, one step and back, key press -> idle) and reads the CPU time Chromium's renderer
processes spent over the moves from ``/proc`` (Linux). Prints, per kind and place, the
renderer's milliseconds per move and per element above the page with no elements, and the
standard's p50 latency; rounds are interleaved, and the medians over rounds are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

SHARED_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
sys.path.insert(0, str(SHARED_BENCH))

import every_slider  # noqa: E402  (the shared standard: its server start and idle wait)

HERE = Path(__file__).resolve().parent
KINDS = ("formula", "code", "plain_code", "grid", "table", "picture", "markdown", "alert",
         "slider")  # fmt: skip
PLACES = ("changing", "unchanged", "outside")
TICKS = os.sysconf("SC_CLK_TCK")


def renderer_cpu_s() -> float:
    """CPU seconds used so far by every Chromium renderer process on this machine."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"--type=renderer" not in (proc / "cmdline").read_bytes():
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def one_run(browser, kind: str, where: str, count: int, moves: int) -> tuple[float, float]:
    """(renderer ms per move, p50 latency in ms) of the page with ``count`` ``kind``."""
    os.environ |= {"KIND": kind, "WHERE": where, "COUNT": str(count)}
    server, port = every_slider.serve(str(HERE), "element_cost_app.py")
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/")
        every_slider.idle(page)
        page.wait_for_timeout(1000)
        before, latencies = renderer_cpu_s(), []
        for move in range(moves):
            slider = page.get_by_role("slider").first
            slider.focus()
            start = time.time()
            slider.press(("ArrowRight", "ArrowLeft")[move % 2])
            page.wait_for_timeout(20)
            every_slider.idle(page)
            latencies.append(time.time() - start)
        cpu = (renderer_cpu_s() - before) / moves * 1e3
        page.close()
        return cpu, statistics.median(latencies) * 1e3
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", nargs="+", default=KINDS, choices=KINDS)
    parser.add_argument("--where", nargs="+", default=PLACES, choices=PLACES)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--moves", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    runs = [("none", "changing")] + [(k, w) for k in args.kinds for w in args.where]
    results: dict[tuple[str, str], list[tuple[float, float]]] = {run: [] for run in runs}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])  # fmt: skip
        for round_ in range(args.rounds):
            for run in runs if round_ % 2 == 0 else runs[::-1]:
                results[run].append(one_run(browser, *run, args.count, args.moves))
        browser.close()
    base = statistics.median(cpu for cpu, _ in results[("none", "changing")])
    for (kind, where), rows in results.items():
        cpu = statistics.median(c for c, _ in rows)
        count = args.count if kind != "none" else 1
        print(json.dumps({
            "kind": kind, "where": where if kind != "none" else "-",
            "renderer_ms_per_move": round(cpu), "per_element_ms": round((cpu - base) / count, 1),
            "p50_ms": round(statistics.median(p50 for _, p50 in rows)),
        }), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
