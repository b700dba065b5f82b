"""Log & likelihood: picking the target's probability, and why the loss takes its log.

Thin like every page: widgets -> ce_core -> figures -> show; sentences in i18n.
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
from ui import entry, sidebar
from ui.batch import batch_picker
from ui.charts import show_chart
from ui.view import StageView, stage_view, to_numpy


def current_view() -> StageView:
    """The chosen batch (the home page's, or a preset) through ce_core, with the sidebar's
    device and dtype."""
    batch = batch_picker("ll_source")
    options = sidebar.current()
    return stage_view(
        ce_core.explain(
            batch.logits, batch.targets, class_names=batch.class_names,
            device=options.device, dtype=options.dtype,
        )
    )  # fmt: skip


def section_picking(view: StageView) -> None:
    """sm_acts[idx, targ] highlighted, and nll_loss doing nothing but the sign."""
    st.header(t("log.pick_header"))
    st.markdown(t("log.pick_text"))
    title = t("log.pick_title")
    show_chart(
        figures.make_matrix_heatmap(
            view.probs, view.class_names, view.targets, title=title,
            value_label=t("log.probability"), code=t("log.pick_code"),
        ),
        alt=t("log.pick_alt", rows=view.n_rows),
    )  # fmt: skip
    valid = (view.targets >= 0) & (view.targets < view.n_classes)
    targets = torch.as_tensor(np.where(valid, view.targets, -100))
    nll = ce_core.nll_loss(torch.as_tensor(view.probs), targets, reduction="none")
    frame = pd.DataFrame(
        {
            "idx": range(view.n_rows),
            "targ": [
                view.class_names[k] if ok else "—"
                for k, ok in zip(view.targets, valid, strict=True)
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


def section_curve(view: StageView) -> None:
    """log(p) and -log(p) over (0, 1], the batch's samples on it, and a probability slider."""
    st.header(t("log.curve_header"))
    st.markdown(t("log.curve_text"))
    p = st.slider(t("log.curve_p"), 0.001, 1.0, 0.5, 0.001, format="%.3f", key="ll_p")
    grid = torch.linspace(0.0005, 1.0, 400, dtype=torch.float64)
    valid = np.isfinite(view.target_prob)
    loss = float(ce_core.negative_log(p))
    show_chart(
        log_figures.make_log_curve(
            to_numpy(grid), -to_numpy(ce_core.negative_log(grid)), view.target_prob[valid],
            view.losses[valid], [int(k) for k in view.targets[valid]], view.class_names, p, loss,
            title=t("log.curve_title"), p_label=t("log.curve_x"), log_label="log(p)",
            loss_label="-log(p)", samples_label=t("log.samples"), marks=(0.99, 0.999),
            code=t("log.curve_code"),
        ),
        alt=t("log.curve_alt"),
    )  # fmt: skip
    log_p = -float(ce_core.negative_log(p)) + 0.0  # + 0.0: no "-0.0000" at p = 1
    st.latex(rf"p = {p:.3f} \quad\Rightarrow\quad \ln p = {log_p:.4f}, \quad -\ln p = {loss:.4f}")
    st.code(t("log.curve_pytorch", p=p), language="python")


def section_confidence_scale() -> None:
    """0.99 vs 0.999: close as probabilities, ten times apart as losses."""
    st.header(t("log.scale_header"))
    probs = torch.tensor([0.99, 0.999], dtype=torch.float64)
    losses = ce_core.negative_log(probs)
    wrong = 1 - probs
    st.markdown(
        t("log.scale_text", l1=float(losses[0]), l2=float(losses[1]),
          w1=float(wrong[0]), w2=float(wrong[1]), ratio=float(wrong[0] / wrong[1]),
          loss_ratio=float(losses[0] / losses[1]))
    )  # fmt: skip
    st.code(t("log.scale_pytorch"), language="python")


def section_log_rules() -> None:
    """log(a * b) = log(a) + log(b), in the natural log."""
    st.header(t("log.rules_header"))
    st.markdown(t("log.rules_text", e=math.e))
    left, right = st.columns(2)
    a = left.slider("a", 0.01, 10.0, 0.5, 0.01, key="ll_a")
    b = right.slider("b", 0.01, 10.0, 0.2, 0.01, key="ll_b")
    log_a, log_b, log_ab = (-float(ce_core.negative_log(v)) for v in (a, b, a * b))
    st.latex(
        rf"\ln({a:.2f} \times {b:.2f}) = \ln({a * b:.4f}) = {log_ab:.4f}"
        rf"\qquad \ln {a:.2f} + \ln {b:.2f} = {log_a:.4f} + ({log_b:.4f}) = {log_a + log_b:.4f}"
    )
    st.code(t("log.rules_pytorch", a=a, b=b), language="python")


def section_spreadsheet() -> None:
    """Seed 003's cat/dog rows: one-hot times log, summed, equals the index lookup."""
    st.header(t("log.sheet_header"))
    st.markdown(t("log.sheet_text"))
    preset = ce_core.PRESETS["cat-vs-dog"]
    probs = ce_core.softmax(torch.tensor(preset.logits, dtype=torch.float64))
    targets = torch.tensor(preset.targets)
    one_hot = torch.nn.functional.one_hot(targets, 2).double()
    by_product = ce_core.one_hot_log_loss(one_hot, probs)
    by_lookup = ce_core.nll_loss(probs.log(), targets, reduction="none")
    frame = pd.DataFrame(
        {
            t("log.sheet_row"): [t("log.sheet_unsure"), t("log.sheet_right"), t("log.sheet_wrong")],
            "isCat": to_numpy(one_hot[:, 0]),
            "isDog": to_numpy(one_hot[:, 1]),
            "p(cat)": to_numpy(probs[:, 0]),
            "p(dog)": to_numpy(probs[:, 1]),
            "-(isCat·ln p(cat) + isDog·ln p(dog))": to_numpy(by_product),
            "-ln p[targ] (lookup)": to_numpy(by_lookup),
            "-log10 p[targ] (Excel)": to_numpy(by_lookup / math.log(10)),
        }
    )
    st.dataframe(
        frame, hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="%.4f") for c in frame.columns[1:]},
    )  # fmt: skip
    diff = float((by_product - by_lookup).abs().max())
    st.caption(t("log.sheet_check", diff=diff))
    st.code(t("log.sheet_pytorch"), language="python")


def section_why_log() -> None:
    """Products of many probabilities underflow; sums of their logs do not."""
    st.header(t("log.why_header"))
    st.markdown(t("log.why_text"))
    left, right = st.columns(2)
    n = left.slider(t("log.why_n"), 1, 500, 50, key="ll_n")
    p = right.slider(t("log.why_p"), 0.01, 0.99, 0.1, 0.01, key="ll_why_p")
    rows = []
    for dtype in (torch.float32, torch.float64):
        product, log_sum = ce_core.product_and_log_sum(torch.full((n,), p, dtype=dtype))
        rows.append(
            {"dtype": str(dtype).removeprefix("torch."), "prod(p)": f"{float(product):.6g}",
             "sum(log p)": f"{float(log_sum):.6g}"}
        )  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    if float(ce_core.product_and_log_sum(torch.full((n,), p))[0]) == 0.0:
        st.warning(t("log.why_underflow", n=n, p=p))
    small = torch.tensor([1e-30, 1e-31], dtype=torch.float64)
    logs = -ce_core.negative_log(small)
    st.markdown(
        t("log.why_small", a=float(small[0]), b=float(small[1]), la=float(logs[0]),
          lb=float(logs[1]), diff=float(logs[0] - logs[1]))
    )  # fmt: skip
    st.code(t("log.why_pytorch", n=n, p=p), language="python")


def render() -> None:
    st.title(t("log.title"))
    st.markdown(t("log.intro"))
    view = current_view()
    section_picking(view)
    section_curve(view)
    section_confidence_scale()
    section_log_rules()
    section_spreadsheet()
    section_why_log()


entry.require_entrypoint()
render()
