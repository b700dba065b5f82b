"""The page state's URL encoding: round trips, short links, strict parsing that never raises."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ce_core
from ui.state import (
    MAX_CLASSES,
    MAX_ROWS,
    PageState,
    Source,
    apply_edits,
    decode,
    diff_edits,
    encode,
    format_number,
)


def round_trip(state: PageState) -> PageState:
    decoded, problems = decode(encode(state))
    assert problems == []
    return decoded


def test_the_default_state_is_an_empty_query():
    assert encode(PageState()) == {}
    assert decode({}) == (PageState(), [])


@pytest.mark.parametrize(
    "state",
    [
        PageState(source=Source(preset="pet-batch"), sample=63, dtype="float64"),
        PageState(source=Source(kind="random", rows=64, classes=40, seed=7), reduction="sum"),
        PageState(
            source=Source(
                kind="pasted",
                acts=((1.5, -2.0, 0.25), (0.0, 3.1416, -1.0)),
                targets=(2, 0),
                class_names=("cat", "dog", "fish"),
            ),
            cell_edits={(1, 2): None, (0, 0): -0.5},
            target_edits={1: None},
            sample=1,
            device="cpu",
            reduction="none",
        ),
        PageState(cell_edits={(5, 1): 12.3456, (0, 0): None}, target_edits={3: 0}),
    ],
)
def test_round_trip(state):
    assert round_trip(state) == state


def test_links_stay_short():
    state = PageState(
        source=Source(preset="pet-batch"),
        cell_edits={(r, r % 37): -1.2345 for r in range(10)},
        target_edits={2: 5},
    )
    query = "&".join(f"{k}={v}" for k, v in encode(state).items())
    assert len(query) < 200, query
    assert "%" not in query  # only unreserved characters: nothing to percent-encode


def test_numbers_round_to_the_editor_precision():
    assert format_number(-0.50) == "-0.5"
    assert format_number(1.23456789) == "1.2346"
    assert format_number(-0.00001) == "0"
    assert format_number(3.0) == "3"


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"p": "nope"}, "p"),
        ({"r": "100x3"}, "r"),
        ({"r": "6x1"}, "r"),
        ({"r": "6by3"}, "r"),
        ({"r": "6x3", "seed": "-4"}, "r"),
        ({"m": "1_2~3"}, "m"),
        ({"m": "1_nan~3_4"}, "m"),
        ({"m": "1_inf~3_4"}, "m"),
        ({"m": "1_2~3_4", "t": "0_9"}, "m"),
        ({"e": "9_0_1"}, "e"),
        ({"e": "0_0_abc"}, "e"),
        ({"e": "0_0"}, "e"),
        ({"te": "0_7"}, "te"),
        ({"i": "6"}, "i"),
        ({"i": "-1"}, "i"),
        ({"i": "x"}, "i"),
        ({"dev": "tpu"}, "dev"),
        ({"dt": "float16"}, "dt"),
        ({"red": "avg"}, "red"),
        ({"e": "0_0_1" * 20_000}, "e"),
    ],
)
def test_malformed_parameters_give_a_problem_and_the_default(params, param):
    state, problems = decode(params)
    assert [p.param for p in problems] == [param]
    assert str(problems[0].reason) and str(problems[0].default)  # both render
    field = {"e": "cell_edits", "te": "target_edits", "i": "sample", "dev": "device",
             "dt": "dtype", "red": "reduction"}.get(param, "source")  # fmt: skip
    assert getattr(state, field) == getattr(PageState(), field)


def test_unknown_parameters_are_ignored():
    assert decode({"utm_source": "x", "embed": "true"}) == (PageState(), [])


@given(
    st.dictionaries(
        st.sampled_from(
            ["p", "r", "seed", "m", "t", "n", "e", "te", "i", "dev", "dt", "red", "zzz"]
        ),
        st.text(max_size=60),
    )
)
def test_decode_never_raises(params):
    state, _ = decode(params)
    rows, classes = state.source.batch().shape
    assert 1 <= rows <= MAX_ROWS and 2 <= classes <= MAX_CLASSES
    assert 0 <= state.sample < rows
    for (r, c), value in state.cell_edits.items():
        assert 0 <= r < rows and 0 <= c < classes
        assert value is None or math.isfinite(value)


def test_edits_apply_and_diff_back():
    batch = ce_core.PRESETS["3-vs-7"]
    edits = {(0, 1): 5.0, (2, 0): None}
    acts, targets = apply_edits(batch, edits, {4: 0})
    assert acts[0][1] == 5.0 and acts[2][0] is None and targets[4] == 0
    acts[2][0] = float("nan")  # what the editor returns for a cleared cell
    assert diff_edits(batch, acts, targets) == (edits, {4: 0})
