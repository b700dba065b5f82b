"""Figure builders: the right data, the target outlined, the sample framed, titled axes."""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

import ce_core
import figures
from figures.matrices import HIDDEN
from figures.style import SELECTED, STALE_OPACITY, TARGET_OUTLINE, class_color
from ui.view import View


def view_of(preset="3-vs-7", **kwargs):
    p = ce_core.PRESETS[preset]
    stages = ce_core.explain(p.logits, p.targets, class_names=p.class_names, device="cpu", **kwargs)
    return View.of(stages)


def outlined_cells(figure: go.Figure) -> list[tuple[int, int]]:
    """(row, col) of every cell the target path outlines."""
    paths = [s.path for s in figure.layout.shapes if s.type == "path"]
    corners = re.findall(r"M(-?[\d.]+),(-?[\d.]+)", " ".join(paths))
    return [(int(float(y) + 0.5), int(float(x) + 0.5)) for x, y in corners]


def test_heatmap_shows_the_matrix_and_outlines_each_target():
    view = view_of()
    fig = figures.make_matrix_heatmap(
        view.probs, view.class_names, view.target, title="softmax", value_label="p",
        code="torch.softmax(acts, dim=1)", frame_rows=True,
    )  # fmt: skip
    heatmap = fig.data[0]
    np.testing.assert_allclose(np.asarray(heatmap.z), view.probs)
    assert heatmap.texttemplate == "%{z:.4f}"  # small matrices carry their numbers
    assert heatmap.showscale is False  # ... so a colour bar would only repeat them
    assert "%{z:.6g}" in heatmap.hovertemplate  # hover: the exact value
    assert outlined_cells(fig) == [(0, 0), (1, 1), (2, 0), (3, 1), (4, 1), (5, 0)]
    # one hidden frame per row, row r's as shape r: the page shows the selected one with a
    # style rule (ui/highlight.py), so that moving the sample redraws no matrix
    frames = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [f.y0 for f in frames] == [r - 0.5 for r in range(view.n_rows)]
    assert list(fig.layout.shapes[:6]) == frames and all(f.line.color == HIDDEN for f in frames)
    assert fig.layout.title.text == "softmax"
    assert fig.layout.title.subtitle.text == "torch.softmax(acts, dim=1)"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert list(fig.layout.xaxis.ticktext) == ["3", "7"]
    assert fig.data[1].name == "target (targ)"  # the legend says what the outline means
    assert fig.data[1].marker.color == TARGET_OUTLINE


def test_big_matrices_drop_cell_text_but_keep_hover():
    view = view_of("pet-batch")
    fig = figures.make_matrix_heatmap(
        view.logits, view.class_names, view.target, title="acts", value_label="a", diverging=True
    )
    assert fig.data[0].texttemplate is None and fig.data[0].zmid == 0
    assert fig.data[0].showscale and fig.data[0].colorbar.title.text == "a"  # no numbers: a scale
    assert len(outlined_cells(fig)) == 64


def test_ignored_rows_are_not_outlined():
    targets = np.array([0, -100, 1])
    fig = figures.make_matrix_heatmap(
        np.zeros((3, 2)), ["a", "b"], targets, title="t", value_label="v"
    )
    assert outlined_cells(fig) == [(0, 0), (2, 1)]


def target_and_loss(view, **kwargs):
    return figures.make_target_and_loss(
        view.target_prob, view.target, view.class_names, view.losses, float(view.loss),
        title="5-7", target_label="p(targ)", loss_label="-log p", reduced_label="mean", **kwargs,
    )  # fmt: skip


def test_stale_figures_are_dimmed_and_say_so():
    fig = target_and_loss(view_of(), stale=True, stale_note="last valid input")
    assert {trace.opacity for trace in fig.data} == {STALE_OPACITY}
    assert "last valid input" in fig.layout.title.text


def test_target_bars_colour_by_class_and_name_the_class():
    view = view_of()
    bar = target_and_loss(view, selected=4).data[0]
    np.testing.assert_allclose(bar.y, view.target_prob)
    assert list(bar.marker.color) == [class_color(int(t)) for t in view.target]
    assert list(bar.text) == ["3", "7", "3", "7", "7", "3"]  # not colour alone
    assert bar.marker.line.color[4] == SELECTED and bar.marker.line.width[4] == 4
    assert bar.marker.line.color[0] == TARGET_OUTLINE


def test_the_mean_line_only_for_the_mean():
    view = view_of()
    fig = target_and_loss(view)
    assert fig.layout.annotations[0].text == "mean = 1.7790"
    none = figures.make_target_and_loss(
        view.target_prob, view.target, view.class_names, view.losses, None, title="t",
        target_label="p", loss_label="l", reduced_label="m",
    )  # fmt: skip
    assert len(none.layout.shapes) == 0


def test_row_sums_and_book_table():
    view = view_of()
    sums = figures.make_row_sums(view.exp_sum, title="sums", value_label="sum")
    np.testing.assert_allclose(sums.data[0].y, view.exp_sum)
    table = figures.make_book_table(
        view.probs, view.target, view.target_prob, view.losses, view.class_names
    )
    assert list(table.columns) == ["3", "7", "targ", "idx", "sm_acts[idx, targ]", "-log(p)"]
    np.testing.assert_allclose(
        table["sm_acts[idx, targ]"], [0.779514, 0.109796, 0.151727, 0.475517, 0.004427, 0.846414],
        atol=2e-4,
    )  # fmt: skip


def test_target_and_loss_share_the_sample_axis():
    view = view_of()
    fig = target_and_loss(view, selected=1)
    top, bottom = fig.data
    np.testing.assert_allclose(top.y, view.target_prob)
    np.testing.assert_allclose(bottom.y, view.losses)
    assert (bottom.xaxis, bottom.yaxis) == ("x2", "y2") and fig.layout.xaxis2.matches == "x"
    assert top.marker.line.color[1] == SELECTED == bottom.marker.line.color[1]
    (line,) = fig.layout.shapes
    assert line.yref == "y2" and abs(line.y0 - 1.7790) < 2e-4
    assert fig.layout.yaxis.title.text == "p(targ)" and fig.layout.yaxis2.title.text == "-log p"
    # the loss of each bar is -log of the probability above it
    np.testing.assert_allclose(bottom.y, -np.log(top.y), rtol=1e-5)


def test_sample_table_marks_the_target_in_words():
    view = view_of("five-classes")
    table = figures.make_sample_table(
        view.logits[0], view.exp[0], view.probs[0], view.class_names, 3, "◀ target"
    )
    assert list(table["class"]) == ["cat", "dog", "plane", "fish", "building"]
    assert list(table["targ"]) == ["", "", "", "◀ target", ""]
    np.testing.assert_allclose(table["softmax"].sum(), 1.0, rtol=1e-6)
    np.testing.assert_allclose(table["exp(acts − m)"], view.exp[0])


# The softmax page's row: tests/test_bar_picture.py; its explorations (confidence,
# temperature, multi-label): tests/test_explorations_softmax.py


def test_log_curve_puts_every_sample_on_minus_log():
    import figures.log as lf

    view = view_of()
    grid = np.linspace(0.001, 1, 50)
    probs = np.array([0.25, 0.5, 1.0])
    fig = lf.make_log_curve(
        grid, np.log(grid), view.target_prob, view.losses, [int(k) for k in view.target],
        view.class_names, probs, np.log(probs), -np.log(probs), 1, title="log", p_label="p",
        log_label="log(p)", loss_label="-log(p)", samples_label="samples",
        readout="p = {p:.2f}: {log_p:.4f}, {loss:.4f}",
    )  # fmt: skip
    lines, curve, samples, marker = fig.data
    assert marker.x == (0.5,) and marker.marker.symbol == "diamond"  # the starting frame's p
    frames = fig.to_dict()["frames"]
    assert [f["data"][0]["x"] for f in frames] == [[0.25], [0.5], [1.0]]
    assert fig.layout.sliders[0].steps[0].label == "p = 0.25: -1.3863, 1.3863"
    np.testing.assert_allclose(curve.y, -lines.y)
    np.testing.assert_allclose(samples.y, -np.log(samples.x), rtol=1e-5)  # on the curve
    assert list(samples.customdata) == ["3", "7", "3", "7", "7", "3"]  # named, not colour alone
    assert fig.layout.xaxis.title.text == "p" and fig.layout.yaxis.title.text
