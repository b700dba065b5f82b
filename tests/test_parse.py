"""Pasted text: printouts, lists and CSV parse; anything else gets a message, never eval."""

from __future__ import annotations

import math

import pytest

import ce_core
from ce_core import InputError, parse_numbers, parse_targets

SEED_004 = """tensor([[ 3.8538,  2.9746, -0.9948],
        [ 0.8792, -1.5163,  2.1566],
        [ 1.6016,  3.3612,  0.7117]])"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            SEED_004,
            [[3.8538, 2.9746, -0.9948], [0.8792, -1.5163, 2.1566], [1.6016, 3.3612, 0.7117]],
        ),
        ("tensor([[1., 2.]], device='cuda:0', grad_fn=<MulBackward0>)", [[1.0, 2.0]]),
        ("tensor([[1., 2.]], requires_grad=True)", [[1.0, 2.0]]),
        ("array([[0.1, 0.2],\n       [0.3, 0.4]], dtype=float32)", [[0.1, 0.2], [0.3, 0.4]]),
        ("[[1. 2.]\n [3. 4.]]", [[1.0, 2.0], [3.0, 4.0]]),  # numpy's print: no commas
        ("[[1, 2], [3, 4]]", [[1.0, 2.0], [3.0, 4.0]]),
        ("((1, 2))", None),  # parentheses are not a list
        ("1,2\n3,4", [[1.0, 2.0], [3.0, 4.0]]),
        ("1\t2\n3\t4\n", [[1.0, 2.0], [3.0, 4.0]]),
        ("1.5e-3 -2E2", [0.0015, -200.0]),
        ("tensor([2.7509e-08, 9.9975e-01])", [2.7509e-08, 0.99975]),
    ],
)
def test_printouts_lists_and_csv(text, expected):
    if expected is None:
        with pytest.raises(InputError):
            parse_numbers(text)
        return
    assert parse_numbers(text).values == expected


def test_csv_header_gives_class_names():
    parsed = parse_numbers("cat,dog\n0.5,0.5\n0.9,0.1")
    assert parsed.class_names == ("cat", "dog")
    assert parsed.values == [[0.5, 0.5], [0.9, 0.1]]


def test_nan_and_inf_parse_as_numbers_for_explain_to_name():
    values = parse_numbers("tensor([[1., nan], [-inf, 2.]])").values
    assert math.isnan(values[0][1]) and values[1][0] == -math.inf
    with pytest.raises(InputError, match="row 0, class 1 is empty or not a number"):
        ce_core.explain(values, [0, 1], device="cpu")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("tensor([1, 2, ..., 3])", "abbreviated with '...'"),
        ("__import__('os').system('echo hi')", "starts with __import__(...)"),
        ("tensor([[1, 2], [3, x]])", "contains 'x', which is not a number"),
        ("[[1, 2], [3, 4]", "unclosed '['"),
        ("[[1, 2]]]", "extra ']'"),
        ("[1, 2] [3, 4]", "one bracketed list"),
        ("tensor([1, 2]", "unclosed '('"),
        ("a,b\n1,oops", "line 2 contains 'oops'"),
        ("a,b", "a header but no numbers"),
    ],
)
def test_anything_else_is_named(text, words):
    with pytest.raises(InputError) as info:
        parse_numbers(text)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("TensorCategory([ 7,  1,  0, 14], device='cuda:0')", None, [7, 1, 0, 14]),
        ("tensor([0, 1, 0, 1, 1, 0])", None, [0, 1, 0, 1, 1, 0]),
        ("0, 2, 1", None, [0, 2, 1]),
        ("0\n2\n1", None, [0, 2, 1]),
        ("cat dog cat", ("cat", "dog"), ["cat", "dog", "cat"]),
        ("['cat', 'dog']", ("cat", "dog"), ["cat", "dog"]),
        ("[1.0, 0.0]", None, [1, 0]),
        ("[1.5]", None, [1.5]),  # kept as is: explain names it "not a whole number"
    ],
)
def test_targets(text, names, expected):
    assert parse_targets(text, names) == expected


def test_targets_must_be_one_per_row():
    with pytest.raises(InputError, match="one class per row"):
        parse_targets("[[0, 1], [1, 0]]")


def test_a_text_beyond_any_valid_input_is_refused_before_parsing():
    from ce_core.parse import MAX_TEXT_CHARS

    with pytest.raises(ce_core.InputError, match="characters long"):
        ce_core.parse_numbers("1," * (MAX_TEXT_CHARS // 2 + 1))
