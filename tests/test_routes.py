"""ce_core.reference: the book's routes and the common mistakes, against PyTorch written out."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from test_properties import batches
from torch_compare import assert_close

import ce_core
from ce_core import unnormalized_rows
from ce_core.reference import (
    MISTAKE_KEYS,
    ROUTE_KEYS,
    common_mistakes,
    pytorch_routes,
    raw_output_row_sums,
    routes_max_abs_diff,
)

ROUTE_SOFTMAX_LOG_NLL, ROUTE_LOG_SOFTMAX_NLL, ROUTE_MODULE, ROUTE_FUNCTIONAL = ROUTE_KEYS

PRESET = ce_core.PRESETS["3-vs-7"]
ACTS = torch.tensor(PRESET.logits)
TARG = torch.tensor(PRESET.targets)

OPTIONS = [
    {},
    {"reduction": "sum"},
    {"reduction": "none"},
    {"weight": [1.0, 3.0]},
    {"ignore_index": 1},
    {"ignore_index": 0, "weight": [2.0, 0.5], "reduction": "sum"},
    {"label_smoothing": 0.2},
    {"label_smoothing": 0.2, "weight": [1.0, 3.0]},
]


def by_name(routes) -> dict:
    return {route.key: route for route in routes}


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_every_route_is_pytorchs_own_number(options, dtype, device):
    stages = ce_core.explain(ACTS, TARG, device=device, dtype=dtype, **options)
    routes = by_name(pytorch_routes(stages))
    torch_options = {k: torch.tensor(v, dtype=dtype, device=device) if k == "weight" else v
                     for k, v in options.items()}  # fmt: skip
    acts, targ = ACTS.to(device, dtype), TARG.to(device)
    expected = F.cross_entropy(acts, targ, **torch_options)
    for name in (ROUTE_MODULE, ROUTE_FUNCTIONAL):
        assert routes[name].value.device.type == torch.device(device).type
        assert_close(routes[name].value, expected, dtype)
    if options.get("label_smoothing"):
        assert routes[ROUTE_SOFTMAX_LOG_NLL].value is None
        assert "label_smoothing" in str(routes[ROUTE_LOG_SOFTMAX_NLL].not_applicable)
    else:
        nll_options = {k: v for k, v in torch_options.items() if k != "label_smoothing"}
        assert_close(
            routes[ROUTE_SOFTMAX_LOG_NLL].value,
            F.nll_loss(torch.log(torch.softmax(acts, 1)), targ, **nll_options), dtype,
        )  # fmt: skip
        assert_close(
            routes[ROUTE_LOG_SOFTMAX_NLL].value,
            F.nll_loss(F.log_softmax(acts, 1), targ, **nll_options), dtype,
        )  # fmt: skip
    assert routes_max_abs_diff(stages, list(routes.values())) < 1e-5


@pytest.mark.parametrize("reduction", ce_core.REDUCTIONS)
def test_probability_targets_take_the_soft_route(reduction):
    soft = torch.tensor([[0.7, 0.3]] * 6, dtype=torch.float64)
    weight = torch.tensor([1.0, 2.0], dtype=torch.float64)
    stages = ce_core.explain(ACTS, soft, weight=weight, reduction=reduction, dtype="float64")
    routes = by_name(pytorch_routes(stages))
    expected = F.cross_entropy(ACTS.double(), soft, weight=weight, reduction=reduction)
    for route in routes.values():
        assert_close(route.value, expected, torch.float64)


def test_a_single_sample_keeps_its_shape():
    stages = ce_core.explain(ACTS[0], 1, reduction="none", device="cpu")
    for route in pytorch_routes(stages):
        assert route.value.shape == stages.loss.shape


def test_all_rows_ignored_gives_nan_on_every_route():
    stages = ce_core.explain(ACTS, [-100] * 6, device="cpu")
    for route in pytorch_routes(stages):
        assert math.isnan(float(route.value))
    assert routes_max_abs_diff(stages, pytorch_routes(stages)) == 0.0  # nan agrees with nan


@given(batches(max_rows=5, max_classes=6))
def test_routes_agree_on_any_batch(batch):
    logits, targets = batch
    stages = ce_core.explain(logits, targets, device="cpu")
    assert routes_max_abs_diff(stages, pytorch_routes(stages)) < 1e-9


def test_the_mistakes_match_the_code_the_page_shows():
    stages = ce_core.explain(ACTS, TARG, device="cpu")
    mistakes = {m.key: m for m in common_mistakes(stages)}
    assert tuple(mistakes) == MISTAKE_KEYS  # the PyTorch page knows them by these keys
    sm = torch.softmax(ACTS, 1)
    right = float(F.cross_entropy(ACTS, TARG))
    assert mistakes["double_softmax"].wrong == pytest.approx(float(F.cross_entropy(sm, TARG)))
    assert mistakes["no_log"].wrong == pytest.approx(float(F.nll_loss(sm, TARG)))
    assert mistakes["no_log"].wrong == pytest.approx(-float(sm[range(6), TARG].mean()))
    assert mistakes["no_minus"].wrong == pytest.approx(-right, rel=1e-6)
    one_hot = F.one_hot(TARG, 2).float()
    assert mistakes["mse_one_hot"].wrong == pytest.approx(float(F.mse_loss(sm, one_hot)))
    for mistake in mistakes.values():
        assert mistake.right == pytest.approx(right, rel=1e-6)
    # the seeds' numbers: the double softmax is stuck near ln 2
    assert mistakes["double_softmax"].wrong == pytest.approx(0.8568, abs=1e-4)


def test_mistakes_with_probability_targets_say_what_does_not_apply():
    soft = torch.tensor([[0.5, 0.5]] * 6)
    mistakes = {m.key: m for m in common_mistakes(ce_core.explain(ACTS, soft, device="cpu"))}
    assert mistakes["no_log"].wrong is None
    assert "class indices" in str(mistakes["no_log"].not_applicable)
    assert mistakes["mse_one_hot"].wrong == pytest.approx(
        float(F.mse_loss(torch.softmax(ACTS, 1), soft))
    )


def test_mistakes_skip_ignored_rows():
    stages = ce_core.explain(ACTS, [0, -100, 0, -100, 1, 0], device="cpu")
    mistakes = {m.key: m for m in common_mistakes(stages)}
    keep = torch.tensor([0, 2, 4, 5])
    sm = torch.softmax(ACTS[keep], 1)
    targ = torch.tensor([0, 0, 1, 0])
    assert mistakes["mse_one_hot"].wrong == pytest.approx(
        float(F.mse_loss(sm, F.one_hot(targ, 2).float()))
    )


def test_raw_outputs_do_not_sum_to_one_but_their_softmax_does():
    stages = ce_core.explain(ACTS, TARG, device="cpu")
    raw, probs = raw_output_row_sums(stages)
    assert_close(raw, ACTS.sum(1), torch.float32)
    assert_close(probs, torch.ones(6), torch.float32)


def test_unnormalized_targets_are_refused_unless_asked_for():
    rows = [[0.5, 0.6]] + [[0.5, 0.5]] * 5
    with pytest.raises(ce_core.InputError, match=r"row 0 adds up to 1\.1"):
        ce_core.explain(ACTS, rows)
    stages = ce_core.explain(ACTS, rows, require_normalized=False, device="cpu")
    assert unnormalized_rows(stages.target) == [0]
    assert_close(stages.loss, F.cross_entropy(ACTS, torch.tensor(rows)), torch.float32)
    with pytest.raises(ce_core.InputError, match="cannot be negative"):
        ce_core.explain(ACTS, [[-0.5, 1.5]] * 6, require_normalized=False)
