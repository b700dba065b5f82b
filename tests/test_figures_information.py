"""The Entropy & KL page's figure builders, called directly (AppTest returns Plotly charts
as raw protos): the identity the bars draw, infinities, and Colah's areas."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from ce_core import information
from figures import information as info_figures

NAMES = ("a", "b", "c")


def bars_for(p, q) -> tuple[information.Comparison, go.Figure]:
    c = information.compare(
        torch.tensor(p, dtype=torch.float64), torch.tensor(q, dtype=torch.float64)
    )
    bars = info_figures.PairBars((c.entropy_p, c.entropy_q), (c.kl_pq, c.kl_qp), ("pq", "qp"),
                                 ("H(p)", "H(q)"), ("KL(p‖q)", "KL(q‖p)"))  # fmt: skip
    return c, info_figures.make_entropy_bars(bars, title="t", y_label="nats", code="c")


def test_the_stacked_bars_add_up_to_the_cross_entropies():
    c, figure = bars_for([0.5, 0.25, 0.25], [0.2, 0.3, 0.5])
    heights = {trace.name: trace.y[0] for trace in figure.data}
    assert heights["H(p)"] + heights["KL(p‖q)"] == pytest.approx(c.cross_pq)
    assert heights["H(q)"] + heights["KL(q‖p)"] == pytest.approx(c.cross_qp)
    totals = [note.text for note in figure.layout.annotations]
    assert totals == [f"<b>{c.cross_pq:.4f}</b>", f"<b>{c.cross_qp:.4f}</b>"]
    assert figure.layout.barmode == "stack"


def test_an_infinite_kl_is_a_bar_to_the_top_marked_infinite():
    c, figure = bars_for([0.5, 0.5, 0.0], [1.0, 0.0, 0.0])
    assert c.kl_pq == math.inf and math.isfinite(c.kl_qp)
    kl = next(trace for trace in figure.data if trace.name == "KL(p‖q)")
    assert kl.text == ("KL(p‖q) = ∞",)
    top = figure.layout.yaxis.range[1]
    assert c.entropy_p + kl.y[0] == pytest.approx(top / 1.08)  # to the top of the axis
    assert figure.layout.annotations[0].text == "<b>∞</b>"


def test_colahs_picture_areas_are_the_two_entropies():
    p = np.array([0.5, 0.25, 0.125, 0.125])
    q = np.array([0.125, 0.5, 0.25, 0.125])
    c = information.compare(p, q, unit="bits")
    figure = info_figures.make_coding_picture(
        p, c.surprisal_q.numpy(), information.surprisal(p, unit="bits").numpy(), list("wxyz"),
        title="t", x_label="x", y_label="y", q_name="q", p_name="p", code="c",
    )  # fmt: skip
    coded, best = figure.data
    assert float(np.sum(np.asarray(coded.width) * np.asarray(coded.y))) == pytest.approx(2.375)
    assert float(np.sum(np.asarray(best.width) * np.asarray(best.y))) == pytest.approx(1.75)
    # the rectangles tile [0, 1] in p's order
    assert np.asarray(coded.x) - np.asarray(coded.width) / 2 == pytest.approx([0, 0.5, 0.75, 0.875])


def test_colahs_picture_leaves_out_impossible_events_and_marks_infinite_lengths():
    p = np.array([0.5, 0.5, 0.0])
    q = np.array([1.0, 0.0, 0.0])
    c = information.compare(p, q)
    figure = info_figures.make_coding_picture(
        p, c.surprisal_q.numpy(), information.surprisal(p).numpy(), NAMES,
        title="t", x_label="x", y_label="y", q_name="q", p_name="p", code="c",
    )  # fmt: skip
    coded = figure.data[0]
    assert list(coded.customdata) == ["a", "b"]  # c never happens: no width
    assert coded.text == ("0", "∞")
    assert coded.y[1] == figure.layout.yaxis.range[1]
