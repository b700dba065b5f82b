"""The Training page's budget: 300 steps of the default model in at most 2 s on the CPU.

Prints the median seconds of ``ce_core.training.train`` (300 steps, the page's defaults:
spirals, K = 3, 100 points per class, MLP h = 32, cross-entropy, lr 0.1) and, as the
baseline measured in the same run, the same loop written plainly in PyTorch (no history,
no accuracy, no progress callback): the ratio is what the page's bookkeeping costs.

    python bench/bench_training.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

from ce_core import training

BUDGET_SECONDS = 2.0
DEFAULTS = {"model": "mlp", "hidden": 32, "loss": "cross_entropy", "lr": 0.1, "steps": 300}


def plain_loop(data: training.Dataset) -> None:
    """The baseline: the bare training loop on the same data and model."""
    net = training.make_model("mlp", data.n_classes, 32, seed=0)
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    for _ in range(300):
        loss = F.cross_entropy(net(data.points), data.labels)
        opt.zero_grad()
        loss.backward()
        opt.step()


COLD = """
import time, sys
sys.path.insert(0, {root!r})
import torch
from ce_core import training
start = time.perf_counter()
training.train(training.make_dataset("spirals", 3, 100, 0.1, seed=0), model="mlp", hidden=32,
               loss="cross_entropy", lr=0.1, steps=300)
print(time.perf_counter() - start)
"""


def cold_seconds() -> float:
    """The first training in a fresh process (imports done): lazy initialisation included."""
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", COLD.format(root=root)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    data = training.make_dataset("spirals", 3, 100, 0.1, seed=0)
    ours_times, base_times = [], []
    for _ in range(2):  # warm-up
        training.train(data, **DEFAULTS), plain_loop(data)
    for _ in range(9):  # interleaved, so a noisy neighbour slows both alike
        start = time.perf_counter()
        training.train(data, **DEFAULTS, on_step=lambda step, loss: None)
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_loop(data)
        base_times.append(time.perf_counter() - start)
    ours, base = statistics.median(ours_times), statistics.median(base_times)
    cold = statistics.median(cold_seconds() for _ in range(3))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"train(300 steps, defaults): median {ours:.3f} s  (budget {BUDGET_SECONDS:.1f} s: "
          f"{'within' if ours <= BUDGET_SECONDS else 'OVER'})")  # fmt: skip
    print(f"plain PyTorch loop:         median {base:.3f} s")
    print(f"ratio train / plain loop:   {ours / base:.2f}x")
    print(f"first train in a fresh process (median of 3): {cold:.3f} s  "
          f"({'within' if cold <= BUDGET_SECONDS else 'OVER'} budget)")  # fmt: skip


if __name__ == "__main__":
    main()
