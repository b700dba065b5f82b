"""Shared by the bench scripts: one AppTest rerun timed, and the table of medians and ratios."""

from __future__ import annotations

import statistics
import time

from streamlit.testing.v1 import AppTest


def timed_run(at: AppTest) -> float:
    """Seconds one ``at.run()`` takes (script + element tree); fails on an exception."""
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def print_ratios(title: str, timings: dict[str, list[float]], baseline: str, label: str) -> None:
    """Median, p90 and the ratio of medians to ``timings[baseline]``, one line per entry."""
    base = statistics.median(timings[baseline])
    width = max(len(name) for name in timings) + 2
    print(title)
    print(f"{label:<{width}} {'median ms':>10} {'p90 ms':>8} {'vs ' + baseline:>20}")
    for name, values in timings.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
        print(f"{name:<{width}} {median * 1e3:10.1f} {p90 * 1e3:8.1f} {median / base:19.2f}x")
