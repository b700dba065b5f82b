"""The tables under every chart (figures/chart_numbers.py): the numbers the figure draws,
read from the figure, labelled as its axes and legend label them."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
import torch.nn.functional as F

import ce_core
import figures
from figures.chart_numbers import chart_tables
from figures.gradients import make_gradient_rows
from figures.training import make_training_curves

BOOK = ce_core.PRESETS["3-vs-7"]


def test_a_heatmap_gives_its_matrix_under_the_class_names():
    acts = np.array(BOOK.logits)
    figure = figures.make_matrix_heatmap(
        acts, BOOK.class_names, BOOK.targets, title="acts", value_label="a", code="acts"
    )
    (table,) = chart_tables(figure)
    assert list(table.columns) == list(BOOK.class_names)
    assert list(table.index) == [str(k) for k in range(len(acts))]
    np.testing.assert_array_equal(table.to_numpy(), acts)


def test_bars_on_two_panels_share_one_table_against_pytorch():
    acts, targets = torch.tensor(BOOK.logits), torch.tensor(BOOK.targets)
    losses = F.cross_entropy(acts, targets, reduction="none").numpy()
    target_prob = torch.softmax(acts, 1)[torch.arange(len(targets)), targets].numpy()
    figure = figures.make_target_and_loss(
        target_prob, BOOK.targets, BOOK.class_names, losses, float(losses.mean()),
        title="t", target_label="p(targ)", loss_label="-log p", reduced_label="mean",
    )  # fmt: skip
    (table,) = chart_tables(figure)  # the legend's entry for the outline is no table
    assert list(table.columns)[1:] == ["p(targ)", "-log p"]
    np.testing.assert_allclose(table["-log p"], losses, rtol=1e-6)
    np.testing.assert_allclose(table["p(targ)"], target_prob, rtol=1e-6)


def test_one_run_on_two_panels_is_told_apart_by_the_panels_axis():
    ce, accuracy = np.array([1.1, 0.6, 0.3]), np.array([0.5, 0.8, 0.9])
    figure = make_training_curves(
        [("cross-entropy", ce, accuracy)], title="c", step_label="step",
        loss_label="loss", accuracy_label="accuracy",
    )  # fmt: skip
    (table,) = chart_tables(figure)
    assert list(table.columns) == ["step", "cross-entropy · loss", "cross-entropy · accuracy"]
    np.testing.assert_array_equal(table["cross-entropy · accuracy"], accuracy)


def test_decorations_and_hidden_traces_are_left_out_and_repeated_names_numbered():
    figure = go.Figure(
        [
            go.Scatter(x=[0, 1], y=[2.0, 3.0], name="a"),
            go.Scatter(x=[0, 1], y=[4.0, 5.0], name="a"),
            go.Scatter(x=[0, 1], y=[9.0, 9.0], name="shade", hoverinfo="skip"),
            go.Scatter(x=[0, 1], y=[8.0, 8.0], name="off", visible=False),
            go.Bar(x=["p", "q", "r"], y=[1.0, 2.0, 3.0]),
        ]
    )
    first, second = chart_tables(figure)
    assert list(first.columns) == ["x", "a", "a (2)"]
    assert list(second.columns) == ["x", "series 5"]
    assert list(second["x"]) == ["p", "q", "r"]


@pytest.mark.parametrize("values", [np.array([[np.nan, 1.0]]), np.array([[np.inf, -np.inf]])])
def test_a_heatmap_of_non_finite_values_still_tables(values):
    figure = figures.make_matrix_heatmap(values, ["a", "b"], [0], title="t", value_label="v")
    (table,) = chart_tables(figure)
    np.testing.assert_array_equal(table.to_numpy(), values)


def test_panels_side_by_side_name_their_columns_by_the_panel_title():
    grad = np.array([[0.1, -0.1], [-0.2, 0.2]])
    figure = make_gradient_rows(
        grad, grad, [0, 1], np.array([1, 0]), ["3", "7"], title="t", grad_label="g",
        autograd_label="autograd", formula_label="formula", code="c",
    )  # fmt: skip
    (table,) = chart_tables(figure)
    assert list(table.columns)[1:] == [
        "autograd · idx 0", "formula · idx 0", "autograd · idx 1", "formula · idx 1",
    ]  # fmt: skip
    np.testing.assert_array_equal(table["formula · idx 1"], grad[1])


def test_the_loss_tables_ignored_sample_has_no_probability_and_says_so():
    target_prob = np.array([0.78, 0.11, 0.15])
    losses = np.array([0.25, 0.0, 1.89])  # sample 1 ignored: PyTorch's loss for it is 0
    table = figures.make_loss_table(
        target_prob, [0, -100, 1], losses, np.array([False, True, False]), ["3", "7"],
        target_label="p(targ)", loss_label="loss", ignored_mark="ignored",
    )  # fmt: skip
    assert list(table["targ"]) == ["3", "ignored", "7"]
    assert np.isnan(table["p(targ)"][1]) and table["p(targ)"][2] == 0.15
    np.testing.assert_array_equal(table["loss"], losses)
