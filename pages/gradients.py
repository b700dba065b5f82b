"""Gradients: softmax minus one-hot, why not MSE, and one gradient step at a time.

Thin like every page: widgets -> ui.compute, ce_core.gradients -> figures -> show; every
sentence in i18n.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import streamlit as st
import torch

import figures
from ce_core import reference
from ce_core.gradients import (
    CROSS_ENTROPY,
    DEPENDS_ON_CLASS_COUNT,
    MNIST_LOSS,
    MSE,
    exact_target_grads,
    gradient_step,
    loss_curves,
)
from figures.gradients import (
    MAX_GRADIENT_ROWS,
    LossAtCounts,
    class_count_rule,
    make_gradient_rows,
    make_loss_comparison,
    make_step_history,
    per_count_text,
)
from i18n import t
from ui import boundary, chart_text, compute, entry, highlight, path, predict, sidebar
from ui import explore as ui_explore
from ui.batch import Batch, batch_picker
from ui.charts import show_chart
from ui.text import number
from ui.view import View, to_numpy

LEARNING_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
MAX_STEPS = 200  # the history's length; beyond it the oldest steps would crowd the chart
# The curves' points, 0.005 apart: smooth at any width (each curve is one path, a layout
# shape's or a picture's, sent once, drawn once: the slider's frames move the points at p)
CURVE_POINTS = 200
STEPS_KEY, LR_KEY = "gr_steps", "gr_lr"


# ---------------------------------------------------------------------------- section 1


def section_softmax_minus_one_hot(view: View) -> None:
    st.header(t("gradients.grad_header"))
    predict.ask("gradients_row_sum", 2, t("predict.gradients_row_sum_why",
                largest=float(np.abs(view.grad.sum(axis=1)).max())))  # fmt: skip
    st.markdown(t("gradients.grad_text"))
    by_autograd = to_numpy(reference.autograd_grad(view.stages))  # (N, C)
    by_formula = view.grad
    scale = f"/ {view.n_rows}" if view.reduction == "mean" else ""
    show_chart(
        figures.make_matrix_heatmap(
            by_formula, view.class_names, view.target, diverging=True,
            title=t("gradients.matrix_title"), value_label="∂loss/∂acts",
            code=t("gradients.matrix_code", scale=scale),
        ),
        numbers_key="gr_matrix_numbers",
        alt=t("gradients.matrix_alt",
              numbers=chart_text.matrix_summary(by_formula, view.class_names)),
    )  # fmt: skip
    default = list(range(min(view.n_rows, 6)))
    rows = st.multiselect(
        t("gradients.rows"), list(range(view.n_rows)), default=default, key="gr_rows",
        max_selections=MAX_GRADIENT_ROWS, help=t("gradients.rows_help"),
        placeholder=t("app.choose_rows"),
    )  # fmt: skip
    rows = sorted(rows)
    difference = np.abs(by_autograd - by_formula)  # (N, C)
    if rows:
        show_chart(
            make_gradient_rows(
                by_autograd, by_formula, rows, view.target, view.class_names,
                title=t("gradients.rows_title"), grad_label="∂loss/∂acts[idx, c]",
                autograd_label=t("gradients.autograd"), formula_label=t("gradients.formula"),
                code=t("gradients.rows_code"),
            ),
            numbers_key="gr_rows_numbers",
            alt=t("gradients.rows_alt", numbers=chart_text.agreement_summary(
                rows, float(difference[rows].max()))),
        )  # fmt: skip
    diff = float(difference.max())
    st.caption(t("gradients.grad_check", diff=diff, device=view.device, dtype=view.dtype))
    first = rows[0] if rows else 0
    st.latex(_row_latex(view, first))
    st.markdown(t(f"gradients.reduction_{view.reduction}", n=view.n_rows))


def _row_latex(view: View, idx: int) -> str:
    """One row's gradient, class by class: (p - onehot) / N with its numbers."""
    probs, grad, targ = view.probs[idx], view.grad[idx], int(view.target[idx])
    over = rf"\tfrac{{1}}{{{view.n_rows}}}" if view.reduction == "mean" else ""
    terms = []
    for c in range(min(view.n_classes, 4)):
        one = 1 if c == targ else 0
        terms.append(rf"{over}({number(probs[c])} - {one}) = {number(grad[c])}")
    more = r", \ldots" if view.n_classes > 4 else ""
    return (
        rf"\frac{{\partial\,\mathrm{{loss}}}}{{\partial\,\mathrm{{acts}}[{idx}, c]}}"
        rf" = {over}\left(p_{{{idx},c}} - \mathbb{{1}}[c = {targ}]\right):\quad "
        + r",\quad ".join(terms)
        + more
    )


# ---------------------------------------------------------------------------- section 2


# The chart's slider positions over p: 0.005, every hundredth from 0.01 to 0.99, and 0.995
# (inside the curves' grid, so that every point sits on its curve)
SLIDER_PROBS = np.round(np.concatenate([[0.005], np.arange(1, 100) / 100, [0.995]]), 3)
DEFAULT_P = 0.05
CLASS_COUNTS = tuple(range(2, 11))  # the C slider's positions
DEFAULT_CLASSES = 3
COMPARISON_KEY = "gr_comparison"  # the chart's key: its class, st-key-..., scopes the C rule


@st.cache_data(show_spinner=False)  # the same numbers for every learner and every rerun
def _losses_at_every_count() -> tuple[np.ndarray, list[LossAtCounts]]:
    """The curves' grid of target probabilities (P,), and the four losses over it and at the
    slider's positions for every C, each named by its key."""
    grid = torch.linspace(0.0025, 0.9975, CURVE_POINTS, dtype=torch.float64)
    probs = torch.from_numpy(SLIDER_PROBS)
    over_grid = [loss_curves(grid, count) for count in CLASS_COUNTS]  # (K,) of 4 curves each
    at_probs = [loss_curves(probs, count) for count in CLASS_COUNTS]

    def by_count(group: list, i: int) -> list[np.ndarray]:
        """Curve ``i``'s loss and gradient, one row per class count: (K, P) or (K, F)."""
        return [np.stack([to_numpy(getattr(curves[i], field)) for curves in group])
                for field in ("loss", "grad")]  # fmt: skip

    keys = [curve.key for curve in over_grid[0]]
    return to_numpy(grid), [
        LossAtCounts(key, *by_count(over_grid, i), *by_count(at_probs, i),
                     key in DEPENDS_ON_CLASS_COUNT)
        for i, key in enumerate(keys)
    ]  # fmt: skip


def _readouts(losses: dict[str, LossAtCounts]) -> list[str]:
    """Each position's numbers, (F,); MSE's gradient and the ratio once per class count."""
    ce, mnist, mse = (losses[key].grad_at for key in (CROSS_ENTROPY, MNIST_LOSS, MSE))  # (K, F)
    ratio = ce / mse
    return [
        t("gradients.mse_readout", p=p, ce=ce[0, f], mnist=mnist[0, f],
          mse=per_count_text(CLASS_COUNTS, [f"{v:z.4f}" for v in mse[:, f]]),
          ratio=per_count_text(CLASS_COUNTS, [f"{v:.1f}" for v in ratio[:, f]]))
        for f, p in enumerate(SLIDER_PROBS.tolist())
    ]  # fmt: skip


def section_why_not_mse() -> None:
    st.header(t("gradients.mse_header"))
    wrong = {key: float(g[0]) for key, g in exact_target_grads(torch.tensor([0.01]), 3).items()}
    predict.ask("gradients_wrong", 3, t("predict.gradients_wrong_why", ce=wrong[CROSS_ENTROPY],
                mnist=wrong[MNIST_LOSS], mse=wrong[MSE], ratio=wrong[CROSS_ENTROPY] / wrong[MSE]),
                classes=3)  # fmt: skip
    st.markdown(t("gradients.mse_text"))
    grid, keyed = _losses_at_every_count()
    by_key = {loss.name: loss for loss in keyed}
    losses = [replace(loss, name=t(f"gradients.loss_{loss.name}")) for loss in keyed]
    # The figure is the same at every C: drawn by the page's run, not by the C slider's
    # fragment, whose style rule shows the chosen count's parts of it
    show_chart(
        make_loss_comparison(
            grid, CLASS_COUNTS, losses, SLIDER_PROBS,
            int(np.flatnonzero(SLIDER_PROBS == DEFAULT_P)[0]),
            title=t("gradients.mse_title"), p_label=t("gradients.p_axis"),
            loss_label=t("gradients.loss_axis"), grad_label=t("gradients.grad_axis"),
            readouts=_readouts(by_key), code=t("gradients.mse_code"),
        ),
        alt=t("gradients.mse_alt"), key=COMPARISON_KEY,
    )  # fmt: skip
    st.caption(t("explore.drag_hint"))
    show_at_class_count(by_key, losses)


@st.fragment  # the C slider (and the numbers' expander) redraw this part only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def show_at_class_count(by_key: dict[str, LossAtCounts], losses: list[LossAtCounts]) -> None:
    """The C slider and what it changes: the chart's curves for that C (a style rule), the
    ratio of the gradients, the closed forms' check against autograd, the table, the code."""
    n_classes = st.slider(
        t("gradients.classes"), CLASS_COUNTS[0], CLASS_COUNTS[-1], DEFAULT_CLASSES,
        key="gr_classes", help=t("gradients.classes_help"),
    )  # fmt: skip
    highlight.write_rule(class_count_rule(f".st-key-{COMPARISON_KEY}", CLASS_COUNTS, n_classes,
                                          losses))  # fmt: skip
    count = CLASS_COUNTS.index(n_classes)
    grads = {key: loss.grad_at[count] for key, loss in by_key.items()}  # (F,) each, at C
    ratio = grads[CROSS_ENTROPY] / grads[MSE]  # (F,) how many times harder CE pushes
    half = int(np.flatnonzero(SLIDER_PROBS == 0.5)[0])  # where the ratio is smallest
    st.markdown(t("gradients.mse_ratio", least=ratio[half], wrong=ratio[0],
                  low=float(SLIDER_PROBS[0])))  # fmt: skip
    exact = exact_target_grads(torch.from_numpy(SLIDER_PROBS), n_classes)  # (F,) each
    diff = max(float(np.abs(to_numpy(exact[key]) - grads[key]).max()) for key in exact)
    # the formulas only (the readout gives the values at each p): a line each fits a phone
    st.latex(
        r"\begin{aligned}"
        r"\partial_{a_t}\,\mathrm{CE} &= p - 1 \\"
        r"\partial_{a_t}\,\mathrm{mnist} &= -p\,(1 - p) \\"
        r"\partial_{a_t}\,\mathrm{MSE} &= -\tfrac{2\,p\,(1 - p)^2}{C - 1}"
        r"\end{aligned}"
    )
    st.caption(t("gradients.exact_caption", classes=n_classes, diff=diff))
    ui_explore.numbers_table(
        pd.DataFrame(
            {"p": SLIDER_PROBS}
            | {t("gradients.loss_column", loss=loss.name): loss.loss_at[count] for loss in losses}
            | {t("gradients.grad_column", loss=loss.name): loss.grad_at[count] for loss in losses}
            | {t("gradients.ratio_column"): ratio}
        ),
        key="gr_p_numbers",
    )  # fmt: skip
    st.code(t("gradients.mse_pytorch", p=DEFAULT_P, classes=n_classes), language="python")


# ---------------------------------------------------------------------------- section 3


@dataclass(frozen=True)
class StepRecord:
    logits: np.ndarray  # (N, C) the activations after this many steps
    loss: float  # the reduced loss (the mean of the per-sample ones for "none")
    target_prob: np.ndarray  # (N,)


def _explain(batch: Batch, options: sidebar.Options, logits: np.ndarray) -> View:
    """Stepped activations for the batch's targets, as the section draws them."""
    return compute.explain(logits, batch.targets, batch.class_names, options)


def _record(view: View) -> StepRecord:
    loss = view.loss if view.reduction != "none" else view.losses.mean()
    return StepRecord(view.logits, float(loss), view.target_prob)


def _history_id(batch: Batch, options: sidebar.Options) -> tuple:
    """Steps belong to one batch and one set of options; anything else starts over."""
    return (batch.key, batch.logits.tobytes(), batch.targets.tobytes(), options.reduction,
            options.dtype, options.device)  # fmt: skip


def _take_step(batch: Batch, options: sidebar.Options) -> None:
    history = st.session_state[STEPS_KEY][1]
    if len(history) > MAX_STEPS:
        return
    stages = _explain(batch, options, history[-1].logits).stages
    stepped = gradient_step(stages.logits, stages.grad, float(st.session_state[LR_KEY]))
    history.append(_record(_explain(batch, options, to_numpy(stepped))))


def _reset(batch: Batch, options: sidebar.Options) -> None:
    st.session_state[STEPS_KEY] = (_history_id(batch, options),
                                   [_record(_explain(batch, options, batch.logits))])  # fmt: skip


@st.fragment  # the learning rate changes nothing shown: its move reruns only itself
@boundary.guarded
def learning_rate() -> None:
    """The step size, read by the step button's callback (``_take_step``) when clicked."""
    st.select_slider(
        t("gradients.lr"), LEARNING_RATES, value=1.0, key=LR_KEY, help=t("gradients.lr_help")
    )


@st.fragment  # a step redraws this section only
@boundary.guarded
def section_gradient_step(batch: Batch, options: sidebar.Options) -> None:
    st.header(t("gradients.step_header"))
    st.markdown(t("gradients.step_text"))
    if st.session_state.get(STEPS_KEY, (None,))[0] != _history_id(batch, options):
        _reset(batch, options)
    history: list[StepRecord] = st.session_state[STEPS_KEY][1]
    lr_col, step_col, reset_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    with lr_col:
        learning_rate()
    step_col.button(
        t("gradients.step_button"), key="gr_step", on_click=_take_step, args=(batch, options),
        type="primary", disabled=len(history) > MAX_STEPS,
    )  # fmt: skip
    reset_col.button(t("gradients.reset_button"), key="gr_reset", on_click=_reset,
                     args=(batch, options))  # fmt: skip
    first, last = history[0], history[-1]
    steps = len(history) - 1
    loss_col, p_col = st.columns(2)
    loss_col.metric(
        t("gradients.loss_after", steps=steps), number(last.loss),
        delta=number(last.loss - first.loss, signed=True), delta_color="inverse",
    )  # fmt: skip
    p_col.metric(
        t("gradients.mean_p_after", steps=steps), number(np.nanmean(last.target_prob)),
        delta=number(np.nanmean(last.target_prob - first.target_prob), signed=True),
    )  # fmt: skip
    losses = np.array([h.loss for h in history])  # (S + 1,)
    target_probs = np.stack([h.target_prob for h in history])  # (S + 1, N)
    show_chart(
        make_step_history(
            losses, target_probs, batch.targets, title=t("gradients.history_title"),
            step_label=t("gradients.step"),
            loss_label=t("gradients.history_loss"), prob_label=t("gradients.history_p"),
            code=t("gradients.history_code"),
        ),
        numbers_key="gr_history_numbers",
        alt=t("gradients.history_alt",
              numbers=chart_text.history_summary(losses, target_probs)),
    )  # fmt: skip
    show_chart(
        figures.make_matrix_heatmap(
            _explain(batch, options, last.logits).probs, batch.class_names, batch.targets,
            title=t("gradients.probs_title", steps=steps), value_label="softmax",
            code="torch.softmax(acts, dim=1)",
        ),
        numbers_key="gr_probs_numbers",
        alt=t("gradients.probs_alt",
              numbers=chart_text.target_prob_summary(last.target_prob)),
    )  # fmt: skip
    if len(history) > MAX_STEPS:
        st.info(t("gradients.max_steps", steps=MAX_STEPS))
    st.code(t("gradients.step_pytorch"), language="python")


def render() -> None:
    st.title(t("gradients.title"))
    path.notice("gradients")
    st.markdown(t("gradients.intro"))
    batch = batch_picker("gr_source")
    options = sidebar.options()
    section_softmax_minus_one_hot(compute.explain_batch(batch, options))
    section_why_not_mse()
    section_gradient_step(batch, options)


entry.require_entrypoint()
render()
path.next_step("gradients")
