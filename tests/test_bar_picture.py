"""The bar pictures (figures/bar_picture.py): every bar where its value puts it on the axis
drawn beside it, every value written, any class name safe, and the Softmax page's row."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from svg_picture import SVG, axis_map, bars_of, parse, text_of, texts_of, ticks_of

import ce_core
from figures.bar_picture import (
    EM,
    HEIGHT,
    LEFT,
    WIDTH,
    Bars,
    bar_panel,
    nice_ticks,
    shown,
    value_range,
)
from figures.softmax import make_row_stages
from figures.style import class_color

SPREADSHEET = ce_core.PRESETS["five-classes"]  # the seeds' cat, dog, plane, fish, building


def test_the_spreadsheets_row_is_drawn_to_its_axis():
    acts = np.asarray(SPREADSHEET.logits[0])
    names = SPREADSHEET.class_names
    picture = bar_panel(Bars(acts, names, [class_color(c) for c in range(5)]), y_title="acts",
                        x_title="class")  # fmt: skip
    root = parse(picture.svg)
    y_of = axis_map(root)
    bars = bars_of(root)
    assert [b.get("fill") for b in bars] == [class_color(c) for c in range(5)]
    for bar, value in zip(bars, acts, strict=True):
        top, height = float(bar.get("y")), float(bar.get("height"))
        ends = sorted([y_of(0.0), y_of(value)])
        # coordinates are written to a tenth or a hundredth of a unit
        assert top == pytest.approx(ends[0], abs=0.1)
        assert top + height == pytest.approx(ends[1], abs=0.1)
    texts = texts_of(root)
    for value, name in zip(acts, names, strict=True):
        assert shown(value) in texts and name in texts
    assert "−2.49" in texts  # a true minus sign, like Plotly's
    assert picture.alt == "acts: cat 0.02, dog −2.49, plane −1.75, fish 2.07, building 1.077"


def test_the_softmax_row_as_three_pictures_agrees_with_torch():
    import torch

    acts = torch.tensor(SPREADSHEET.logits[0], dtype=torch.float64)
    exp, _, probs = (p.numpy() for p in ce_core.softmax_parts(acts))
    pictures = make_row_stages(acts.numpy(), exp, probs, SPREADSHEET.class_names,
                               labels=("acts", "exp(acts)", "softmax"))  # fmt: skip
    assert [p.alt.split(":")[0] for p in pictures] == ["acts", "exp(acts)", "softmax"]
    expected = torch.softmax(acts, 0).numpy()
    root = parse(pictures[2].svg)
    y_of = axis_map(root)
    heights = [float(b.get("height")) for b in bars_of(root)]
    np.testing.assert_allclose(np.array(heights) / (y_of(0) - y_of(1)), expected, atol=1e-3)
    assert max(ticks_of(root)) == 1.0  # the probabilities' axis: 0 to 1.1, whatever the row
    assert pictures[2].alt == "softmax: " + ", ".join(
        f"{name} {shown(p, 6)}" for name, p in zip(SPREADSHEET.class_names, expected, strict=True)
    )
    assert round(float(exp.sum()), 2) == 12.14  # the seeds' sum of the exponentials
    exp_texts = texts_of(parse(pictures[1].svg))
    assert "7.925" in exp_texts and "0.08291" in exp_texts  # the seeds' exp column


@pytest.mark.parametrize("name", ['<script>alert("x")</script>', "a & b", "ünïcödé 猫", "' \""])
def test_any_class_name_stays_text(name):
    picture = bar_panel(Bars(np.array([1.0, -1.0]), [name, "dog"], ["#000", "#111"]),
                        y_title="<y>", x_title="&")  # fmt: skip
    root = parse(picture.svg)
    texts = texts_of(root)
    assert name[:11] in "".join(texts) and "<y>" in texts and "&" in texts
    assert not list(root.iter(f"{SVG}script"))


def test_the_spreadsheets_names_fit_under_their_bars():
    root = parse(bar_panel(Bars(np.ones(5), SPREADSHEET.class_names, ["#000"] * 5), y_title="y",
                           x_title="x").svg)  # fmt: skip
    assert not [t for t in root.iter(f"{SVG}text") if "rotate(-40)" in (t.get("transform") or "")]


def test_long_names_turn_and_ten_classes_fit():
    names = [f"a rather long class name {c}" for c in range(10)]
    values = np.linspace(-0.123456, 0.98765, 10)
    root = parse(bar_panel(Bars(values, names, ["#000"] * 10), y_title="y", x_title="x").svg)
    turned = [t for t in root.iter(f"{SVG}text") if "rotate(-40)" in (t.get("transform") or "")]
    assert len(turned) == 10 and all(t.text.endswith("…") for t in turned)
    band = (WIDTH - LEFT - 8) / 10
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    for label, value in zip(labels, values, strict=True):  # as many digits as fit the band
        text, size = text_of(label), int(label.get("font-size"))
        assert text in {shown(value, 4), shown(value, 3), shown(value, 2)}
        assert EM * size * len(text) <= band or text == shown(value, 2)  # the last resort
    assert all(float(b.get("y")) >= 0 and float(b.get("y")) + float(b.get("height")) <= HEIGHT
               for b in bars_of(root))  # fmt: skip


def test_nice_ticks_examples():
    assert nice_ticks(-3.1, 2.7) == [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0]
    assert nice_ticks(0.0, 1.1) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(0.0, 9.1) == [0.0, 2.0, 4.0, 6.0, 8.0]


finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(finite, st.floats(1e-3, 1e6))  # spans a bar chart meets (ticks are rounded to 1e-12)
def test_nice_ticks_are_round_even_steps_inside_the_range(low, span):
    high = low + span
    ticks = nice_ticks(low, high)
    assert 2 <= len(ticks) <= 13
    slack = 1e-9 * max(span, abs(low))  # floating point's, at the range's magnitude
    assert all(low - slack <= tick <= high + slack for tick in ticks)
    steps = np.diff(ticks)
    np.testing.assert_allclose(steps, steps[0], rtol=1e-4)  # ticks are rounded to 1e-12
    mantissa = steps[0] / 10 ** math.floor(math.log10(steps[0]))
    assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-4


@given(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=1, max_size=10))
@example([5e-324])  # a span whose sixth is 0: no tick step (Hypothesis, a fresh-clone run)
@example([-5e-324, 0.0])
def test_every_row_of_values_draws_inside_the_picture(values):
    values = np.array(values)
    low, high = value_range(values)
    assert low <= min(0, values.min()) and high >= max(0, values.max()) and high > low
    bars = Bars(values, [str(c) for c in range(len(values))], ["#000"] * len(values))
    root = parse(bar_panel(bars, y_title="y", x_title="x").svg)
    for bar in bars_of(root):
        y, height = float(bar.get("y")), float(bar.get("height"))
        assert y >= 0 and height >= 0 and y + height <= HEIGHT
