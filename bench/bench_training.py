"""The budgets of the pages that train live: 300 steps of the default model in at most 2 s
on the CPU, on the Training page and on the Language models page.

Prints the median seconds of ``ce_core.training.train`` (300 steps, the page's defaults:
spirals, K = 3, 100 points per class, MLP h = 32, cross-entropy, lr 0.1) and, as the
baseline measured in the same run, the same loop written plainly in PyTorch (no history,
no accuracy, no progress callback): the ratio is what the page's bookkeeping costs. Then
the same for ``ce_core.language_model.train`` (the character MLP, context 3, 300 steps,
Adam lr 0.003; and the bigram), against the loop the page shows in plain PyTorch.

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

from ce_core import language_model, training

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


COLD_LANGUAGE = """
import time, sys
sys.path.insert(0, {root!r})
import torch
from ce_core import language_model
start = time.perf_counter()
language_model.train(language_model.load_text())
print(time.perf_counter() - start)
"""
COLD = """
import time, sys
sys.path.insert(0, {root!r})
import torch
from ce_core import language_model, training
start = time.perf_counter()
training.train(training.make_dataset("spirals", 3, 100, 0.1, seed=0), model="mlp", hidden=32,
               loss="cross_entropy", lr=0.1, steps=300)
print(time.perf_counter() - start)
"""


def cold_seconds(script: str | None = None) -> float:
    """The first training in a fresh process (imports done): lazy initialisation included."""
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", (script or COLD).format(root=root)], capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def plain_language_loop(text: language_model.Text) -> None:
    """The loop of the Language models page's code block, on the same examples: the
    character MLP trained plainly with torch.optim.Adam."""
    x, y = text.examples(3)
    torch.manual_seed(0)
    v = text.vocabulary.size
    nn = torch.nn
    net = nn.Sequential(nn.Embedding(v, 10), nn.Flatten(), nn.Linear(30, 64), nn.Tanh(),
                        nn.Linear(64, v))  # fmt: skip
    opt = torch.optim.Adam(net.parameters(), lr=0.003)
    for _ in range(300):
        loss = F.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


def language_rows() -> None:
    """The Language models page's training: median of 9, interleaved with the plain loop."""
    text = language_model.load_text()
    times: dict[str, list[float]] = {"mlp": [], "bigram": [], "plain": []}
    runs = {
        "mlp": lambda: language_model.train(text, on_step=lambda step, loss: None),
        "bigram": lambda: language_model.train(text, kind="bigram", lr=0.1),
        "plain": lambda: plain_language_loop(text),
    }
    for run in runs.values():  # warm-up
        run()
    for _ in range(9):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    plain = statistics.median(times["plain"])
    for name in ("mlp", "bigram"):
        median = statistics.median(times[name])
        verdict = "within" if median <= BUDGET_SECONDS else "OVER"
        print(f"language_model.train({name}, 300 steps): median {median:.3f} s  "
              f"(budget {BUDGET_SECONDS:.1f} s: {verdict}); "
              f"{median / plain:.2f}x the plain loop")  # fmt: skip
    print(f"plain PyTorch loop (the page's code):   median {plain:.3f} s")
    cold = statistics.median(cold_seconds(COLD_LANGUAGE) for _ in range(3))
    print(f"first language_model.train in a fresh process (median of 3): {cold:.3f} s  "
          f"({'within' if cold <= BUDGET_SECONDS else 'OVER'} budget)")  # fmt: skip


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
    language_rows()


if __name__ == "__main__":
    main()
