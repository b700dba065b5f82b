"""Every number a corrected sentence states, checked with ce_core and PyTorch (issue #13).

Each test names the text it backs; the page tests check that the text is on screen.
"""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import APP_SOURCES

import ce_core
from ce_core import reference
from ce_core.gradients import CROSS_ENTROPY, MNIST_LOSS, MSE, exact_target_grads, loss_curves
from i18n import catalog, t


def test_softmax_odds_grow_like_e_to_the_gap_and_the_share_stays_below_1():
    """softmax.confidence_text: the odds p(top) / p(other) are e^gap; the share is bounded."""
    gaps = torch.linspace(0, 30, 61, dtype=torch.float64)
    for n_classes in (2, 5, 10):
        probs = ce_core.confidence_curve(gaps, n_classes)  # (G, C)
        assert torch.allclose(probs[:, 0] / probs[:, 1], gaps.exp(), rtol=1e-9)
        assert bool((probs[:, 0] <= 1).all())
        share = gaps.exp() / (gaps.exp() + n_classes - 1)
        assert torch.allclose(probs[:, 0], share, rtol=1e-12)
    assert f"{math.exp(2):.2f}" == "7.39" and "7.39 times" in t("softmax.confidence_text", others=4)


def test_the_pet_batch_is_worse_than_guessing_and_its_code_rebuilds_it():
    """preset.source_pet-batch: about 5.75 against ln 37 = 3.61, and the code it quotes."""
    preset = ce_core.PRESETS["pet-batch"]
    acts, targ = preset.tensors()
    assert f"{float(F.cross_entropy(acts, targ)):.2f}" == "5.75"
    uniform = F.cross_entropy(torch.zeros(64, 37), targ)
    assert f"{math.log(37):.2f}" == f"{float(uniform):.2f}" == "3.61"
    text = preset.source.render()
    assert "about 5.75" in text and "ln 37 = 3.61" in text
    code = re.search(r"`(torch\.randn\(.*?\) \* 2)`", text).group(1)
    rebuilt = eval(code, {"torch": torch}).round(decimals=4)
    assert torch.equal(rebuilt, torch.tensor(preset.logits, dtype=torch.float64))


def test_the_random_batch_note_is_code_that_rebuilds_the_batch():
    """pipeline.random_note and seed_help: torch.Generator().manual_seed, not generator=seed."""
    rows, classes, seed = 5, 4, 7
    note = t("pipeline.random_note", rows=rows, classes=classes, seed=seed)
    names: dict[str, object] = {"torch": torch}
    for statement in re.findall(r"`([^`]+)`", note):
        exec(statement, names)
    preset = ce_core.random_preset(rows, classes, seed)
    assert torch.equal(
        names["acts"].round(decimals=4), torch.tensor(preset.logits, dtype=torch.float64)
    )
    assert names["targ"].tolist() == list(preset.targets)
    assert "generator=seed" not in t("pipeline.seed_help")
    assert "torch.Generator().manual_seed(seed)" in t("pipeline.seed_help")


def test_where_two_classes_meet_the_top_probability_is_about_one_half():
    """training.read_me: 1/2 on a boundary between two classes, 1/3 where three meet."""
    two = ce_core.softmax(torch.tensor([3.0, 3.0, -3.0, -3.0], dtype=torch.float64))
    three = ce_core.softmax(torch.tensor([3.0, 3.0, 3.0, -3.0], dtype=torch.float64))
    assert float(two.max()) == pytest.approx(0.5, abs=0.01)
    assert float(three.max()) == pytest.approx(1 / 3, abs=0.01)
    assert "about 1/2" in t("training.read_me") and "near 1/K" not in t("training.read_me")


@pytest.mark.parametrize(("n_classes", "printed"), [(2, "0.73"), (37, "0.07")])
def test_a_double_softmax_caps_the_target_probability(n_classes, printed):
    """pytorch.mistake_double_softmax_text: p(target) <= e / (e + C - 1), so loss > 0."""
    bound = ce_core.double_softmax_bound(n_classes)
    assert f"{bound:.2f}" == printed and f"for {'2 classes' if n_classes == 2 else '37'}" in (
        t("pytorch.mistake_double_softmax_text", bound=bound, classes=n_classes, floor=1.0)
    )
    # the best a model can do: all its probability on the target, so softmax gives exactly 1
    one_hot = F.one_hot(torch.tensor([0]), n_classes).double()
    assert float(torch.softmax(one_hot, dim=1)[0, 0]) == pytest.approx(bound, rel=1e-12)
    floor = F.cross_entropy(one_hot, torch.tensor([0]))
    assert float(floor) == pytest.approx(-math.log(bound), rel=1e-12) and float(floor) > 0
    # and no input does better: random logits of every scale stay above the floor
    acts = torch.randn(
        2000, n_classes, dtype=torch.float64, generator=torch.Generator().manual_seed(0)
    )
    doubled = F.cross_entropy(torch.softmax(acts * 30, dim=1), torch.zeros(2000, dtype=torch.long),
                              reduction="none")  # fmt: skip
    assert float(doubled.min()) >= float(floor) - 1e-12


@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_the_exact_gradients_are_autograds(n_classes):
    """gradients.mse_text: p - 1, -p (1 - p) and -2 p (1 - p)^2 / (C - 1), exactly."""
    grid = torch.linspace(0.001, 0.999, 101, dtype=torch.float64)
    by_autograd = {curve.key: curve.grad for curve in loss_curves(grid, n_classes)}
    for key, grad in exact_target_grads(grid, n_classes).items():
        assert torch.allclose(grad, by_autograd[key], atol=1e-12), key
    exact = exact_target_grads(torch.tensor([0.01]), n_classes)
    assert float(exact[CROSS_ENTROPY][0]) == pytest.approx(-0.99)  # full force
    assert abs(float(exact[MNIST_LOSS][0])) < 0.01 and abs(float(exact[MSE][0])) < 0.02  # ~0


def test_the_mean_keeps_the_gradient_scale_and_the_sum_does_not():
    """gradients.reduction_mean: a batch twice as big, the same mean, twice the sum."""
    acts = torch.randn(6, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    targ = torch.tensor([0, 1, 2, 0, 1, 2])
    bias = torch.zeros(3, dtype=torch.float64, requires_grad=True)  # a parameter every row shares

    def grad(batch_acts: torch.Tensor, batch_targ: torch.Tensor, reduction: str) -> torch.Tensor:
        (g,) = torch.autograd.grad(F.cross_entropy(batch_acts + bias, batch_targ,
                                                   reduction=reduction), bias)  # fmt: skip
        return g

    twice = torch.cat([acts, acts]), torch.cat([targ, targ])
    assert torch.allclose(grad(*twice, "mean"), grad(acts, targ, "mean"))
    assert torch.allclose(grad(*twice, "sum"), 2 * grad(acts, targ, "sum"))


def test_softmax_ignores_a_common_shift_and_the_sigmoids_all_say_no():
    """softmax.multilabel_text: the same answer however low; every sigmoid below 0.5."""
    acts = torch.tensor(ce_core.PRESETS["five-classes"].logits[0], dtype=torch.float64)
    low = acts - 10
    assert torch.allclose(ce_core.softmax(low), ce_core.softmax(acts), atol=1e-15)
    assert bool((ce_core.sigmoid(low) < 0.5).all())


def test_naive_softmax_past_the_limit_gives_nan_and_zeros():
    """softmax.overflow_broken: nan where exp overflowed (inf / inf), 0 elsewhere."""
    naive = ce_core.softmax_naive(torch.tensor([100.0, 0.0, -1.0]))
    assert bool(naive[0].isnan()) and naive[1:].tolist() == [0.0, 0.0]
    assert not bool(naive.isinf().any())  # not inf: the page no longer says so
    assert float(ce_core.softmax(torch.tensor([100.0, 0.0, -1.0])).sum()) == pytest.approx(1.0)


def test_the_sum_of_logs_is_finite_and_accurate_to_rounding():
    """log.why_underflow: the float32 product is 0; the sum of logs is close to n ln p."""
    product, log_sum = ce_core.product_and_log_sum(torch.full((500,), 0.01))
    assert float(product) == 0.0
    assert math.isfinite(float(log_sum))
    assert float(log_sum) == pytest.approx(500 * math.log(0.01), rel=1e-5)


def test_mse_on_one_hot_is_at_most_2_over_c():
    """pytorch.mistake_mse_one_hot_text: bounded by 2 / C, reached on a wrong class."""
    for n_classes in (2, 5, 37):
        wrong = F.one_hot(torch.tensor([1]), n_classes).double()
        target = F.one_hot(torch.tensor([0]), n_classes).double()
        assert float(F.mse_loss(wrong, target)) == pytest.approx(2 / n_classes)


def stages_with(**options: object) -> ce_core.Stages:
    acts, targ = ce_core.PRESETS["three-classes"].tensors(torch.float64)
    return ce_core.explain(acts, targ, **options)


def test_each_mistake_uses_the_options_of_its_right_number():
    """pytorch.mistake_drops: the pair shares options; the dropped ones are named."""
    stages = stages_with(weight=[1.0, 2.0, 0.5], label_smoothing=0.1, reduction="sum")
    mistakes = {m.key: m for m in reference.common_mistakes(stages)}
    acts, targ = stages.logits, stages.target
    weight = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64)
    # a double softmax: same weight, smoothing and reduction as the loss on the page
    assert mistakes["double_softmax"].right == pytest.approx(float(stages.loss))
    assert mistakes["double_softmax"].dropped == ()
    # nll_loss has no label_smoothing: both numbers go without it, and the page says so
    no_log = mistakes["no_log"]
    assert no_log.dropped == ("label_smoothing",)
    assert no_log.right == pytest.approx(float(F.nll_loss(acts.log_softmax(1), targ, weight=weight,
                                                          reduction="sum")))  # fmt: skip
    # the missing minus: the book's hand route, a plain mean; right is exactly -wrong
    no_minus = mistakes["no_minus"]
    assert no_minus.dropped == ("weight", "label_smoothing", "reduction='sum'")
    assert no_minus.right == pytest.approx(-no_minus.wrong)
    assert no_minus.right == pytest.approx(float(F.cross_entropy(acts, targ)))
    # MSE and cross-entropy are two losses: shown side by side, never subtracted
    assert not mistakes["mse_one_hot"].comparable
    assert all(m.comparable for k, m in mistakes.items() if k != "mse_one_hot")
    plain = {m.key: m for m in reference.common_mistakes(stages_with())}
    assert all(m.dropped == () for m in plain.values())


def test_log_of_softmax_and_log_softmax_differ_in_the_last_digits():
    """pytorch.rounding_text: the book's row 4, column 0; both routes near the float64 value."""
    acts, _ = ce_core.PRESETS["3-vs-7"].tensors()
    rounding = reference.log_rounding(acts)
    assert (rounding.row, rounding.column) == (4, 0)  # where the book's printouts differ
    assert rounding.via_log != rounding.via_log_softmax
    assert rounding.via_log == float(torch.log(torch.softmax(acts, dim=1))[4, 0])
    assert rounding.via_log_softmax == float(torch.log_softmax(acts, dim=1)[4, 0])
    for value in (rounding.via_log, rounding.via_log_softmax):
        assert abs(value - rounding.exact) / abs(rounding.exact) < 5e-5  # the 5th digit at most
    # the book's pair: log(p) for p just below 1 is about p - 1
    p = float(torch.softmax(acts.double(), dim=1)[4, 0])
    assert math.log(p) == pytest.approx(p - 1, rel=3e-3)
    assert pytest.approx(6e-8, rel=0.01) == 2**-24  # float32's step just below 1


def test_the_book_table_note_names_the_4th_digit_differences():
    """stage.table_rounding_note: 0.7433 and 0.1668 here, 0.7434 and 0.1667 in the book."""
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    losses = F.cross_entropy(acts, targ, reduction="none")
    assert [f"{float(v):.4f}" for v in losses[[3, 5]]] == ["0.7433", "0.1668"]
    note = t("stage.table_rounding_note_3-vs-7")
    assert "0.7434 and 0.1667" in note and "0.7433 and 0.1668" in note
    acts, targ = ce_core.PRESETS["three-classes"].tensors()
    losses = F.cross_entropy(acts, targ, reduction="none")
    assert [f"{float(v):.4f}" for v in losses[[1, 4]]] == ["3.9385", "1.3452"]
    note = t("stage.table_rounding_note_three-classes")
    assert "3.9384 and 1.3451" in note and "3.9385 and 1.3452" in note


def test_sources_are_cited_by_title_not_by_file_name():
    """Sources: the book, the course's spreadsheet or the notes, never "seed 003"."""
    for key, text in catalog().items():
        assert not re.search(r"\bseeds? ?0\d\d", text), key


def test_the_cat_vs_dog_probabilities_were_worked_back_from_the_losses():
    """preset.source_cat-vs-dog: 0.5, 0.98 and 0.1 give the printed 0.3, 0.01 and 1.0."""
    preset = ce_core.PRESETS["cat-vs-dog"]
    probs = torch.softmax(torch.tensor(preset.logits, dtype=torch.float64), dim=1)
    target_probs = probs[range(3), list(preset.targets)]
    assert [round(float(p), 10) for p in target_probs] == [0.5, 0.98, 0.1]
    assert [round(-math.log10(float(p)), 2) for p in target_probs] == [0.3, 0.01, 1.0]
    assert "worked back" in preset.source.render()


def test_formulas_use_ln_for_the_natural_log():
    r"""`\ln` everywhere: no `\log` in any formula the app writes."""
    natural_log_as_log = re.compile(r"\\log(?!_)")  # \log_{10} is a base-10 log: fine
    for source in APP_SOURCES:
        assert not natural_log_as_log.search(source.read_text()), source
    assert not [key for key, text in catalog().items() if natural_log_as_log.search(text)]


def test_logits_are_defined_once_in_the_glossary():
    """'logits' = the raw outputs of the last layer = the book's activations."""
    definitions = [key for key, text in catalog().items() if "**logits**" in text]
    assert definitions == ["path.glossary"]
    glossary = t("path.glossary")
    for term in ("activations", "probabilities", "target", "log-likelihood", "loss",
                 "perplexity", "one-hot", "reduction"):  # fmt: skip
        assert f"**{term}**" in glossary, term


def test_log_rounding_skips_an_underflowed_probability():
    """A row with a gap past float32's range: log(softmax) is -inf there; not the example."""
    book, _ = ce_core.PRESETS["3-vs-7"].tensors()
    acts = torch.cat([torch.tensor([[0.0, 120.0]]), book])  # row 0 underflows, then the book
    assert torch.log(torch.softmax(acts, dim=1))[0, 0] == -math.inf
    rounding = reference.log_rounding(acts)
    assert math.isfinite(rounding.via_log) and (rounding.row, rounding.column) == (5, 0)


@pytest.mark.parametrize(
    "options",
    [{}, {"reduction": "sum"}, {"target": [0, -100, 0, 2, -100, 0]}, {"weight": [1.0, 2.0, 0.5]},
     {"label_smoothing": 0.1, "reduction": "none"}],
)  # fmt: skip
def test_against_guessing_is_pytorchs_mean_and_the_uniform_guess(options):
    """stage.guess_text: the batch's mean loss whatever the reduction, beside ln C."""
    acts, targ = ce_core.PRESETS["three-classes"].tensors(torch.float64)
    targ = torch.tensor(options.pop("target", targ.tolist()))
    reduction = options.pop("reduction", "mean")
    kwargs = {k: torch.tensor(v, dtype=torch.float64) if k == "weight" else v
              for k, v in options.items()}  # fmt: skip
    against = ce_core.against_guessing(ce_core.explain(acts, targ, reduction=reduction, **kwargs))
    assert against.mean_loss == pytest.approx(float(F.cross_entropy(acts, targ, **kwargs)))
    assert against.guessing_loss == pytest.approx(math.log(3))
    assert against.perplexity == pytest.approx(math.exp(against.mean_loss))
