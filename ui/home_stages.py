"""The home page's stages, top to bottom in pipeline order, one figure each; then the
selected sample written out, the reduction, PyTorch's check, the book's table and the code.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

import ce_core
import figures
from i18n import t
from ui import boundary, chart_text, highlight, keys, notebook, predict, session
from ui.charts import show_chart
from ui.formula import reduction_latex, sample_latex
from ui.home_inputs import sample_selector
from ui.reproduce import pytorch_code
from ui.text import number
from ui.view import View

# Presets whose sources print losses that their 4-decimal activations miss in the 4th digit
PRINTED_IN_SOURCE = ("3-vs-7", "three-classes")
# The book's table is printed in full up to this size (the seeds' batches), else a grid
BOOK_TABLE_MAX_ROWS, BOOK_TABLE_MAX_COLUMNS = 16, 14


# The charts that mark the selected sample, by key: a style rule marks it (ui/highlight.py)
MATRIX_KEYS = {"logits": "matrix_logits", "exp": "matrix_exp", "softmax": "matrix_softmax"}
ROW_SUMS_KEY = "row_sums"


def frames_selected_row(view: View) -> bool:
    """Small matrices frame the selected row; large ones (a 64 x 37 batch) do not: a row
    of thin cells framed says little, and the table of the sample shows its row instead."""
    return view.n_rows * view.n_classes <= figures.matrices.MAX_ANNOTATED_CELLS


def show_stages(view: View, stale: str | None, *, unedited_preset: str | None = None) -> None:
    """Every stage top to bottom, in pipeline order, one figure each.

    ``stale`` says what is shown instead of the current input (figures dimmed), or None;
    ``unedited_preset``: the preset the batch is, unedited (None for anything else).
    """
    common = {"stale": bool(stale), "stale_note": stale or ""}
    if not frames_selected_row(view):
        st.caption(t("pipeline.too_many_classes_note", classes=view.n_classes))

    def show_matrix(stage: str, values: np.ndarray, diverging: bool = False) -> None:
        title = t(f"stage.{stage}_title")
        figure = figures.make_matrix_heatmap(
            values, view.class_names, view.target, title=title,
            value_label=t(f"stage.{stage}_label"), code=t(f"stage.{stage}_code"),
            diverging=diverging, frame_rows=frames_selected_row(view), **common,
        )  # fmt: skip
        summary = t(
            "stage.alt_matrix",
            rows=view.n_rows,
            classes=view.n_classes,
            numbers=chart_text.matrix_summary(values, view.class_names),
        )
        show_chart(figure, key=MATRIX_KEYS[stage],
                   alt=t("stage.chart_alt", title=title, summary=summary))  # fmt: skip

    show_matrix("logits", view.logits, diverging=True)
    st.caption(t("stage.shifted_note"))
    show_matrix("exp", view.exp)
    title = t("stage.sums_title")
    show_chart(
        figures.make_row_sums(view.exp_sum, title=title, value_label=t("stage.sums_label"),
                              code=t("stage.sums_code"), **common),
        key=ROW_SUMS_KEY,
        alt=t("stage.chart_alt", title=title, summary=chart_text.row_sums_summary(view.exp_sum)),
    )  # fmt: skip
    show_matrix("softmax", view.probs)
    st.caption(t("stage.softmax_rows_note", deviation=float(np.abs(view.probs.sum(1) - 1).max())))

    ask_which_sample_loses_most(view)
    show_target_and_loss(view, stale)
    per_sample_stages(view)
    show_reduction_and_check(view)
    show_against_guessing(view)
    st.subheader(t("stage.table_title"))
    st.caption(t("stage.table_caption"))
    if unedited_preset in PRINTED_IN_SOURCE:
        st.caption(t(f"stage.table_rounding_note_{unedited_preset}"))
    show_book_table(view)
    # A toggle, not an expander: an expander's content is drawn (and syntax-highlighted)
    # even while closed, and that is a fifth of the home page's first drawing in the browser.
    if st.toggle(t("stage.code_title"), key="show_code"):
        st.code(pytorch_code(view.stages), language="python")
    notebook.download_button(view.stages, session.state().source.batch(), key="home_notebook")


def show_book_table(view: View) -> None:
    """The book's table: printed in full, like the book's, while it is small; a scrolling
    grid when it is not (a 64 x 37 batch). A static table is also the cheaper to draw."""
    table = figures.make_book_table(view.probs, view.target, view.target_prob, view.losses,
                                    view.class_names)  # fmt: skip
    numbers = [column for column in table.columns if column not in ("targ", "idx")]
    if len(table) <= BOOK_TABLE_MAX_ROWS and len(table.columns) <= BOOK_TABLE_MAX_COLUMNS:
        st.table(table.style.format("{:.6f}", subset=numbers).hide(axis="index"))
        return
    six_decimals = st.column_config.NumberColumn(format="%.6f")
    st.dataframe(table, column_config=dict.fromkeys(numbers, six_decimals), hide_index=True)


def show_target_and_loss(view: View, stale: str | None) -> None:
    """The target's probability and the loss, one bar per sample; a click on a bar selects
    that sample (and reruns the page). Drawn by the page's run, not by the sample's
    fragment: the selected sample's outline is the fragment's style rule, so a move of the
    slider sends no figure."""
    title = t("stage.target_loss_title")
    figure = figures.make_target_and_loss(
        view.target_prob, view.target, view.class_names, view.losses,
        float(view.loss) if view.reduction == "mean" else None, title=title,
        target_label=t("stage.target_label"), loss_label=t("stage.loss_label"),
        reduced_label=t("stage.mean_label"), code=t("stage.target_loss_code"),
        ignored_label=t("stage.ignored"), stale=bool(stale),
        stale_note=stale or "",
    )  # fmt: skip
    summary = chart_text.loss_summary(view.losses, view.target_prob, view.ignored)
    show_chart(figure, key=keys.TARGET_LOSS_CHART, selectable=True,  # a click selects a sample
               alt=t("stage.chart_alt", title=title, summary=summary),
               table=lambda: figures.make_loss_table(
                   view.target_prob, view.target, view.losses, view.ignored, view.class_names,
                   target_label=t("stage.target_label"), loss_label=t("stage.loss_label"),
                   ignored_mark=t("stage.ignored"),
               ))  # fmt: skip


@st.fragment
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def per_sample_stages(view: View) -> None:
    """The sample selector and the selected sample written out, under the loss chart.

    A fragment: moving the slider reruns only this part, not the editor or any chart. No
    figure is redrawn for a move: the charts mark the selected sample through a style rule
    this part writes (ui/highlight.py).
    """
    sample = sample_selector(view.n_rows)
    highlight.mark_selected_sample(
        sample,
        matrices=list(MATRIX_KEYS.values()) if frames_selected_row(view) else [],
        bars=[ROW_SUMS_KEY, keys.TARGET_LOSS_CHART],
    )
    show_selected_sample(view, sample)
    session.sync_url(session.update(sample=sample))


def show_selected_sample(view: View, sample: int) -> None:
    """The selected sample: its row at every stage (a table) and its computation (LaTeX)."""
    st.subheader(t("stage.selected_title", idx=sample))
    if not frames_selected_row(view):
        st.caption(t("stage.selected_strip_note"))
    # A table, not a chart: it follows the slider at a fraction of a Plotly redraw's cost.
    table = figures.make_sample_table(view.logits[sample], view.exp[sample], view.probs[sample],
                                      view.class_names, int(view.target[sample]),
                                      t("stage.strip_target_mark"))  # fmt: skip
    four_decimals = st.column_config.NumberColumn(format="%.4f")
    softmax_bar = st.column_config.ProgressColumn(format="%.4f", min_value=0.0, max_value=1.0,
                                                  help=t("stage.strip_softmax_help"))  # fmt: skip
    st.dataframe(table, hide_index=True, height=min(36 + 35 * view.n_classes, 300),
                 column_config={"acts": four_decimals, "exp(acts − m)": four_decimals,
                                "softmax": softmax_bar})  # fmt: skip
    if view.ignored[sample]:
        st.info(t("stage.selected_ignored", idx=sample))
        return
    st.latex(sample_latex(view.stages, sample))


def show_reduction_and_check(view: View) -> None:
    st.subheader(t("stage.reduced_title", reduction=view.reduction))
    n = view.n_rows
    if view.reduction == "none":
        st.caption(t("stage.reduced_none", n=n, mean=float(np.nanmean(view.losses))))
    else:
        st.caption(t(f"stage.reduced_{view.reduction}", n=n))
    st.latex(reduction_latex(view.stages))

    st.subheader(t("stage.check_title"))
    values = {t("stage.check_ours"): view.loss} | view.checks
    for column, (name, value) in zip(st.columns(len(values)), values.items(), strict=True):
        shown = number(value) if value.ndim == 0 else t("stage.check_values", n=value.size)
        column.metric(name, shown, border=True)
    st.caption(t("stage.check_caption", device=view.device, dtype=view.dtype,
                 diff=view.max_abs_diff))  # fmt: skip


def ask_which_sample_loses_most(view: View) -> None:
    """Predict, then reveal, before the losses are drawn: the largest loss's sample."""
    if view.n_rows < 2:
        return
    idx = int(np.argmax(np.where(view.ignored, -np.inf, view.losses)))
    predict.ask("pipeline_largest", 1, t("predict.pipeline_largest_why", idx=idx,
                p=float(view.target_prob[idx]), loss=float(view.losses[idx])))  # fmt: skip


def show_against_guessing(view: View) -> None:
    """The batch's mean loss beside ln C, the loss of a uniform guess, and its perplexity."""
    stages = view.stages
    against = ce_core.against_guessing(stages)
    if not math.isfinite(against.mean_loss):  # every row ignored: there is no mean
        return
    predict.ask("pipeline_zeros", 1, t("predict.pipeline_zeros_why", classes=view.n_classes,
                                        guess=against.guessing_loss))  # fmt: skip
    st.subheader(t("stage.guess_title"))
    gap = against.mean_loss - against.guessing_loss
    verdict = "equal" if abs(gap) < 5e-5 else "worse" if gap > 0 else "better"
    st.markdown(t("stage.guess_text", classes=view.n_classes, guess=against.guessing_loss,
                  mean=against.mean_loss, verdict=t(f"stage.guess_{verdict}")))  # fmt: skip
    metrics = {t("stage.guess_metric"): against.guessing_loss,
               t("stage.mean_metric"): against.mean_loss,
               t("stage.perplexity_metric"): against.perplexity}  # fmt: skip
    for column, (name, value) in zip(st.columns(3), metrics.items(), strict=True):
        column.metric(name, number(value), border=True)
    # The geometric-mean reading holds for a plain mean of -ln p(targ): no weights, no
    # smoothing, index targets (the home page's batch always is one).
    plain = (stages.weight is None and stages.label_smoothing == 0
             and stages.target_kind == "index")  # fmt: skip
    if plain:
        st.markdown(t("stage.perplexity_text", perplexity=against.perplexity,
                      classes=view.n_classes, typical=against.typical_p))  # fmt: skip
