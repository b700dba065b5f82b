"""What a page draws, as plain numpy: a StageView made once from ce_core's Stages.

Also the text that writes one sample's computation out (LaTeX) and the PyTorch code that
reproduces the page's numbers. Pure functions: no Streamlit, no recomputation (every
number comes from the Stages).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import ce_core
from ce_core.stages import Stages


@dataclass(frozen=True)
class StageView:
    """The stages of one valid input, on the CPU as numpy, ready to draw."""

    class_names: tuple[str, ...]
    logits: np.ndarray  # (N, C)
    row_max: np.ndarray  # (N,)
    exp: np.ndarray  # (N, C) exp(acts - m)
    exp_sum: np.ndarray  # (N,)
    probs: np.ndarray  # (N, C)
    targets: np.ndarray  # (N,) class indices (ignore_index for ignored rows)
    target_prob: np.ndarray  # (N,)
    losses: np.ndarray  # (N,)
    loss: np.ndarray  # () or (N,)
    reduction: str
    checks: dict[str, np.ndarray]  # "F.cross_entropy" / "nn.CrossEntropyLoss" -> like loss
    max_abs_diff: float
    device: str
    dtype: str

    @property
    def n_rows(self) -> int:
        return self.logits.shape[0]

    @property
    def n_classes(self) -> int:
        return self.logits.shape[1]


def to_numpy(tensor) -> np.ndarray:  # noqa: ANN001 - a torch.Tensor
    """A tensor on any device as a float64 numpy array, for figures and tables."""
    return tensor.detach().cpu().double().numpy()


def stage_view(stages: Stages) -> StageView:
    """Copy what the pages draw off the device, once per valid input."""
    checks = ce_core.pytorch_losses(stages)
    diff = max(ce_core.max_abs_diff(stages.loss, value) for value in checks.values())
    return StageView(
        class_names=stages.class_names,
        logits=to_numpy(stages.logits),
        row_max=to_numpy(stages.row_max),
        exp=to_numpy(stages.exp),
        exp_sum=to_numpy(stages.exp_sum),
        probs=to_numpy(stages.probs),
        targets=stages.target.detach().cpu().numpy(),
        target_prob=to_numpy(stages.target_prob),
        losses=to_numpy(stages.losses),
        loss=to_numpy(stages.loss),
        reduction=stages.reduction,
        checks={name: to_numpy(value) for name, value in checks.items()},
        max_abs_diff=diff,
        device=stages.device,
        dtype=stages.dtype,
    )


# ---------------------------------------------------------------------------- LaTeX

MAX_TERMS = 6  # longer sums are written with an ellipsis


def _n(value: float) -> str:
    """A number for LaTeX: 4 decimals, negatives in parentheses where they follow a sign."""
    return f"{value:.4f}"


def _terms(items: list[str], keep: set[int]) -> str:
    """Join sum terms, eliding the middle of long sums but always keeping ``keep``."""
    if len(items) <= MAX_TERMS:
        return " + ".join(items)
    shown = sorted({0, 1, len(items) - 1} | keep)
    parts, previous = [], -1
    for i in shown:
        if i - previous > 1:
            parts.append(r"\cdots")
        parts.append(items[i])
        previous = i
    return " + ".join(parts)


def sample_latex(view: StageView, idx: int) -> str:
    """The selected sample's computation, step by step with its own numbers (KaTeX).

    One ``aligned`` block, a step per line, so that long sums wrap instead of overflowing.
    """
    acts = view.logits[idx]
    targ = int(view.targets[idx])
    m = view.row_max[idx]
    name = view.class_names[targ]
    shifted = [rf"e^{{{_n(a)} - ({_n(m)})}}" for a in acts]
    exps = [_n(e) for e in view.exp[idx]]
    total = _n(view.exp_sum[idx])
    p = view.target_prob[idx]
    p_name = rf"p_{{\text{{{name}}}}}"
    lines = [
        rf"m &= \max_j \mathrm{{acts}}[{idx}, j] = {_n(m)}",
        rf"\textstyle\sum_j e^{{\mathrm{{acts}}[{idx}, j] - m}} &= {_terms(shifted, {targ})}",
        rf"&= {_terms(exps, {targ})} = {total}",
        rf"{p_name} = \mathrm{{sm\_acts}}[{idx}, {targ}]"
        rf" &= \frac{{e^{{{_n(acts[targ])} - ({_n(m)})}}}}{{{total}}}"
        rf" = \frac{{{_n(view.exp[idx, targ])}}}{{{total}}} = {_n(p)}",
        rf"\mathrm{{loss}}[{idx}] = -\ln {p_name} &= -\ln({_n(p)}) = {_n(view.losses[idx])}",
    ]
    return r"\begin{aligned}" + r" \\[4pt] ".join(lines) + r"\end{aligned}"


def reduction_latex(view: StageView) -> str:
    """The reduction written out with the per-sample losses (wrapped after 4 terms)."""
    losses = [_n(v) for v in view.losses]
    n = view.n_rows
    if view.reduction == "none":
        shown = ", ".join(losses[:MAX_TERMS]) + (r", \ldots" if n > MAX_TERMS else "")
        return rf"\mathrm{{loss}} = [{shown}]"
    total = _terms(losses, set())
    result = _n(float(view.loss))
    if view.reduction == "mean":
        return (
            rf"\begin{{aligned}}\mathrm{{loss}} &= \tfrac{{1}}{{{n}}}\left({total}\right) \\"
            rf" &= {result}\end{{aligned}}"
        )
    return rf"\begin{{aligned}}\mathrm{{loss}} &= {total} \\ &= {result}\end{{aligned}}"


# ---------------------------------------------------------------------------- code

MAX_CODE_ROWS = 64


def pytorch_code(view: StageView) -> str:
    """PyTorch that reproduces the page's numbers, with the book's names."""
    rows = ",\n        ".join(
        "[" + ", ".join(f"{a:.4f}" for a in row) + "]" for row in view.logits[:MAX_CODE_ROWS]
    )
    targ = ", ".join(str(int(t)) for t in view.targets)
    reduction = "" if view.reduction == "mean" else f", reduction='{view.reduction}'"
    loss = f"{float(view.loss):.4f}" if view.loss.ndim == 0 else f"{view.n_rows} per-sample losses"
    return f"""import torch
import torch.nn.functional as F

acts = torch.tensor([{rows}], dtype=torch.{view.dtype})
targ = torch.tensor([{targ}])

sm_acts = torch.softmax(acts, dim=1)       # rows sum to 1
idx = range(len(targ))
sm_acts[idx, targ]                         # probability of each target
-torch.log(sm_acts[idx, targ])             # loss per sample
F.nll_loss(torch.log_softmax(acts, dim=1), targ{reduction})
F.cross_entropy(acts, targ{reduction})     # {loss}
torch.nn.CrossEntropyLoss({reduction.lstrip(", ")})(acts, targ)
"""
