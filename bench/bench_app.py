"""Server-side rerun time of the home page, through Streamlit's AppTest.

Times what a slider move or a cell edit costs on the server for the 64 x 37 preset (the
issue's target: median at most 150 ms), next to the one-chart baseline page measured in
the same run, round by round.

    python bench/bench_app.py [--rounds 30]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    home = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    home.query_params["p"] = "pet-batch"
    home.run()
    baseline = AppTest.from_file(str(ROOT / "bench" / "one_chart_app.py"), default_timeout=60)
    baseline.run()
    timings: dict[str, list[float]] = {"slider": [], "edit": [], "baseline slider": []}
    for round_ in range(args.rounds):
        sample = (round_ * 7) % 64
        home.slider(key="sample").set_value(sample)
        timings["slider"].append(timed_run(home))
        home.session_state["acts_editor"] = {
            "edited_rows": {sample: {"Persian": round_ * 0.1}},
            "added_rows": [],
            "deleted_rows": [],
        }
        timings["edit"].append(timed_run(home))
        baseline.slider(key="sample").set_value(sample)
        timings["baseline slider"].append(timed_run(baseline))

    print_ratios(
        f"home page, 64 x 37 preset, {args.rounds} rounds; AppTest run time (script + tree)",
        timings,
        "baseline slider",
        "rerun after",
    )


if __name__ == "__main__":
    main()
