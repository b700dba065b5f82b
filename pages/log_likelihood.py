"""Log & likelihood: picking the target's probability, and why the loss takes its log.

Thin like every page: widgets -> ce_core (through ui.compute) -> figures -> show; sentences
in i18n.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st
import torch

import ce_core
import figures
import figures.log as log_figures
from i18n import t
from ui import boundary, chart_text, compute, entry, path, predict, sidebar
from ui import explore as ui_explore
from ui.batch import batch_picker
from ui.charts import show_chart
from ui.text import number, significant
from ui.view import View, to_numpy


def section_picking(view: View) -> None:
    """sm_acts[idx, targ] highlighted, and nll_loss doing nothing but the sign."""
    st.header(t("log.pick_header"))
    st.markdown(t("log.pick_text"))
    title = t("log.pick_title")
    show_chart(
        figures.make_matrix_heatmap(
            view.probs, view.class_names, view.target, title=title,
            value_label=t("log.probability"), code=t("log.pick_code"),
        ),
        numbers_key="lg_pick_numbers",
        alt=t("log.pick_alt", rows=view.n_rows,
              numbers=chart_text.target_prob_summary(view.target_prob, view.ignored)),
    )  # fmt: skip
    nll = ce_core.nll_loss(torch.as_tensor(view.probs), torch.as_tensor(view.target),
                           ignore_index=view.stages.ignore_index, reduction="none")  # fmt: skip
    frame = pd.DataFrame(
        {
            "idx": range(view.n_rows),
            "targ": [
                "—" if ignored else view.class_names[k]
                for k, ignored in zip(view.target, view.ignored, strict=True)
            ],
            "sm_acts[idx, targ]": view.target_prob,
            "F.nll_loss(sm_acts, targ, reduction='none')": to_numpy(nll),
            "-log(sm_acts[idx, targ])": view.losses,
        }
    )
    st.dataframe(
        frame, hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="%.4f") for c in frame.columns[2:]},
    )  # fmt: skip
    st.warning(t("log.pick_warning"))
    st.code(t("log.pick_pytorch"), language="python")


def section_where(view: View) -> None:
    """The book's binary pick, torch.where, against indexing, on the batch's rows."""
    st.header(t("log.where_header"))
    st.markdown(t("log.where_text"))
    counted = ~view.ignored  # an ignored row has no class to pick
    probs, targets = view.probs[counted], view.target[counted].astype(int)
    if not len(targets):
        return
    picks = ce_core.where_vs_index(probs, targets)
    frame = pd.DataFrame(
        {"idx": np.flatnonzero(counted), "targ": [view.class_names[k] for k in targets],
         t("log.where_column"): to_numpy(picks.by_where),
         "sm_acts[idx, targ]": to_numpy(picks.by_index)}
    )  # fmt: skip
    st.dataframe(
        frame, hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="%.4f") for c in frame.columns[2:]},
    )  # fmt: skip
    differs = picks.by_where != picks.by_index
    if view.n_classes == 2:
        st.markdown(t("log.where_two", diff=float((picks.by_where - picks.by_index).abs().max()),
                      mnist=picks.mnist_loss, ce=float(view.losses[counted].mean())))  # fmt: skip
    else:
        st.markdown(t("log.where_many", classes=view.n_classes, wrong=int(differs.sum()),
                      n=len(targets)))  # fmt: skip
    st.code(t("log.where_pytorch"), language="python")


# The curve's slider positions: every thousandth up to 0.01 and every hundredth up to 0.1,
# where -log(p) changes fastest, then every hundredth up to 0.99, then 0.995, 0.999 and 1
CURVE_PROBS = np.round(
    np.concatenate([np.arange(1, 10) / 1000, np.arange(1, 10) / 100, np.arange(10, 100) / 100,
                    [0.995, 0.999, 1.0]]),
    3,
)  # fmt: skip
DEFAULT_P = 0.5
MARKS = (0.99, 0.999)  # close as probabilities, ten times apart as losses


@st.fragment  # opening the numbers' expander reruns this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def section_curve(view: View) -> None:
    """log(p) and -log(p) over (0, 1], the batch's samples on it, and p on the chart's own
    slider."""
    st.header(t("log.curve_header"))
    st.markdown(t("log.curve_text"))
    # Evenly spaced on a log scale: dense where the curves bend, near 0, and few (Plotly
    # recomputes every point of the figure on each frame of its slider)
    grid = torch.logspace(math.log10(0.0005), 0.0, 160, dtype=torch.float64)
    valid = np.isfinite(view.target_prob)
    # One call for every slider position and both marks: (F + 2,)
    losses = to_numpy(ce_core.negative_log(torch.from_numpy(np.concatenate([CURVE_PROBS, MARKS]))))
    losses, mark_losses = losses[: len(CURVE_PROBS)], losses[len(CURVE_PROBS) :]
    log_probs = -losses + 0.0  # + 0.0: log(1) is 0, not -0.0
    show_chart(
        log_figures.make_log_curve(
            to_numpy(grid), -to_numpy(ce_core.negative_log(grid)), view.target_prob[valid],
            view.losses[valid], [int(k) for k in view.target[valid]], view.class_names,
            CURVE_PROBS, log_probs, losses, int(np.flatnonzero(CURVE_PROBS == DEFAULT_P)[0]),
            title=t("log.curve_title"), p_label=t("log.curve_x"), log_label="log(p)",
            loss_label="-log(p)", samples_label=t("log.samples"),
            readout=t("log.curve_readout"),
            marks=list(zip(MARKS, mark_losses.tolist(), strict=True)), code=t("log.curve_code"),
        ),
        alt=t("log.curve_alt"),
    )  # fmt: skip
    st.caption(t("explore.drag_hint"))
    ui_explore.numbers_table(
        pd.DataFrame({"p": CURVE_PROBS, "log(p)": log_probs, "-log(p)": losses}),
        key="ll_p_numbers",
    )
    st.code(t("log.curve_pytorch"), language="python")


def section_confidence_scale() -> None:
    """0.99 vs 0.999: close as probabilities, ten times apart as losses."""
    st.header(t("log.scale_header"))
    probs = torch.tensor([0.99, 0.999], dtype=torch.float64)
    losses = ce_core.negative_log(probs)
    predict.ask("log_scale", 1, t("predict.log_scale_why", l1=float(losses[0]),
                l2=float(losses[1]), ratio=float(losses[0] / losses[1])))  # fmt: skip
    wrong = 1 - probs
    st.markdown(
        t("log.scale_text", l1=float(losses[0]), l2=float(losses[1]),
          w1=float(wrong[0]), w2=float(wrong[1]), ratio=float(wrong[0] / wrong[1]),
          loss_ratio=float(losses[0] / losses[1]))
    )  # fmt: skip
    st.code(t("log.scale_pytorch"), language="python")


@st.fragment  # the a and b sliders redraw this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def section_log_rules() -> None:
    """log(a * b) = log(a) + log(b), in the natural log."""
    st.header(t("log.rules_header"))
    st.markdown(t("log.rules_text", e=math.e))
    left, right = st.columns(2)
    a = left.slider("a", 0.01, 10.0, 0.5, 0.01, key="ll_a")
    b = right.slider("b", 0.01, 10.0, 0.2, 0.01, key="ll_b")
    log_a, log_b, log_ab = (-float(ce_core.negative_log(v)) for v in (a, b, a * b))
    st.latex(
        rf"\ln({number(a, 2)} \times {number(b, 2)}) = \ln({number(a * b)}) = {number(log_ab)}"
        rf"\qquad \ln {number(a, 2)} + \ln {number(b, 2)} = {number(log_a)} + ({number(log_b)})"
        rf" = {number(log_a + log_b)}"
    )
    st.code(t("log.rules_pytorch", a=a, b=b), language="python")


def section_spreadsheet() -> None:
    """Seed 003's cat/dog rows: one-hot times log, summed, equals the index lookup."""
    st.header(t("log.sheet_header"))
    st.markdown(t("log.sheet_text"))
    preset = ce_core.PRESETS["cat-vs-dog"]
    sheet = ce_core.one_hot_vs_lookup(preset.logits, preset.targets)
    frame = pd.DataFrame(
        {
            t("log.sheet_row"): [t("log.sheet_unsure"), t("log.sheet_right"), t("log.sheet_wrong")],
            "isCat": to_numpy(sheet.one_hot[:, 0]),
            "isDog": to_numpy(sheet.one_hot[:, 1]),
            "p(cat)": to_numpy(sheet.probs[:, 0]),
            "p(dog)": to_numpy(sheet.probs[:, 1]),
            t("log.sheet_product"): to_numpy(sheet.by_product),
            t("log.sheet_if"): to_numpy(sheet.by_if),
            t("log.sheet_lookup"): to_numpy(sheet.by_lookup),
            t("log.sheet_excel"): to_numpy(sheet.by_lookup_log10),
        }
    )
    helps = {
        t(f"log.sheet_{key}"): t(f"log.sheet_{key}_help") for key in ("product", "if", "excel")
    }
    st.dataframe(
        frame, hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="%.4f", help=helps.get(c))
                       for c in frame.columns[1:]},
    )  # fmt: skip
    diff = max(
        float((way - sheet.by_lookup).abs().max()) for way in (sheet.by_product, sheet.by_if)
    )
    st.caption(t("log.sheet_check", diff=diff))
    st.code(t("log.sheet_pytorch"), language="python")


@st.fragment  # its two sliders redraw this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def section_why_log() -> None:
    """Products of many probabilities underflow; sums of their logs do not."""
    st.header(t("log.why_header"))
    tiny, logs = ce_core.product_and_log_sum(torch.full((500,), 0.1))  # float32
    predict.ask("log_product", 2, t("predict.log_product_why", product=float(tiny),
                log_sum=float(logs)))  # fmt: skip
    st.markdown(t("log.why_text"))
    left, right = st.columns(2)
    n = left.slider(t("log.why_n"), 1, 500, 50, key="ll_n")
    p = right.slider(t("log.why_p"), 0.01, 0.99, 0.1, 0.01, key="ll_why_p")
    rows = []
    for dtype in (torch.float32, torch.float64):
        product, log_sum = ce_core.product_and_log_sum(torch.full((n,), p, dtype=dtype))
        rows.append(
            {"dtype": str(dtype).removeprefix("torch."), "prod(p)": significant(product),
             "sum(log p)": significant(log_sum)}
        )  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    product, log_sum = ce_core.product_and_log_sum(torch.full((n,), p))  # float32
    if float(product) == 0.0:
        st.warning(t("log.why_underflow", n=n, p=p, log_sum=float(log_sum)))
    small = torch.tensor([1e-30, 1e-31], dtype=torch.float64)
    logs = -ce_core.negative_log(small)
    st.markdown(
        t("log.why_small", a=float(small[0]), b=float(small[1]), la=float(logs[0]),
          lb=float(logs[1]), diff=float(logs[0] - logs[1]))
    )  # fmt: skip
    st.code(t("log.why_pytorch", n=n, p=p), language="python")


def render() -> None:
    st.title(t("log.title"))
    path.notice("log")
    st.markdown(t("log.intro"))
    batch = batch_picker("ll_source")
    options = sidebar.options()
    # The reduction does not matter here: this page shows the per-sample numbers.
    view = compute.explain_batch(batch, options)
    section_picking(view)
    section_where(view)
    section_curve(view)
    section_confidence_scale()
    section_log_rules()
    section_spreadsheet()
    section_why_log()


entry.require_entrypoint()
render()
path.next_step("log")
