"""ce_core.cross_entropy and ce_core.explain against F.cross_entropy, as ratios.

Both sides run in the same process on the same data, interleaved round by round, so a
noisy neighbour slows both alike; the figure that matters is the ratio of the medians.

    python bench/bench_core.py                 # CPU, float32, the issue's shapes
    python bench/bench_core.py --device cuda   # the same on a GPU (synchronizes each call)

The last row is a language model's logits, (batch, vocabulary, time) = (8, 32000, 128) in
float32 (131 MB) with targets (8, 128), in the K-dimensional form; beside its time, the
peak memory each side allocates beyond its inputs (on the CPU: the process's peak resident
memory, reset before each call through /proc/self/clear_refs; on a GPU:
torch.cuda.max_memory_allocated).
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere

import ce_core

CROSS_ENTROPY_SHAPES = [(64, 37), (4096, 1000), (65536, 1000)]
MATERIALIZED_SHAPES = [(65536, 1000)]  # the design ce_core's streaming replaces, for scale
EXPLAIN_SHAPES = [(64, 37), (1000, 1000)]  # explain refuses more than 1,000,000 cells
LANGUAGE_MODEL_SHAPE = (8, 32000, 128)  # (batch, vocabulary, time)


def timed(fn: Callable[[], object], device: torch.device) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def compare(
    ours: Callable[[], object],
    baseline: Callable[[], object],
    device: torch.device,
    min_seconds: float,
) -> tuple[float, float]:
    """Median seconds of (ours, baseline), alternating calls after a warm-up."""
    for _ in range(3):
        ours(), baseline()
    ours_times, base_times = [], []
    deadline = time.perf_counter() + min_seconds
    while len(ours_times) < 7 or time.perf_counter() < deadline:
        ours_times.append(timed(ours, device))
        base_times.append(timed(baseline, device))
        if len(ours_times) >= 1000:
            break
    return statistics.median(ours_times), statistics.median(base_times)


def batch(shape: tuple[int, int], device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    logits = torch.randn(shape, generator=gen) * 2
    target = torch.randint(0, shape[1], (shape[0],), generator=gen)
    return logits.to(device), target.to(device)


CROSS_ENTROPY = "ce_core.cross_entropy"
MATERIALIZED = "materialized logsumexp - x[targ] (reference)"
EXPLAIN = "ce_core.explain (stages, grad, check)"
CANDIDATES: dict[str, Callable[[torch.Tensor, torch.Tensor], object]] = {
    CROSS_ENTROPY: ce_core.cross_entropy,
    MATERIALIZED: lambda x, t: (torch.logsumexp(x, 1) - x.gather(1, t[:, None])[:, 0]).mean(),
    EXPLAIN: lambda x, t: ce_core.explain(x, t, device=x.device),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seconds", type=float, default=2.0, help="minimum time per row")
    args = parser.parse_args()
    device = ce_core.resolve_device(args.device)

    print(
        f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads, "
        "float32; times are medians, ratio = ours / F.cross_entropy"
    )
    print(f"{'what':<44} {'shape':>12} {'ours ms':>9} {'F ms':>9} {'ratio':>7}")
    rows = [(CROSS_ENTROPY, shape) for shape in CROSS_ENTROPY_SHAPES]
    rows += [(MATERIALIZED, shape) for shape in MATERIALIZED_SHAPES]
    rows += [(EXPLAIN, shape) for shape in EXPLAIN_SHAPES]
    for name, shape in rows:
        logits, target = batch(shape, device)
        ours = functools.partial(CANDIDATES[name], logits, target)
        baseline = functools.partial(F.cross_entropy, logits, target)
        ours_s, base_s = compare(ours, baseline, device, args.seconds)
        print(
            f"{name:<44} {f'{shape[0]}x{shape[1]}':>12} {ours_s * 1e3:9.3f} "
            f"{base_s * 1e3:9.3f} {ours_s / base_s:6.2f}x"
        )
    language_model_row(device, args.seconds)


def peak_extra_mb(fn: Callable[[], object], device: torch.device) -> float:
    """The most memory ``fn`` holds at once beyond what exists before it, in MB."""
    if device.type == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
        fn()
        torch.cuda.synchronize()
        return (torch.cuda.max_memory_allocated() - before) / 2**20
    status = Path("/proc/self/status")

    def kilobytes(field: str) -> int:
        line = next(x for x in status.read_text().splitlines() if x.startswith(field))
        return int(line.split()[1])

    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    before = kilobytes("VmRSS:")
    fn()
    return (kilobytes("VmHWM:") - before) / 1024


def language_model_row(device: torch.device, seconds: float) -> None:
    batch_size, vocabulary, time_steps = LANGUAGE_MODEL_SHAPE
    gen = torch.Generator().manual_seed(0)
    logits = (torch.randn(LANGUAGE_MODEL_SHAPE, generator=gen) * 2).to(device)
    target = torch.randint(0, vocabulary, (batch_size, time_steps), generator=gen).to(device)
    ours = functools.partial(ce_core.cross_entropy, logits, target)
    baseline = functools.partial(F.cross_entropy, logits, target)
    ours_s, base_s = compare(ours, baseline, device, seconds)
    shape = "x".join(str(n) for n in LANGUAGE_MODEL_SHAPE)
    print(f"{'ce_core.cross_entropy, (B, V, T) logits':<44} {shape:>12} {ours_s * 1e3:9.3f} "
          f"{base_s * 1e3:9.3f} {ours_s / base_s:6.2f}x")  # fmt: skip
    ours_mb = statistics.median(peak_extra_mb(ours, device) for _ in range(3))
    base_mb = statistics.median(peak_extra_mb(baseline, device) for _ in range(3))
    print(f"  peak extra memory: ours {ours_mb:.0f} MB, F.cross_entropy {base_mb:.0f} MB "
          f"(the logits: {logits.numel() * logits.element_size() / 2**20:.0f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
