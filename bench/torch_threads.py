"""What a small torch op costs with one thread or torch's default, on an idle or a busy machine.

    python bench/torch_threads.py [--busy 2] [--repeats 300]

The app's ops are small (the PyTorch page's 6 x 2 batch, the Softmax page's row), and on
this machine the browser renders on the same two cores while the server computes. Each
measurement: ``F.cross_entropy`` with label smoothing and ``torch.log_softmax`` on the book's
6 x 2 batch, timed ``--repeats`` times with a 2 ms pause between (as a script run spaces
them), first with the machine idle, then with ``--busy`` processes spinning on the cores
(standing in for the browser). Prints the median, p95 and largest time per thread count.
Why the app uses one thread: ``ui.compute.use_one_thread``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import ce_core


def timings(threads: int, repeats: int) -> list[float]:
    """Seconds per (cross_entropy, log_softmax) pair with ``threads`` intra-op threads."""
    torch.set_num_threads(threads)
    acts, targets = ce_core.PRESETS["3-vs-7"].tensors(torch.float64)
    for _ in range(10):  # first calls are slow once
        F.cross_entropy(acts, targets, label_smoothing=0.1)
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        F.cross_entropy(acts, targets, label_smoothing=0.1, reduction="none")
        torch.log_softmax(acts, 1)
        out.append(time.perf_counter() - started)
        time.sleep(0.002)
    return sorted(out)


def report(label: str, threads: int, seconds: list[float]) -> None:
    p95 = seconds[int(0.95 * (len(seconds) - 1))]
    print(f"{label:5s} threads={threads}: median {statistics.median(seconds) * 1e3:.3f} ms, "
          f"p95 {p95 * 1e3:.3f} ms, largest {seconds[-1] * 1e3:.3f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--busy", type=int, default=2, help="processes spinning meanwhile")
    parser.add_argument("--repeats", type=int, default=300)
    args = parser.parse_args()
    default = torch.get_num_threads()
    for label in ("idle", "busy"):
        spinners = []
        if label == "busy":
            spin = "while True: pass"
            spinners = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(args.busy)]
            time.sleep(0.5)
        try:
            for threads in sorted({1, default}):
                report(label, threads, timings(threads, args.repeats))
        finally:
            for spinner in spinners:
                spinner.kill()


if __name__ == "__main__":
    main()
