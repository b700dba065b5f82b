"""Gradients: softmax minus one-hot, why not MSE, and one gradient step at a time.

Thin like every page: widgets -> ce_core (explain, gradients) -> figures -> show; every
sentence in i18n.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
import torch

import ce_core
import figures
from ce_core.gradients import autograd_grad, gradient_step, loss_curves
from figures.gradients import (
    MAX_GRADIENT_ROWS,
    make_gradient_rows,
    make_loss_comparison,
    make_step_history,
)
from i18n import t
from ui import boundary, entry, sidebar
from ui.batch import Batch, batch_picker
from ui.charts import show_chart
from ui.view import to_numpy

LEARNING_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
MAX_STEPS = 200  # the history's length; beyond it the oldest steps would crowd the chart
CURVE_POINTS = 399
STEPS_KEY = "gr_steps"


def explain(batch: Batch, logits: object | None = None) -> ce_core.Stages:
    """The batch (or stepped logits for it) through ce_core with the sidebar's options."""
    options = sidebar.current()
    return ce_core.explain(
        batch.logits if logits is None else logits, batch.targets,
        class_names=batch.class_names, device=options.device, dtype=options.dtype,
        reduction=options.reduction,
    )  # fmt: skip


# ---------------------------------------------------------------------------- section 1


def _scale_text(stages: ce_core.Stages) -> str:
    return {"mean": f"/ {stages.n_rows}", "sum": "", "none": ""}[stages.reduction]


def section_softmax_minus_one_hot(batch: Batch) -> None:
    st.header(t("gradients.grad_header"))
    st.markdown(t("gradients.grad_text"))
    stages = explain(batch)
    by_autograd = to_numpy(autograd_grad(stages))  # (N, C)
    by_formula = to_numpy(stages.grad)
    targets = stages.target.cpu().numpy()
    show_chart(
        figures.make_matrix_heatmap(
            by_formula, stages.class_names, targets, diverging=True,
            title=t("gradients.matrix_title"), value_label="∂loss/∂acts",
            code=t("gradients.matrix_code", scale=_scale_text(stages)),
        ),
        alt=t("gradients.matrix_alt"),
    )  # fmt: skip
    default = list(range(min(stages.n_rows, 6)))
    rows = st.multiselect(
        t("gradients.rows"), list(range(stages.n_rows)), default=default, key="gr_rows",
        max_selections=MAX_GRADIENT_ROWS, help=t("gradients.rows_help"),
    )  # fmt: skip
    if rows:
        show_chart(
            make_gradient_rows(
                by_autograd, by_formula, sorted(rows), targets, stages.class_names,
                title=t("gradients.rows_title"), grad_label="∂loss/∂acts[idx, c]",
                autograd_label=t("gradients.autograd"), formula_label=t("gradients.formula"),
                code=t("gradients.rows_code"),
            ),
            alt=t("gradients.rows_alt"),
        )  # fmt: skip
    diff = float(np.abs(by_autograd - by_formula).max())
    st.caption(t("gradients.grad_check", diff=diff, device=stages.device, dtype=stages.dtype))
    first = sorted(rows)[0] if rows else 0
    st.latex(_row_latex(stages, first))
    st.markdown(t(f"gradients.reduction_{stages.reduction}", n=stages.n_rows))


def _row_latex(stages: ce_core.Stages, idx: int) -> str:
    """One row's gradient, class by class: (p - onehot) / N with its numbers."""
    probs = to_numpy(stages.probs[idx])
    grad = to_numpy(stages.grad[idx])
    targ = int(stages.target[idx])
    over = rf"\tfrac{{1}}{{{stages.n_rows}}}" if stages.reduction == "mean" else ""
    terms = []
    for c in range(min(stages.n_classes, 4)):
        one = 1 if c == targ else 0
        terms.append(rf"{over}({probs[c]:.4f} - {one}) = {grad[c]:.4f}")
    more = r", \ldots" if stages.n_classes > 4 else ""
    return (
        rf"\frac{{\partial\,\mathrm{{loss}}}}{{\partial\,\mathrm{{acts}}[{idx}, c]}}"
        rf" = {over}\left(p_{{{idx},c}} - \mathbb{{1}}[c = {targ}]\right):\quad "
        + r",\quad ".join(terms)
        + more
    )


# ---------------------------------------------------------------------------- section 2


@st.fragment  # the p and C sliders redraw this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def section_why_not_mse() -> None:
    st.header(t("gradients.mse_header"))
    st.markdown(t("gradients.mse_text"))
    left, right = st.columns(2)
    p = left.slider(
        t("gradients.p"), 0.001, 0.999, 0.05, 0.001, format="%.3f", key="gr_p",
        help=t("gradients.p_help"),
    )  # fmt: skip
    n_classes = right.slider(
        t("gradients.classes"), 2, 10, 3, key="gr_classes", help=t("gradients.classes_help")
    )
    grid = torch.linspace(0.0025, 0.9975, CURVE_POINTS, dtype=torch.float64)
    curves = loss_curves(grid, n_classes)
    now = loss_curves(torch.tensor([p], dtype=torch.float64), n_classes)
    show_chart(
        make_loss_comparison(
            to_numpy(grid), [(c.name, to_numpy(c.loss), to_numpy(c.grad)) for c in curves], p,
            [(float(c.loss[0]), float(c.grad[0])) for c in now],
            title=t("gradients.mse_title", classes=n_classes), p_label=t("gradients.p_axis"),
            loss_label=t("gradients.loss_axis"), grad_label=t("gradients.grad_axis"),
            code=t("gradients.mse_code"),
        ),
        alt=t("gradients.mse_alt"),
    )  # fmt: skip
    frame = pd.DataFrame(
        {t("gradients.loss_name"): [c.name for c in now],
         t("gradients.loss_value"): [float(c.loss[0]) for c in now],
         t("gradients.grad_value"): [float(c.grad[0]) for c in now]}
    )  # fmt: skip
    st.dataframe(
        frame, hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="%.5f") for c in frame.columns[1:]},
    )  # fmt: skip
    ce, mse = float(now[0].grad[0]), float(now[1].grad[0])
    st.markdown(t("gradients.mse_ratio", p=p, ce=ce, mse=mse, ratio=abs(ce / mse)))
    st.code(t("gradients.mse_pytorch", p=p, classes=n_classes), language="python")


# ---------------------------------------------------------------------------- section 3


@dataclass(frozen=True)
class StepRecord:
    logits: np.ndarray  # (N, C) the activations after this many steps
    loss: float  # the reduced loss (the mean of the per-sample ones for "none")
    target_prob: np.ndarray  # (N,)


def _record(stages: ce_core.Stages) -> StepRecord:
    loss = stages.loss if stages.reduction != "none" else stages.losses.mean()
    return StepRecord(to_numpy(stages.logits), float(loss), to_numpy(stages.target_prob))


def _history_id(batch: Batch) -> tuple:
    """Steps belong to one batch and one set of options; anything else starts over."""
    options = sidebar.current()
    return (batch.key, batch.logits.tobytes(), batch.targets.tobytes(), options.reduction,
            options.dtype, options.device)  # fmt: skip


def _take_step(batch: Batch) -> None:
    history = st.session_state[STEPS_KEY][1]
    if len(history) > MAX_STEPS:
        return
    stages = explain(batch, history[-1].logits)
    lr = float(st.session_state["gr_lr"])
    stepped = gradient_step(stages.logits, stages.grad, lr)
    if not bool(torch.isfinite(stepped).all()):  # cannot happen below lr 1e30; kept honest
        return
    history.append(_record(explain(batch, to_numpy(stepped))))


def _reset(batch: Batch) -> None:
    st.session_state[STEPS_KEY] = (_history_id(batch), [_record(explain(batch))])


@st.fragment  # a step (or the learning rate) redraws this section only
@boundary.guarded
def section_gradient_step(batch: Batch) -> None:
    st.header(t("gradients.step_header"))
    st.markdown(t("gradients.step_text"))
    if st.session_state.get(STEPS_KEY, (None,))[0] != _history_id(batch):
        _reset(batch)
    history: list[StepRecord] = st.session_state[STEPS_KEY][1]
    lr_col, step_col, reset_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    lr_col.select_slider(
        t("gradients.lr"), LEARNING_RATES, value=1.0, key="gr_lr", help=t("gradients.lr_help")
    )
    step_col.button(
        t("gradients.step_button"), key="gr_step", on_click=_take_step, args=(batch,),
        type="primary", disabled=len(history) > MAX_STEPS,
    )  # fmt: skip
    reset_col.button(t("gradients.reset_button"), key="gr_reset", on_click=_reset, args=(batch,))
    first, last = history[0], history[-1]
    steps = len(history) - 1
    loss_col, p_col = st.columns(2)
    loss_col.metric(
        t("gradients.loss_after", steps=steps), f"{last.loss:.4f}",
        delta=f"{last.loss - first.loss:+.4f}", delta_color="inverse",
    )  # fmt: skip
    p_col.metric(
        t("gradients.mean_p_after", steps=steps), f"{float(np.nanmean(last.target_prob)):.4f}",
        delta=f"{float(np.nanmean(last.target_prob - first.target_prob)):+.4f}",
    )  # fmt: skip
    show_chart(
        make_step_history(
            np.array([h.loss for h in history]), np.stack([h.target_prob for h in history]),
            batch.targets, title=t("gradients.history_title"), step_label=t("gradients.step"),
            loss_label=t("gradients.history_loss"), prob_label=t("gradients.history_p"),
            code=t("gradients.history_code"),
        ),
        alt=t("gradients.history_alt"),
    )  # fmt: skip
    stages = explain(batch, last.logits)
    show_chart(
        figures.make_matrix_heatmap(
            to_numpy(stages.probs), stages.class_names, batch.targets,
            title=t("gradients.probs_title", steps=steps), value_label="softmax",
            code="torch.softmax(acts, dim=1)",
        ),
        alt=t("gradients.probs_alt"),
    )  # fmt: skip
    if len(history) > MAX_STEPS:
        st.info(t("gradients.max_steps", steps=MAX_STEPS))
    st.code(t("gradients.step_pytorch"), language="python")


def render() -> None:
    st.title(t("gradients.title"))
    st.markdown(t("gradients.intro"))
    batch = batch_picker("gr_source")
    section_softmax_minus_one_hot(batch)
    section_why_not_mse()
    section_gradient_step(batch)


entry.require_entrypoint()
render()
