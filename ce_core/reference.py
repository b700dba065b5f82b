"""What PyTorch says: its own functions run on the input, options and device of an ``explain``.

The app never computes its numbers with these; it shows them beside ce_core's. Here:

- ``reference_loss`` / ``pytorch_losses``: ``F.cross_entropy`` and ``nn.CrossEntropyLoss``;
- ``pytorch_routes``: the book's three routes to one number (``softmax -> log -> nll_loss``,
  ``log_softmax -> nll_loss``, ``nn.CrossEntropyLoss``) and ``F.cross_entropy``;
- ``common_mistakes``: the numbers that four common mistakes give, beside the right one;
- ``autograd_grad``: the gradient by autograd, beside the closed form of ``Stages.grad``.

Each runs on the shapes the learner gave: a single sample (C,) goes to PyTorch as (C,).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from i18n import Message

if TYPE_CHECKING:
    from ce_core.stages import Stages

RouteFunction = Callable[..., torch.Tensor]  # (acts, targ, **options) -> loss
ROUTE_KEYS = ("softmax_log_nll", "log_softmax_nll", "module", "functional")  # the book's order
MISTAKE_KEYS = ("double_softmax", "no_log", "no_minus", "mse_one_hot")  # common_mistakes' order


@dataclass(frozen=True)
class LossOptions:
    """The options of ``F.cross_entropy`` beside the input: ``F.cross_entropy(x, t, **kwargs)``."""

    weight: torch.Tensor | None
    ignore_index: int
    reduction: str
    label_smoothing: float

    def kwargs(self, *, smoothing: bool = True) -> dict:
        """As keyword arguments; without ``label_smoothing`` for ``nll_loss``, which has none."""
        options = {"weight": self.weight, "ignore_index": self.ignore_index,
                   "reduction": self.reduction}  # fmt: skip
        return options | ({"label_smoothing": self.label_smoothing} if smoothing else {})


def loss_options(stages: Stages) -> LossOptions:
    return LossOptions(stages.weight, stages.ignore_index, stages.reduction,
                       stages.label_smoothing)  # fmt: skip


def on_given_shapes(
    route: RouteFunction, acts: torch.Tensor, targ: torch.Tensor, options: dict, single: bool
) -> torch.Tensor:
    """``route(acts, targ, **options)`` on the shapes the learner gave: a single sample (C,)
    goes to PyTorch as (C,), not as the batch of one the stages use, and comes back shaped
    like ``Stages.loss``."""
    ref_acts, ref_targ = (acts[0], targ[0]) if single else (acts, targ)
    # No torch.no_grad here: autograd_grad differentiates through this; the other callers
    # pass tensors that do not require grad (or run under no_grad themselves).
    loss = route(ref_acts, ref_targ, **options)
    return loss.reshape(-1) if single and options["reduction"] == "none" else loss


def reference_loss(
    acts: torch.Tensor, targ: torch.Tensor, options: LossOptions, single: bool
) -> torch.Tensor:
    """``F.cross_entropy`` on the stages' input, options and device: ``Stages.reference_loss``."""
    return on_given_shapes(F.cross_entropy, acts, targ, options.kwargs(), single)


def max_abs_diff(ours: torch.Tensor, theirs: torch.Tensor) -> float:
    """max |ours - theirs|; positions where both are nan agree (0)."""
    both_nan = ours.isnan() & theirs.isnan()
    diff = (ours - theirs).abs().masked_fill(both_nan, 0.0)
    return float(diff.max()) if diff.numel() else 0.0


def _on_stages(stages: Stages, route: RouteFunction, *, smoothing: bool = True) -> torch.Tensor:
    kwargs = loss_options(stages).kwargs(smoothing=smoothing)
    return on_given_shapes(route, stages.logits, stages.target, kwargs, stages.single_sample)


def _module(acts: torch.Tensor, targ: torch.Tensor, **options: object) -> torch.Tensor:
    return torch.nn.CrossEntropyLoss(**options)(acts, targ)


def pytorch_losses(stages: Stages) -> dict[str, torch.Tensor]:
    """PyTorch's two public routes on the same input, options and device as ``stages``.

    ``{"F.cross_entropy": ..., "nn.CrossEntropyLoss": ...}``, each shaped like ``stages.loss``.
    The page shows them next to ce_core's number; ``max_abs_diff`` measures the distance.
    """
    with torch.no_grad():
        module = _on_stages(stages, _module)
    return {"F.cross_entropy": stages.reference_loss, "nn.CrossEntropyLoss": module}


# ---------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    """One way of computing the loss: its value (shaped like ``Stages.loss``), or why not.

    ``key`` is one of ``ROUTE_KEYS``; the text catalog names it (``pytorch.route_<key>``).
    """

    key: str
    value: torch.Tensor | None
    not_applicable: Message | None = None


LogProbs = Callable[[torch.Tensor], torch.Tensor]  # (N, C) logits -> (N, C) log-probabilities


def _nll_route(stages: Stages, log_probs_of: LogProbs) -> torch.Tensor:
    """``nll_loss(log_probs_of(acts), targ)`` with the stages' weight, ignore_index, reduction.

    ``nll_loss`` takes class indices only; for class-probability targets the route is its
    soft equivalent ``-(weight * targ * log_probs).sum(1)``, reduced over N.
    """
    if stages.target_kind == "index":
        route = lambda acts, targ, **kw: F.nll_loss(log_probs_of(acts), targ, **kw)  # noqa: E731
        return _on_stages(stages, route, smoothing=False)
    coef = stages.target if stages.weight is None else stages.target * stages.weight
    losses = -(coef * log_probs_of(stages.logits)).sum(1)  # (N,)
    if stages.reduction != "none":
        losses = losses.sum() if stages.reduction == "sum" else losses.mean()
    return losses.reshape(()) if stages.single_sample and stages.reduction != "none" else losses


def pytorch_routes(stages: Stages) -> list[Route]:
    """The book's three routes (and ``F.cross_entropy``), computed by PyTorch on the stages'
    input, in ``ROUTE_KEYS``' order. Each value has the shape of ``stages.loss``. With
    ``label_smoothing > 0`` the two ``nll_loss`` routes are not applicable (``nll_loss`` has
    no such argument)."""
    checks = pytorch_losses(stages)
    log_probs_of = {"softmax_log_nll": lambda acts: torch.log(torch.softmax(acts, dim=-1)),
                    "log_softmax_nll": lambda acts: torch.log_softmax(acts, dim=-1)}  # fmt: skip
    with torch.no_grad():
        if stages.label_smoothing > 0:
            reason = Message("reference.no_smoothing_in_nll")
            routes = [Route(key, None, reason) for key in log_probs_of]
        else:
            routes = [Route(key, _nll_route(stages, of)) for key, of in log_probs_of.items()]
    return [*routes, Route("module", checks["nn.CrossEntropyLoss"]),
            Route("functional", checks["F.cross_entropy"])]  # fmt: skip


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
    not_applicable: Message | None = None
    # The options neither number uses (their route has no place for them), as PyTorch
    # spells them; the page says so, since "right" then differs from the loss above.
    dropped: tuple[str, ...] = ()
    # False where the two numbers are different losses: read side by side, not subtracted.
    comparable: bool = True


def _scalar(value: torch.Tensor) -> float:
    return float(value.detach().double().mean()) if value.numel() else float("nan")


def common_mistakes(stages: Stages) -> list[Mistake]:
    """Four mistakes learners make with PyTorch's losses, on the stages' input and options.

    - ``double_softmax``: a softmax before ``CrossEntropyLoss``, which does one inside.
    - ``no_log``: softmax probabilities fed to ``nll_loss``, which does not take the log.
    - ``no_minus``: the mean log-likelihood without its minus sign (minimizing it would make
      the model worse).
    - ``mse_one_hot``: mean squared error between the softmax and one-hot targets.

    A "none" reduction is summarized by its mean, so every mistake is one number. Each
    mistake's right number takes the same route done right, with the same options, and
    ``dropped`` names the options that route cannot take.
    """
    acts, targ = stages.logits, stages.target  # (N, C); (N,) or (N, C)
    options = loss_options(stages)
    index = stages.target_kind == "index"
    keep = ~stages.ignored  # (N,) rows that count
    with torch.no_grad():
        right = _scalar(stages.reference_loss)
        probs = torch.softmax(acts, dim=1)  # (N, C)
        log_probs = torch.log_softmax(acts, dim=1)
        double = F.cross_entropy(probs, targ, **options.kwargs())
        smoothing = ("label_smoothing",) if stages.label_smoothing > 0 else ()
        if index:
            nll = options.kwargs(smoothing=False)
            no_log = Mistake("no_log", _scalar(F.nll_loss(probs, targ, **nll)),
                             _scalar(F.nll_loss(log_probs, targ, **nll)),
                             dropped=smoothing)  # fmt: skip
            one_hot = F.one_hot(targ[keep], stages.n_classes).to(probs.dtype)  # (N', C)
            picked_log = log_probs[keep].gather(1, targ[keep][:, None])[:, 0]  # (N',)
        else:
            no_log = Mistake("no_log", None, right, Message("reference.nll_takes_indices"))
            one_hot = stages.target_distribution()
            picked_log = (one_hot * log_probs).sum(1)
        plain_ce = _scalar(-picked_log.mean()) if len(picked_log) else float("nan")
        mse = F.mse_loss(probs[keep], one_hot) if len(one_hot) else torch.tensor(float("nan"))
    # the hand route -log(sm_acts[idx, targ]).mean(): a plain mean, unweighted, and for
    # class indices unsmoothed (a probability target's smoothing is in target_distribution)
    by_hand = (
        (("weight",) if stages.weight is not None else ())
        + (smoothing if index else ())
        + ((f"reduction='{stages.reduction}'",) if stages.reduction != "mean" else ())
    )
    return [
        Mistake("double_softmax", _scalar(double), right),
        no_log,
        Mistake(
            "no_minus",
            _scalar(picked_log.mean()) if len(picked_log) else None,
            plain_ce,
            dropped=by_hand,
        ),
        Mistake("mse_one_hot", _scalar(mse), right, comparable=False),
    ]


def raw_output_row_sums(stages: Stages) -> tuple[torch.Tensor, torch.Tensor]:
    """(N,) row sums of the model's raw outputs and of their softmax (seed 003's get_preds).

    A model trained with ``CrossEntropyLoss`` outputs logits: big numbers, negatives in,
    rows that do not sum to 1. Predictions need a softmax to become probabilities.
    """
    return stages.logits.sum(1), stages.probs.sum(1)


def autograd_grad(stages: Stages) -> torch.Tensor:
    """(N, C) d loss / d logits by PyTorch's autograd through ``F.cross_entropy``.

    Same input, options and device as ``stages``; for ``reduction="none"`` the gradient of
    the sum of the per-sample losses (as ``Stages.grad``).
    """
    acts = stages.logits.detach().clone().requires_grad_(True)  # (N, C)
    with torch.enable_grad():
        kwargs = loss_options(stages).kwargs()
        loss = on_given_shapes(F.cross_entropy, acts, stages.target, kwargs, stages.single_sample)
        loss.sum().backward()
    return acts.grad


@dataclass(frozen=True)
class LogRounding:
    """One entry of ``log(softmax(x))`` beside ``log_softmax(x)``, in float32."""

    row: int
    column: int
    via_log: float  # torch.log(torch.softmax(acts, dim=1))[row, column]
    via_log_softmax: float  # torch.log_softmax(acts, dim=1)[row, column]
    exact: float  # the same entry in float64: what both approximate


def log_rounding(logits: torch.Tensor) -> LogRounding:
    """Where the book's two routes differ most in float32: they round at different places.

    ``log(softmax)`` rounds each p to float32 (steps of 6e-8 just below 1) before its log;
    ``log_softmax`` computes ``x - max - log(sum(exp(x - max)))`` and rounds the sum of the
    exps instead (steps of 1.2e-7 just above 1). The log of a number near 1 is small, so
    either rounding can show in its 5th significant digit; neither route is exact. The
    entry chosen is where they are furthest apart relative to its size, among the entries
    where p did not underflow to 0 (there log(softmax) is -inf). (N, C) -> scalars.
    """
    acts = logits.detach().to("cpu", torch.float32)
    with torch.no_grad():
        via_log = torch.log(torch.softmax(acts, dim=1))  # (N, C)
        via_log_softmax = torch.log_softmax(acts, dim=1)
        exact = torch.log_softmax(acts.double(), dim=1)
    # relative: the digits a printout shows (an absolute 1e-7 is nothing at -8.0)
    distance = ((via_log.double() - via_log_softmax.double()) / exact).abs()
    distance = distance.nan_to_num(0.0).masked_fill(~via_log.isfinite(), -1.0)  # never chosen
    row, column = divmod(int(distance.argmax()), acts.shape[1])
    return LogRounding(row, column, float(via_log[row, column]),
                       float(via_log_softmax[row, column]), float(exact[row, column]))  # fmt: skip
