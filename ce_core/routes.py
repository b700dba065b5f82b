"""PyTorch's own routes to cross-entropy, and the common mistakes, on a learner's tensors.

The book reaches the same number three ways: ``softmax -> log -> nll_loss``,
``log_softmax -> nll_loss``, and ``nn.CrossEntropyLoss`` (which does the softmax inside).
Here each route is run with PyTorch's functions on the tensors, options and device of an
``explain`` result, so the PyTorch page can show that they agree with ce_core's number, and
each common mistake is run the same way, so the page can show how far off it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ce_core.stages import (
    Stages,
    _on_given_shapes,
    loss_options,
    max_abs_diff,
    pytorch_losses,
)

# Route names, in the book's order; they double as the text the page shows.
ROUTE_SOFTMAX_LOG_NLL = "softmax → log → nll_loss"
ROUTE_LOG_SOFTMAX_NLL = "log_softmax → nll_loss"
ROUTE_FUNCTIONAL = "F.cross_entropy"
ROUTE_MODULE = "nn.CrossEntropyLoss"


@dataclass(frozen=True)
class Route:
    """One way of computing the loss: its value (shaped like ``Stages.loss``), or why not."""

    name: str
    value: torch.Tensor | None
    not_applicable: str | None = None  # why the route cannot take these options


def _reduce(losses: torch.Tensor, reduction: str) -> torch.Tensor:
    """Probability targets: "mean" divides by N, whatever the weights (PyTorch's rule)."""
    if reduction == "none":
        return losses
    return losses.sum() if reduction == "sum" else losses.mean()


LogProbs = Callable[[torch.Tensor], torch.Tensor]  # (N, C) logits -> (N, C) log-probabilities


def _nll_route(stages: Stages, log_probs_of: LogProbs) -> torch.Tensor:
    """``nll_loss(log_probs_of(acts), targ)`` with the stages' weight, ignore_index, reduction.

    ``nll_loss`` takes class indices only; for class-probability targets the route is its
    soft equivalent ``-(weight * targ * log_probs).sum(1)``, reduced over N.
    """
    options = loss_options(stages)
    del options["label_smoothing"]  # nll_loss has none; the caller refuses smoothing

    if stages.target_kind == "index":
        return _on_given_shapes(
            lambda acts, targ, **kw: F.nll_loss(log_probs_of(acts), targ, **kw),
            stages.logits,
            stages.target,
            options,
            stages.single_sample,
        )
    log_probs = log_probs_of(stages.logits)  # (N, C)
    coef = stages.target if stages.weight is None else stages.target * stages.weight
    losses = -(coef * log_probs).sum(1)  # (N,)
    loss = _reduce(losses, stages.reduction)
    return loss.reshape(()) if stages.single_sample and stages.reduction != "none" else loss


def pytorch_routes(stages: Stages) -> list[Route]:
    """The book's three routes (and the module), computed by PyTorch on the stages' input.

    Each value has the shape of ``stages.loss``. With ``label_smoothing > 0`` the two
    ``nll_loss`` routes are not applicable (``nll_loss`` has no such argument).
    """
    with torch.no_grad():
        checks = pytorch_losses(stages)
        if stages.label_smoothing > 0:
            reason = "nll_loss has no label_smoothing"
            nll_routes = [
                Route(ROUTE_SOFTMAX_LOG_NLL, None, reason),
                Route(ROUTE_LOG_SOFTMAX_NLL, None, reason),
            ]
        else:
            nll_routes = [
                Route(
                    ROUTE_SOFTMAX_LOG_NLL,
                    _nll_route(stages, lambda acts: torch.log(torch.softmax(acts, dim=-1))),
                ),
                Route(
                    ROUTE_LOG_SOFTMAX_NLL,
                    _nll_route(stages, lambda acts: torch.log_softmax(acts, dim=-1)),
                ),
            ]
    return [
        *nll_routes,
        Route(ROUTE_MODULE, checks["nn.CrossEntropyLoss"]),
        Route(ROUTE_FUNCTIONAL, checks["F.cross_entropy"]),
    ]


def routes_max_abs_diff(stages: Stages, routes: list[Route]) -> float:
    """The largest distance between ce_core's loss and any applicable PyTorch route."""
    return max(
        (max_abs_diff(stages.loss, route.value) for route in routes if route.value is not None),
        default=0.0,
    )


# ---------------------------------------------------------------------------- mistakes


@dataclass(frozen=True)
class Mistake:
    """A common mistake: the number it gives next to the right one (both scalars)."""

    key: str  # the text catalog's key for its explanation
    wrong: float | None
    right: float
    not_applicable: str | None = None


def _scalar(value: torch.Tensor) -> float:
    return float(value.detach().double().mean()) if value.numel() else float("nan")


def common_mistakes(stages: Stages) -> list[Mistake]:
    """Four mistakes learners make with PyTorch's losses, on the stages' input and options.

    - ``double_softmax``: a softmax before ``CrossEntropyLoss``, which does one inside.
    - ``no_log``: softmax probabilities fed to ``nll_loss``, which does not take the log.
    - ``no_minus``: the mean log-likelihood without its minus sign (minimizing it would make
      the model worse).
    - ``mse_one_hot``: mean squared error between the softmax and one-hot targets.

    A "none" reduction is summarized by its mean, so every mistake is one number.
    """
    acts, targ = stages.logits, stages.target  # (N, C); (N,) or (N, C)
    options = loss_options(stages)
    index = stages.target_kind == "index"
    keep = ~stages.ignored  # (N,) rows that count
    with torch.no_grad():
        right = _scalar(stages.reference_loss)
        probs = torch.softmax(acts, dim=1)  # (N, C)
        log_probs = torch.log_softmax(acts, dim=1)
        double = F.cross_entropy(probs, targ, **options)
        target_dist = stages.target_distribution() if not index else None
        if index:
            nll_options = {k: options[k] for k in ("weight", "ignore_index", "reduction")}
            no_log = Mistake("no_log", _scalar(F.nll_loss(probs, targ, **nll_options)),
                             _scalar(F.nll_loss(log_probs, targ, **nll_options)))  # fmt: skip
            one_hot = F.one_hot(targ[keep], stages.n_classes).to(probs.dtype)  # (N', C)
            picked_log = log_probs[keep].gather(1, targ[keep][:, None])[:, 0]  # (N',)
        else:
            no_log = Mistake(
                "no_log", None, right, "nll_loss takes class indices, not probability targets"
            )
            one_hot = target_dist
            picked_log = (target_dist * log_probs).sum(1)
        plain_ce = _scalar(-picked_log.mean()) if len(picked_log) else float("nan")
        mse = F.mse_loss(probs[keep], one_hot) if len(one_hot) else torch.tensor(float("nan"))
    return [
        Mistake("double_softmax", _scalar(double), right),
        no_log,
        Mistake("no_minus", _scalar(picked_log.mean()) if len(picked_log) else None, plain_ce),
        Mistake("mse_one_hot", _scalar(mse), right),
    ]


def raw_output_row_sums(stages: Stages) -> tuple[torch.Tensor, torch.Tensor]:
    """(N,) row sums of the model's raw outputs and of their softmax (seed 003's get_preds).

    A model trained with ``CrossEntropyLoss`` outputs logits: big numbers, negatives in,
    rows that do not sum to 1. Predictions need a softmax to become probabilities.
    """
    return stages.logits.sum(1), stages.probs.sum(1)
