"""Every mistake a learner can type gets an InputError that names the argument, row or cell."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import ce_core
from ce_core import InputError

ACTS = [[1.0, 2.0, 3.0], [0.5, 0.25, -1.0]]
NAMES = ["cat", "dog", "fish"]


def explain_error(logits=ACTS, target=(0, 1), **kwargs) -> InputError:
    kwargs.setdefault("device", "cpu")
    with pytest.raises(InputError) as info:
        ce_core.explain(logits, list(target) if isinstance(target, tuple) else target, **kwargs)
    assert isinstance(info.value, ValueError)  # callers may catch ValueError
    return info.value


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        (None, "empty"),
        (math.nan, "empty or not a number (NaN)"),
        (math.inf, "+infinite"),
        (-math.inf, "-infinite"),
        ("", "empty"),
        ("abc", "'abc', which is not a number"),
        ("nan", "NaN"),
        (True, "True, not a number"),
    ],
)
def test_bad_cell_is_named_by_row_and_class(cell, words):
    logits = [[1.0, 2.0, 3.0], [0.5, cell, -1.0]]
    error = explain_error(logits, class_names=NAMES)
    assert "row 1, class 'dog'" in str(error)
    assert words in str(error)
    assert (error.argument, error.row, error.column) == ("logits", 1, 1)


def test_bad_cell_without_class_names_uses_the_class_number():
    error = explain_error([[1.0, 2.0, 3.0], [0.5, 2.0, math.nan]])
    assert "row 1, class 2" in str(error)


@pytest.mark.parametrize("container", ["tensor", "numpy", "object-numpy"])
def test_non_finite_cells_are_found_in_tensors_and_arrays(container):
    matrix = np.array([[1.0, 2.0, 3.0], [0.5, 2.0, np.inf]])
    logits = {
        "tensor": torch.tensor(matrix),
        "numpy": matrix,
        "object-numpy": matrix.astype(object),
    }[container]
    error = explain_error(logits, class_names=NAMES)
    assert "row 1, class 'fish' is +infinite" in str(error)


def test_ragged_rows():
    error = explain_error([[1.0, 2.0, 3.0], [0.5, 2.0]])
    assert "row 1 has 2 values but the rows before it have 3" in str(error)
    assert error.row == 1


def test_a_row_that_is_a_single_number():
    error = explain_error([[1.0, 2.0], 3.0])
    assert "row 1 is the single value 3.0" in str(error) and "(2 here)" in str(error)
    error = explain_error([3.0, [1.0, 2.0]])
    assert "row 0 is the single value 3.0" in str(error) and error.row == 0


@pytest.mark.parametrize("logits", [[], [[]], np.zeros((0, 3)), torch.zeros(2, 0)])
def test_empty_matrix(logits):
    assert "empty" in str(explain_error(logits, target=[]))


def test_more_than_a_million_cells_is_refused_before_computing():
    error = explain_error(torch.zeros(1001, 1000), target=[0] * 1001)
    assert "1,001,000 cells" in str(error) and "1,000,000" in str(error)
    big_list = [[0.0] * 1000] * 1001
    assert "1,001,000 cells" in str(explain_error(big_list, target=[0] * 1001))


def test_a_million_cells_is_accepted():
    s = ce_core.explain(torch.zeros(1000, 1000), torch.zeros(1000, dtype=torch.long), device="cpu")
    assert math.isclose(float(s.loss), math.log(1000), rel_tol=1e-6)


def test_wrong_shapes_of_logits():
    assert "not shape (2, 2, 2)" in str(explain_error(torch.zeros(2, 2, 2)))
    assert "must be a row (C,) or a matrix (N, C)" in str(explain_error(5.0, target=[0]))


@pytest.mark.parametrize(
    ("target", "words", "row"),
    [
        ((0, 3), "the target of row 1 is 3, but there are only 3 classes, numbered 0 to 2", 1),
        ((-1, 0), "the target of row 0 is -1", 0),
        ((0, 1.5), "the target of row 1 is 1.5, not a whole number", 1),
        ((0, None), "the target of row 1 is empty", 1),
        ((0, math.nan), "the target of row 1 is empty", 1),
        ((0, "bird"), "the target of row 1 is 'bird'", 1),
        ((True, 0), "the target of row 0 is True", 0),
    ],
)
def test_bad_targets_are_named_by_row(target, words, row):
    error = explain_error(target=target, class_names=NAMES)
    assert words in str(error)
    assert (error.argument, error.row) == ("target", row)


def test_out_of_range_target_in_a_tensor_is_caught_on_the_cpu():
    error = explain_error(torch.tensor(ACTS), torch.tensor([0, 7]))
    assert "row 1 is 7" in str(error)


def test_target_count_must_match_rows():
    assert "there are 3 targets for 2 rows" in str(explain_error(target=(0, 1, 2)))
    assert "there are 1 targets for 2 rows" in str(explain_error(target=(0,)))


def test_ignore_index_is_allowed_as_a_target_and_must_be_an_integer():
    s = ce_core.explain(ACTS, [0, -100], device="cpu")
    assert s.ignored.tolist() == [False, True]
    s = ce_core.explain(ACTS, [0, 5], ignore_index=5, device="cpu")
    assert s.ignored.tolist() == [False, True]
    assert explain_error(ignore_index=1.5).argument == "ignore_index"


@pytest.mark.parametrize(
    ("target", "words", "row"),
    [
        ([[0.5, 0.5, 0.0], [1.2, -0.2, 0.0]], "row 1, class 'dog' is -0.2", 1),
        ([[0.5, 0.4, 0.0], [1.0, 0.0, 0.0]], "row 0 adds up to 0.9, not 1", 0),
        ([[0.5, 0.5, 0.0], [1.0, None, 0.0]], "row 1, class 'dog' is empty", 1),
        ([[0.5, 0.5], [1.0, 0.0]], "shape (2, 2) but the activations have (2, 3)", None),
    ],
)
def test_bad_probability_targets(target, words, row):
    error = explain_error(target=target, class_names=NAMES)
    assert words in str(error) and error.argument == "target" and error.row == row


def test_probability_rows_within_the_tolerance_are_accepted():
    s = ce_core.explain(ACTS, [[0.3334, 0.3333, 0.3337], [1.0, 0.0, 0.0]], device="cpu")
    assert s.target_kind == "probability"


@pytest.mark.parametrize(
    ("weight", "words"),
    [
        ([1.0, 2.0], "weight has 2 entries but there are 3 classes"),
        ([1.0, -2.0, 1.0], "the weight of class 'dog' is -2"),
        # one row of weights: the message names the class, not a "row 0" the learner never saw
        ([1.0, math.nan, 1.0], "class weights: class 'dog' is empty or not a number"),
        ([1.0, None, 1.0], "class weights: class 'dog' is empty or not a number"),
        ([1.0, "x", 1.0], "class weights: class 'dog' is 'x', which is not a number"),
        ([[1.0, 1.0, 1.0]], "one number per class"),
    ],
)
def test_bad_weight(weight, words):
    error = explain_error(weight=weight, class_names=NAMES)
    assert words in str(error) and error.argument == "weight"
    assert "row" not in str(error)


def test_a_single_row_of_activations_names_the_class_a_matrix_the_row_too():
    single = explain_error(logits=[1.0, math.nan, 1.0], target=[0], class_names=NAMES)
    assert str(single).startswith("activations: class 'dog' is empty")
    matrix = explain_error(logits=[[1.0, math.nan, 1.0]], target=[0], class_names=NAMES)
    assert str(matrix).startswith("activations: row 0, class 'dog' is empty")
    assert (single.row, single.column) == (matrix.row, matrix.column) == (0, 1)


@pytest.mark.parametrize("smoothing", [-0.1, 1.5, math.nan, "0.1", None])
def test_label_smoothing_outside_zero_one(smoothing):
    assert explain_error(label_smoothing=smoothing).argument == "label_smoothing"


@pytest.mark.parametrize("reduction", ["avg", "", None, "MEAN"])
def test_unknown_reduction(reduction):
    error = explain_error(reduction=reduction)
    assert error.argument == "reduction" and "'none', 'mean', 'sum'" in str(error)


def test_unknown_and_unavailable_devices():
    error = explain_error(device="tpu")
    assert error.argument == "device" and "auto, cpu, cuda, mps" in str(error)
    if not torch.cuda.is_available():
        error = explain_error(device="cuda")
        assert "not available" in str(error) and "available: cpu" in str(error)


def test_unknown_dtype():
    assert explain_error(dtype="int64").argument == "dtype"
    assert explain_error(dtype=torch.int32).argument == "dtype"


def test_class_names_must_fit():
    assert explain_error(class_names=["a", "b"]).argument == "class_names"
    assert explain_error(class_names=["a", "a", "b"]).argument == "class_names"


def test_the_public_functions_refuse_out_of_range_targets_too():
    with pytest.raises(InputError, match="row 1 is 9"):
        ce_core.cross_entropy(torch.tensor(ACTS), torch.tensor([0, 9]))
    with pytest.raises(InputError, match="must be integers"):
        ce_core.nll_loss(torch.tensor(ACTS), torch.tensor([0.0, 1.0]))
    with pytest.raises(InputError, match="reduction"):
        ce_core.cross_entropy(ACTS, [0, 1], reduction="avg")
    with pytest.raises(InputError, match="weight has 2 entries"):
        ce_core.cross_entropy(ACTS, [0, 1], weight=[1.0, 1.0])
