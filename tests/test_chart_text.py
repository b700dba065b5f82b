"""The sentence at the end of each chart's accessible name (ui/chart_text.py) names the
numbers PyTorch gives."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

import ce_core
from i18n import t, using
from ui import chart_text

BOOK = ce_core.PRESETS["3-vs-7"]


def book_losses() -> tuple[np.ndarray, np.ndarray]:
    acts, targets = torch.tensor(BOOK.logits), torch.tensor(BOOK.targets)
    losses = F.cross_entropy(acts, targets, reduction="none").numpy()
    target_prob = torch.softmax(acts, 1)[torch.arange(len(targets)), targets].numpy()
    return losses, target_prob


def test_the_loss_sentence_names_the_sample_that_loses_most_and_why():
    losses, target_prob = book_losses()
    sentence = chart_text.loss_summary(losses, target_prob)
    worst = int(np.argmax(losses))
    assert worst == 4  # the book's batch: sample 4, p(target) 0.0044, loss 5.4201
    assert sentence == t("summary.losses", worst=4, loss=losses[4], p=target_prob[4],
                         best=int(np.argmin(losses)), best_loss=losses.min())  # fmt: skip
    assert "Sample 4 has the largest loss, 5.4201" in sentence and "0.0044" in sentence


def test_ignored_samples_are_left_out_and_a_batch_of_them_says_so():
    losses, target_prob = book_losses()
    ignored = np.arange(6) == 4
    losses[4] = 0.0  # ignored (ignore_index): PyTorch's loss for it is 0
    sentence = chart_text.loss_summary(losses, target_prob, ignored)
    assert "Sample 1 has the largest loss" in sentence
    assert "Sample 4" not in chart_text.target_prob_summary(target_prob, ignored)
    nothing = np.full(3, np.nan)
    assert chart_text.loss_summary(np.zeros(3), nothing) == t("summary.nothing_counted")
    assert chart_text.target_prob_summary(nothing) == t("summary.nothing_counted")
    everyone = np.ones(3, dtype=bool)
    assert chart_text.loss_summary(np.zeros(3), np.full(3, 0.5), everyone) == t(
        "summary.nothing_counted"
    )


def test_because_only_where_the_loss_is_minus_log_p():
    acts, targets = torch.tensor(BOOK.logits), torch.tensor(BOOK.targets)
    _, target_prob = book_losses()
    smoothed = F.cross_entropy(acts, targets, reduction="none", label_smoothing=0.3).numpy()
    sentence = chart_text.loss_summary(smoothed, target_prob)
    assert "because" not in sentence
    worst = int(np.argmax(smoothed))
    assert sentence == t("summary.losses_other", worst=worst, loss=smoothed[worst],
                         p=target_prob[worst], best=int(np.argmin(smoothed)),
                         best_loss=smoothed.min())  # fmt: skip


def test_the_matrix_sentence_finds_the_extremes_among_finite_values():
    values = np.array([[1.0, np.inf], [-2.5, 0.5]])
    sentence = chart_text.matrix_summary(values, ["cat", "dog"])
    assert sentence == "Largest 1 (sample 0, class cat); smallest -2.5 (sample 1, class cat)."
    assert chart_text.matrix_summary(np.full((2, 2), np.nan), ["a", "b"]) == t("summary.no_finite")


def test_row_sums_history_and_training_sentences_carry_their_numbers():
    assert "Row 1 has the largest sum, 3" in chart_text.row_sums_summary(np.array([2.0, 3.0]))
    assert chart_text.history_summary(np.array([0.9]), np.array([[0.2, 0.4]])) == t(
        "summary.history_start", loss=0.9, p=0.3
    )
    assert chart_text.agreement_summary([0, 2], 1e-8) == (
        "In the rows drawn (0, 2), autograd and the formula differ by at most 1.0e-08."
    )
    history = chart_text.history_summary(
        np.array([1.5, 1.0, 0.5]), np.array([[0.2, 0.4], [0.5, 0.5], [0.8, 0.9]])
    )
    assert "Over 2 steps the loss goes from 1.5000 to 0.5000" in history
    assert "from 0.3000 to 0.8500" in history
    training = chart_text.training_summary(
        [("cross-entropy", np.array([1.1, 0.2]), np.array([0.5, 0.97]))]
    )
    assert "1.1000 at step 0 and 0.2000" in training and "50.0%, then 97.0%" in training


def test_every_sentence_reads_in_chinese_too():
    losses, target_prob = book_losses()
    with using("zh-TW"):
        sentence = chart_text.loss_summary(losses, target_prob)
    assert sentence.startswith("樣本 4 的損失最大，為 5.4201")
    with using("zh-TW"):
        assert "（0、2）" in chart_text.agreement_summary([0, 2], 0.0)
