"""Server-side rerun time of the PyTorch, Gradients and Training pages, through AppTest.

Each round moves one slider on each page (label smoothing; the number of classes C, p
being the chart's own slider, which reruns nothing; the Training page redrawn without a
change, which must not retrain) and on the one-chart baseline page, interleaved, so the
ratios are measured in the same run. A retrain of the Training page (one setting changed:
2 runs x 300 steps, the progress bar, the maps) is timed too.

    python bench/bench_pages.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import print_ratios, timed_run  # noqa: E402


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    pytorch, gradients, training = page("pytorch"), page("gradients"), page("training")
    baseline = AppTest.from_file(str(ROOT / "bench" / "one_chart_app.py"), default_timeout=60)
    baseline.run()
    timings: dict[str, list[float]] = {
        "PyTorch: smoothing slider": [], "Gradients: C slider": [],
        "Training: redraw, no retrain": [], "Training: retrain (noise)": [],
        "baseline slider": [],
    }  # fmt: skip
    for round_ in range(args.rounds):
        pytorch.slider(key="pt_smoothing").set_value(0.05 * (round_ % 2))
        timings["PyTorch: smoothing slider"].append(timed_run(pytorch))
        gradients.slider(key="gr_classes").set_value(3 + round_ % 2)
        timings["Gradients: C slider"].append(timed_run(gradients))
        timings["Training: redraw, no retrain"].append(timed_run(training))
        training.slider(key="tr_noise").set_value(0.1 + 0.01 * (round_ % 2))
        timings["Training: retrain (noise)"].append(timed_run(training))
        baseline.slider(key="sample").set_value(round_ % 64)
        timings["baseline slider"].append(timed_run(baseline))

    print_ratios(
        f"{args.rounds} rounds; AppTest run time (script + element tree)",
        timings,
        "baseline slider",
        "rerun after",
    )


if __name__ == "__main__":
    main()
