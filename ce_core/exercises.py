"""The "Check yourself" page's exercises: small seeded batches, the right answers, and which
common mistake a wrong number matches.

Every number comes from ce_core's own functions (``explain``, ``softmax_parts``, ``sigmoid``,
``negative_log``); PyTorch's functions are the check (tests/test_exercises.py). Nothing here
words a sentence: a mistake is a plain code (``"no_minus"``), and the page renders it from the
text catalog with the numbers it needs.

    >>> batch = exercise_batch(0)
    >>> batch.acts.shape, batch.targets.shape
    (torch.Size([4, 3]), torch.Size([4]))
    >>> row_loss_answer(batch, 0).check(float(batch.losses[0])).correct
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import torch

from ce_core.concepts import negative_log, sigmoid, softmax_parts
from ce_core.presets import scaled_randn
from ce_core.stages import Stages, explain

# A learner types about 4 digits: an answer within 0.5 % or within 0.001 of the exact value
# is right (the absolute part matters for losses near 0, the relative part for large ones).
REL_TOL, ABS_TOL = 5e-3, 1e-3
BATCH_ROWS, BATCH_CLASSES = 4, 3  # small enough to work out with a calculator
HAND_CLASSES = 3
BUMP = 1.0  # "activation [i, c] grows by 1"


def is_close(value: float, expected: float) -> bool:
    """Whether a typed ``value`` counts as ``expected`` (REL_TOL or ABS_TOL, whichever is wider).

    >>> is_close(0.4076, 0.40761), is_close(0.408, 0.4076), is_close(0.41, 0.4076)
    (True, True, False)
    """
    if not (math.isfinite(value) and math.isfinite(expected)):
        return False
    return abs(value - expected) <= max(ABS_TOL, REL_TOL * abs(expected))


@dataclass(frozen=True)
class Verdict:
    """A checked number: right, or wrong and perhaps matching a known mistake (its code)."""

    correct: bool
    mistake: str | None = None


def diagnose(value: float, right: float, mistakes: Iterable[tuple[str, float]] = ()) -> Verdict:
    """Check ``value`` against ``right``, then against the ``(code, number)`` mistakes.

    The right answer wins when a mistake gives (almost) the same number. Of the mistakes
    that match, the nearest is named (two can lie within the tolerance: -ln sigmoid(a) and
    -a when a is very negative), the first of equals; a number that is not finite never
    matches.

    >>> diagnose(0.5, 0.6931, [("prob", 0.5), ("no_minus", -0.6931)])
    Verdict(correct=False, mistake='prob')
    >>> diagnose(4.37, 4.0, [("sigmoid", 4.3727), ("neg_activation", 4.36)])
    Verdict(correct=False, mistake='sigmoid')
    >>> diagnose(0.6931, 0.6931, [("prob", 0.6931)])
    Verdict(correct=True, mistake=None)
    """
    if is_close(value, right):
        return Verdict(True)
    matches = [(abs(value - number), code) for code, number in mistakes if is_close(value, number)]
    if not matches:
        return Verdict(False)
    return Verdict(False, min(matches, key=lambda match: match[0])[1])  # min: the first of ties


@dataclass(frozen=True)
class NumericAnswer:
    """A question's right number and, in the order they are diagnosed, the numbers common
    mistakes give: ``(code, number)``."""

    value: float
    mistakes: tuple[tuple[str, float], ...] = ()

    def check(self, typed: float) -> Verdict:
        return diagnose(typed, self.value, self.mistakes)

    def mistake_value(self, code: str) -> float:
        return dict(self.mistakes)[code]


def _rounded(x: torch.Tensor, decimals: int) -> torch.Tensor:
    return torch.round(x, decimals=decimals) + 0.0  # + 0.0: no "-0.00" in the table


# ---------------------------------------------------------------------------------------
# Softmax by hand (Part A): one row of a few activations


@dataclass(frozen=True)
class HandSoftmax:
    """One row to work out by hand: ``acts`` (C,) to 1 decimal; the question asks for
    ``softmax(acts)[cls]``."""

    seed: int
    acts: torch.Tensor  # (C,) float64
    cls: int
    exp: torch.Tensor  # (C,) exp(acts)
    exp_sum: float
    probs: torch.Tensor  # (C,) softmax(acts)
    answer: NumericAnswer


def hand_softmax(seed: int, n_classes: int = HAND_CLASSES) -> HandSoftmax:
    """A seeded row ``randn(C) * 1.5`` rounded to 1 decimal, and a class to ask about.

    Mistakes: ``exp_only`` (exp(a) not divided), ``no_exp`` (a / sum(acts): divided without
    exp; skipped when the activations sum to 0) and ``sigmoid`` (sigmoid(a): one activation
    on its own).

    >>> row = hand_softmax(0)
    >>> row.acts, row.cls, round(row.answer.value, 4)
    (tensor([ 2.3000, -0.4000, -3.3000], dtype=torch.float64), 1, 0.0628)
    """
    generator = torch.Generator().manual_seed(seed)
    acts = _rounded(torch.randn(n_classes, generator=generator, dtype=torch.float64) * 1.5, 1)
    cls = int(torch.randint(0, n_classes, (1,), generator=generator))
    exp, total, probs = softmax_parts(acts)
    a = float(acts[cls])
    mistakes = [("exp_only", float(exp[cls]))]
    acts_sum = float(acts.sum())
    if abs(acts_sum) > 1e-9:
        mistakes.append(("no_exp", a / acts_sum))
    mistakes.append(("sigmoid", float(sigmoid(acts[cls]))))
    answer = NumericAnswer(float(probs[cls]), tuple(mistakes))
    return HandSoftmax(seed, acts, cls, exp, float(total), probs, answer)


# ---------------------------------------------------------------------------------------
# A small batch (Part B)


@dataclass(frozen=True, eq=False)
class ExerciseBatch:
    """A small batch and the rows and cell the questions ask about.

    ``acts`` (N, C) float64 to 2 decimals, ``targets`` (N,) class indices; ``stages`` is
    ``explain`` on them (reduction "mean", CPU): every number the answers use.
    """

    seed: int | None
    acts: torch.Tensor  # (N, C)
    targets: torch.Tensor  # (N,) int64
    loss_row: int  # "what is the loss of row i?"
    bump_row: int  # "... if activation [i, c] grows by 1?"
    bump_class: int
    stages: Stages

    @property
    def losses(self) -> torch.Tensor:  # (N,) -ln p(targ) per row
        return self.stages.losses

    @property
    def probs(self) -> torch.Tensor:  # (N, C) softmax
        return self.stages.probs

    @property
    def target_prob(self) -> torch.Tensor:  # (N,) sm_acts[idx, targ]
        return self.stages.target_prob

    @property
    def mean_loss(self) -> float:
        return float(self.stages.loss)


def batch_of(
    acts: torch.Tensor, targets: torch.Tensor, loss_row: int = 0, bump_row: int = 0,
    bump_class: int = 0, seed: int | None = None,
) -> ExerciseBatch:  # fmt: skip
    """An ExerciseBatch for given activations (N, C) and targets (N,)."""
    acts = torch.as_tensor(acts, dtype=torch.float64)
    targets = torch.as_tensor(targets, dtype=torch.int64)
    stages = explain(acts, targets, device="cpu")
    return ExerciseBatch(seed, acts, targets, loss_row, bump_row, bump_class, stages)


def exercise_batch(
    seed: int, n_rows: int = BATCH_ROWS, n_classes: int = BATCH_CLASSES
) -> ExerciseBatch:
    """``torch.randn((N, C), generator=torch.Generator().manual_seed(seed)) * 2`` (float64)
    rounded to 2 decimals, then from the same generator the targets (N,), the row of the loss
    question, and the row and class of the "grows by 1" question. The same seed, the same batch.

    >>> exercise_batch(3).acts[0], exercise_batch(3).targets
    (tensor([1.6100, 0.3500, 0.1800], dtype=torch.float64), tensor([0, 2, 2, 0]))
    """
    generator = torch.Generator().manual_seed(seed)
    raw = scaled_randn(generator, n_rows, n_classes, scale=2.0)
    targets = torch.randint(0, n_classes, (n_rows,), generator=generator)
    loss_row, bump_row = (int(r) for r in torch.randint(0, n_rows, (2,), generator=generator))
    bump_class = int(torch.randint(0, n_classes, (1,), generator=generator))
    return batch_of(_rounded(raw, 2), targets, loss_row, bump_row, bump_class, seed)


def _loss_mistakes(acts: torch.Tensor, probs: torch.Tensor, targ: int) -> list[tuple[str, float]]:
    """The numbers a row's common mistakes give: acts (C,), probs (C,) its softmax."""
    p = probs[targ]
    loss = float(negative_log(p))
    return [
        ("prob", float(p)),  # p(targ) itself
        ("neg_prob", -float(p)),  # softmax + nll_loss: nll_loss takes no log
        ("no_minus", -loss),  # ln p(targ)
        ("log10", loss / math.log(10)),  # -log10 p(targ): Excel's LOG in the spreadsheet
        ("predicted_class", float(negative_log(probs.max()))),  # the prediction, not the target
        ("sigmoid", float(negative_log(sigmoid(acts[targ])))),  # no softmax: one sigmoid
        ("raw_activation", float(acts[targ])),  # no softmax, no log
        ("neg_activation", -float(acts[targ])),  # F.nll_loss(acts, targ)
    ]


def row_loss_answer(batch: ExerciseBatch, row: int) -> NumericAnswer:
    """The loss of ``row``, ``-ln sm_acts[row, targ]``, and the numbers of its mistakes:
    ``prob``, ``neg_prob``, ``no_minus``, ``log10``, ``predicted_class``, ``sigmoid``,
    ``raw_activation``, ``neg_activation``."""
    targ = int(batch.targets[row])
    mistakes = _loss_mistakes(batch.acts[row], batch.probs[row], targ)
    return NumericAnswer(float(batch.losses[row]), tuple(mistakes))


@dataclass(frozen=True)
class BumpAnswer:
    """The loss of ``row`` before and after ``acts[row, cls] += 1``."""

    row: int
    cls: int
    target: int
    acts: torch.Tensor  # (C,) the changed row
    probs: torch.Tensor  # (C,) its softmax
    target_prob: float  # after the change
    old_loss: float
    new_loss: float
    answer: NumericAnswer

    @property
    def change(self) -> float:
        """new - old: ln(1 + p_c (e - 1)), minus 1 when c is the target (p_c: before)."""
        return self.new_loss - self.old_loss


def bumped_loss_answer(batch: ExerciseBatch, row: int, cls: int, delta: float = BUMP) -> BumpAnswer:
    """What the loss of ``row`` becomes when ``acts[row, cls]`` grows by ``delta``: computed
    by ``explain`` on the changed batch. Mistakes: ``unchanged`` (the old loss),
    ``shifted_by_one`` (the old loss moved by ``delta`` one for one), then the loss mistakes
    of ``row_loss_answer`` on the changed row."""
    acts = batch.acts.clone()
    acts[row, cls] += delta
    after = explain(acts, batch.targets, device="cpu")
    targ = int(batch.targets[row])
    old, new = float(batch.losses[row]), float(after.losses[row])
    one_for_one = old - delta if cls == targ else old + delta
    mistakes = [("unchanged", old), ("shifted_by_one", one_for_one)]
    mistakes += _loss_mistakes(acts[row], after.probs[row], targ)
    return BumpAnswer(
        row, cls, targ, acts[row], after.probs[row], float(after.target_prob[row]), old, new,
        NumericAnswer(new, tuple(mistakes)),
    )  # fmt: skip


def mean_loss_answer(batch: ExerciseBatch) -> NumericAnswer:
    """The batch's mean loss (``F.cross_entropy``'s default) and its mistakes: ``sum`` (not
    divided by N), ``no_log`` (the mean of p(targ)), ``no_minus`` (the mean of ln p(targ)),
    ``log_of_mean`` (-ln of the mean probability), ``log10`` (base-10 logs)."""
    losses, p = batch.losses, batch.target_prob
    mistakes = [
        ("sum", float(losses.sum())),
        ("no_log", float(p.mean())),
        ("no_minus", -batch.mean_loss),
        ("log_of_mean", float(negative_log(p.mean()))),
        ("log10", batch.mean_loss / math.log(10)),
    ]
    return NumericAnswer(batch.mean_loss, tuple(mistakes))


@dataclass(frozen=True)
class RowChoice:
    """Which row has the largest loss: the right rows (ties all count) and, for a wrong row
    that matches a common mistake, its code."""

    rows: frozenset[int]
    mistakes: Mapping[int, str]


def largest_loss_answer(batch: ExerciseBatch) -> RowChoice:
    """The row(s) with the largest loss. Mistakes, each for a row that is not right:
    ``least_sure`` (the row whose largest probability is smallest: the model is least sure,
    but the loss looks only at the target's probability), then ``smallest_activation`` (the
    row whose target has the smallest raw activation, before softmax compares the row)."""
    losses = batch.losses
    rows = frozenset(int(r) for r in torch.nonzero(losses >= losses.max() - 1e-12).flatten())
    mistakes: dict[int, str] = {}
    least_sure = int(batch.probs.max(dim=1).values.argmin())
    lowest = int(batch.acts.gather(1, batch.targets[:, None]).flatten().argmin())
    for row, code in ((least_sure, "least_sure"), (lowest, "smallest_activation")):
        if row not in rows:
            mistakes.setdefault(row, code)
    return RowChoice(rows, mistakes)
