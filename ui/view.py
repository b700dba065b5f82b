"""What a page draws: one ``View`` of one ``ce_core.explain``, made by ``ui.compute`` only.

The numbers figures and tables draw, copied off the device once as numpy, and the torch
``Stages`` itself (``view.stages``) for what ce_core computes from it: PyTorch's routes and
mistakes, autograd, the formula and the code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import ce_core


def to_numpy(tensor) -> np.ndarray:  # noqa: ANN001 - a torch.Tensor
    """A tensor on any device as a float64 numpy array, for figures and tables."""
    return tensor.detach().cpu().double().numpy()


@dataclass(frozen=True, eq=False)
class View:
    """The stages of one valid input, on the CPU as numpy, ready to draw. Names as in
    ``ce_core.Stages``; ``checks`` are PyTorch's two public routes to the same loss."""

    stages: ce_core.Stages
    logits: np.ndarray  # (N, C)
    row_max: np.ndarray  # (N,)
    exp: np.ndarray  # (N, C) exp(acts - m)
    exp_sum: np.ndarray  # (N,)
    probs: np.ndarray  # (N, C)
    target: np.ndarray  # (N,) class indices (ignore_index where ignored), or (N, C) probabilities
    ignored: np.ndarray  # (N,) bool
    target_prob: np.ndarray  # (N,)
    target_weight: np.ndarray  # (N,)
    losses: np.ndarray  # (N,)
    loss: np.ndarray  # () or (N,)
    grad: np.ndarray  # (N, C)
    checks: dict[str, np.ndarray]  # "F.cross_entropy" / "nn.CrossEntropyLoss" -> like loss
    max_abs_diff: float  # the largest distance between ce_core's loss and either check

    @classmethod
    def of(cls, stages: ce_core.Stages) -> View:
        checks = ce_core.pytorch_losses(stages)
        target = stages.target.detach().cpu().numpy()
        target = target.astype(float) if target.ndim == 2 else target  # probabilities
        return cls(
            stages=stages, logits=to_numpy(stages.logits), row_max=to_numpy(stages.row_max),
            exp=to_numpy(stages.exp), exp_sum=to_numpy(stages.exp_sum),
            probs=to_numpy(stages.probs), target=target,
            ignored=stages.ignored.cpu().numpy(), target_prob=to_numpy(stages.target_prob),
            target_weight=to_numpy(stages.target_weight), losses=to_numpy(stages.losses),
            loss=to_numpy(stages.loss), grad=to_numpy(stages.grad),
            checks={name: to_numpy(value) for name, value in checks.items()},
            max_abs_diff=max(ce_core.max_abs_diff(stages.loss, v) for v in checks.values()),
        )  # fmt: skip

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.stages.class_names

    @property
    def reduction(self) -> str:
        return self.stages.reduction

    @property
    def device(self) -> str:
        return self.stages.device

    @property
    def dtype(self) -> str:
        return self.stages.dtype

    @property
    def n_rows(self) -> int:
        return self.stages.n_rows

    @property
    def n_classes(self) -> int:
        return self.stages.n_classes
