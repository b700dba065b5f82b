"""Softmax & confidence: one row of activations through exp and softmax, driven by sliders.

Thin like every page: sliders -> ce_core -> figures -> show. Every number is computed by
ce_core (softmax, sigmoid, entropy, ...) and every sentence lives in i18n.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch

import ce_core
import figures.softmax as softmax_figures
from i18n import LANGUAGES, t, using
from ui import boundary, entry, path, predict, sidebar
from ui import explore as ui_explore
from ui.charts import show_chart, show_pictures
from ui.text import number, significant
from ui.view import to_numpy

MIN_CLASSES, MAX_CLASSES = 2, 10
DEFAULT_PRESET = ce_core.PRESETS["five-classes"]  # the spreadsheet's cat, dog, plane, ...
ACTIVATION_RANGE = (-10.0, 10.0)


NAMES_KEY = "sm_names"


def default_names_in_every_language() -> set[str]:
    """The text box's starting names, as each language writes them."""
    names = set()
    for language in LANGUAGES:
        with using(language):
            names.add(", ".join(DEFAULT_PRESET.class_names))
    return names


def class_names_input(n_classes: int) -> list[str]:
    """Editable class names: the text box's names, topped up with numbers, made unique."""
    default = ", ".join(DEFAULT_PRESET.class_names)
    # the default names in another language (after a switch) become this language's
    if st.session_state.get(NAMES_KEY) in default_names_in_every_language():
        st.session_state[NAMES_KEY] = default
    text = st.text_input(
        t("softmax.names"), value=default, key=NAMES_KEY, help=t("softmax.names_help"),
        max_chars=400,  # ten names
    )  # fmt: skip
    names = [name.strip() for name in text.split(",") if name.strip()][:n_classes]
    names += [str(c) for c in range(len(names), n_classes)]
    seen: dict[str, int] = {}
    unique = []
    for name in names:  # duplicates get a suffix so every class keeps its own column
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def activation_sliders(names: list[str]) -> torch.Tensor:
    """One slider per class; the defaults are the spreadsheet's outputs (C,)."""
    defaults = list(DEFAULT_PRESET.logits[0])
    columns = st.columns(min(len(names), 5))
    values = []
    for c, name in enumerate(names):
        default = defaults[c] if c < len(defaults) else 0.0
        values.append(
            columns[c % len(columns)].slider(
                name,
                *ACTIVATION_RANGE,
                value=round(float(default), 2),
                step=0.01,
                key=f"sm_act_{c}",
            )
        )
    return torch.tensor(values, dtype=torch.float64)


def section_row(acts: torch.Tensor, names: list[str]) -> None:
    """Activations -> exp -> softmax for one row, written out, with the three claims checked."""
    st.header(t("softmax.row_header"))
    st.markdown(t("softmax.row_text"))
    exp, total_exp, probs = ce_core.softmax_parts(acts)
    show_pictures(
        softmax_figures.make_row_stages(
            to_numpy(acts), to_numpy(exp), to_numpy(probs), names,
            labels=(t("softmax.acts"), t("softmax.exp"), t("softmax.softmax")),
        ),
        title=t("softmax.row_title"), code=t("softmax.row_code"),
    )  # fmt: skip
    total = float(total_exp)
    sums = " + ".join(number(e) for e in exp)
    divisions = [
        rf"p_{{\text{{{name}}}}} = \tfrac{{{number(e)}}}{{{number(total)}}} = {number(p)}"
        for name, e, p in zip(names, exp, probs, strict=True)
    ]
    lines = [
        r"\mathrm{softmax}(a)_i &= \frac{e^{a_i}}{\sum_j e^{a_j}}",
        rf"\textstyle\sum_j e^{{a_j}} &= {sums} = {number(total)}",
        # two divisions per line, so that ten classes still fit the column
        *(r"& " + r",\quad ".join(divisions[i : i + 2]) for i in range(0, len(divisions), 2)),
    ]
    st.latex(r"\begin{aligned}" + r" \\[3pt] ".join(lines) + r"\end{aligned}")
    low, high, total_p = float(probs.min()), float(probs.max()), float(probs.sum())
    checks = [
        (low > 0, t("softmax.check_positive", low=low)),
        (high < 1, t("softmax.check_below_one", high=high)),
        (abs(total_p - 1) < 1e-9, t("softmax.check_sum", total=total_p)),
    ]
    for ok, text in checks:
        (st.success if ok else st.warning)(text)
    st.code(t("softmax.row_pytorch"), language="python")


GAPS = np.round(np.arange(0.0, 10.01, 0.2), 1)  # the confidence slider's positions
DEFAULT_GAP = 1.0
# The temperature slider's positions: 41 from 0.1 to 10, evenly spaced on its log axis
TEMPERATURES = np.round(np.logspace(-1, 1, 41), 3)
OFFSETS = np.round(np.arange(-10.0, 5.01, 0.5), 1)  # the multi-label slider's positions
DEFAULT_OFFSET = -5.0


def section_confidence(n_classes: int) -> None:
    """One activation `gap` above the others: p(top) and the ratio e^gap, at every gap."""
    st.header(t("softmax.confidence_header"))
    st.markdown(t("softmax.confidence_text", others=n_classes - 1))
    gaps = torch.linspace(0, 10, 201, dtype=torch.float64)
    curve = ce_core.confidence_curve(gaps, n_classes)  # (201, C)
    at = ce_core.confidence_curve(torch.from_numpy(GAPS), n_classes)  # (G, C) the frames
    top, ratio = to_numpy(at[:, 0]), to_numpy(at[:, 0] / at[:, 1])
    show_chart(
        softmax_figures.make_confidence_curve(
            to_numpy(gaps), to_numpy(curve[:, 0]), to_numpy(curve[:, 0] / curve[:, 1]),
            GAPS, top, ratio, int(np.flatnonzero(GAPS == DEFAULT_GAP)[0]),
            title=t("softmax.confidence_title", n=n_classes), gap_label=t("softmax.gap_axis"),
            prob_label=t("softmax.top_prob"), ratio_label=t("softmax.ratio"),
            readout=t("softmax.confidence_readout"),
        ),
        alt=t("softmax.confidence_alt"),
    )  # fmt: skip
    st.caption(t("explore.drag_hint"))
    st.latex(
        r"\frac{p_{top}}{p_{other}} = e^{\,gap},\qquad "
        rf"p_{{top}} = \frac{{e^{{\,gap}}}}{{e^{{\,gap}} + {n_classes - 1}}}"
    )
    ui_explore.numbers_table(
        pd.DataFrame({t("softmax.gap_axis"): GAPS, t("softmax.top_prob"): top,
                      t("softmax.ratio"): ratio}),
        key="sm_gap_numbers",
    )  # fmt: skip
    st.code(t("softmax.confidence_pytorch", gap=2.0, others=n_classes - 1), language="python")


def section_temperature(acts: torch.Tensor, names: list[str]) -> None:
    """softmax(acts / T) and its entropy against ln C, at every temperature of the slider."""
    st.header(t("softmax.temperature_header"))
    top = int(acts.argmax())
    at_three = ce_core.softmax_by_temperature(acts, [0.1, 1.0, 10.0])  # (3, C): one softmax
    p_small, p_one, p_large = at_three[:, top].tolist()
    predict.ask("softmax_temperature", 2, t("predict.softmax_temperature_why", top=names[top],
                p_small=p_small, p_one=p_one, p_large=p_large, uniform=1 / len(names)))  # fmt: skip
    st.markdown(t("softmax.temperature_text"))  # after the question: it gives the answer away
    probs = ce_core.softmax_by_temperature(acts, torch.from_numpy(TEMPERATURES))  # (T, C)
    entropies = to_numpy(ce_core.entropy(probs))  # (T,)
    max_entropy = float(np.log(len(names)))
    show_chart(
        softmax_figures.make_temperature_exploration(
            to_numpy(probs), entropies, TEMPERATURES, names, max_entropy,
            int(np.flatnonzero(TEMPERATURES == 1.0)[0]),
            title=t("softmax.temperature_title"), probs_title=t("softmax.softmax_t"),
            entropy_title=t("softmax.entropy_panel"), entropy_label=t("softmax.entropy"),
            max_label="ln C", readout=t("softmax.temperature_readout"),
        ),
        alt=t("softmax.temperature_alt"),
    )  # fmt: skip
    ui_explore.numbers_table(
        pd.DataFrame({"T": TEMPERATURES, t("softmax.entropy"): entropies}
                     | {name: to_numpy(probs[:, c]) for c, name in enumerate(names)}),
        key="sm_temperature_numbers",
    )  # fmt: skip
    st.code(t("softmax.temperature_pytorch"), language="python")


@st.fragment  # its slider reruns this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def section_shift(acts: torch.Tensor) -> None:
    """Adding the same number to every activation changes nothing."""
    st.header(t("softmax.shift_header"))
    moved = float((ce_core.softmax(acts + 10) - ce_core.softmax(acts)).abs().max())
    predict.ask("softmax_shift", 3, t("predict.softmax_shift_why", diff=moved))
    shift = st.slider(t("softmax.shift"), -50.0, 50.0, 10.0, 0.5, key="sm_shift")
    before, after = ce_core.softmax(acts), ce_core.softmax(acts + shift)
    diff = float((before - after).abs().max())
    st.markdown(t("softmax.shift_text", shift=shift, diff=diff))
    st.code(t("softmax.shift_pytorch", shift=shift), language="python")


def section_binary() -> None:
    """The book's 6 x 2 batch: sigmoid per column does not sum to 1; softmax does."""
    st.header(t("softmax.binary_header"))
    st.markdown(t("softmax.binary_text"))
    acts, _ = ce_core.PRESETS["3-vs-7"].tensors(torch.float64)
    sig = ce_core.sigmoid(acts)
    probs = ce_core.softmax(acts)
    via_difference = ce_core.sigmoid(acts[:, 0] - acts[:, 1])
    frame = pd.DataFrame(
        {
            "acts[:,0] (3)": to_numpy(acts[:, 0]),
            "acts[:,1] (7)": to_numpy(acts[:, 1]),
            "sigmoid 3": to_numpy(sig[:, 0]),
            "sigmoid 7": to_numpy(sig[:, 1]),
            t("softmax.sigmoid_sum"): to_numpy(sig.sum(1)),
            "softmax 3": to_numpy(probs[:, 0]),
            "softmax 7": to_numpy(probs[:, 1]),
            t("softmax.softmax_sum"): to_numpy(probs.sum(1)),
            "sigmoid(a0 - a1)": to_numpy(via_difference),
        }
    )
    st.dataframe(
        frame, column_config={c: st.column_config.NumberColumn(format="%.4f") for c in frame}
    )
    diff = float((via_difference - probs[:, 0]).abs().max())
    st.caption(t("softmax.binary_check", diff=diff))
    st.code(t("softmax.binary_pytorch"), language="python")


@st.fragment  # its slider reruns this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def section_overflow(dtype_name: str) -> None:
    """Naive exp / sum overflows past ln(max float); the max-shifted softmax does not."""
    st.header(t("softmax.overflow_header"))
    dtype = getattr(torch, dtype_name)  # the sidebar's precision, shared by every page
    st.caption(t("softmax.overflow_dtype", dtype=dtype_name))
    limit = ce_core.exp_overflow_threshold(dtype)
    largest = st.slider(t("softmax.overflow_largest"), 0.0, 1000.0, 80.0, 0.5, key="sm_largest")
    acts = torch.tensor([largest, 0.0, -1.0], dtype=dtype)
    naive, stable = ce_core.softmax_naive(acts), ce_core.softmax(acts)
    st.markdown(t("softmax.overflow_text", limit=limit, dtype=dtype_name))
    frame = pd.DataFrame(
        {
            "acts": [f"{float(a):g}" for a in acts],
            "exp(acts)": [significant(e) for e in ce_core.softmax_parts(acts)[0]],
            t("softmax.naive"): [significant(p) for p in naive],
            t("softmax.stable"): [significant(p) for p in stable],
        }
    )
    st.dataframe(frame, hide_index=True)
    if bool(torch.isfinite(naive).all()):
        st.info(t("softmax.overflow_fine", limit=limit))
    else:
        st.warning(t("softmax.overflow_broken", largest=largest, limit=limit,
                     nans=int(naive.isnan().sum()), zeros=int((naive == 0).sum()),
                     total=float(stable.sum())))  # fmt: skip
    st.code(t("softmax.overflow_pytorch", largest=largest, dtype=dtype_name), language="python")


def section_multilabel(acts: torch.Tensor, names: list[str]) -> None:
    """Softmax always picks a class; independent sigmoids can say "none of these"."""
    st.header(t("softmax.multilabel_header"))
    st.markdown(t("softmax.multilabel_text"))
    shifted = acts[None, :] + torch.from_numpy(OFFSETS).to(acts.dtype)[:, None]  # (O, C)
    sig, probs = ce_core.sigmoid(shifted), ce_core.softmax(shifted)
    tops = probs.argmax(1)
    readouts = [
        t("softmax.multilabel_readout", offset=float(offset), top=names[int(tops[k])],
          p=float(probs[k].max()),
          above=", ".join(n for n, s in zip(names, sig[k], strict=True) if float(s) > 0.5)
          or t("softmax.none"))
        for k, offset in enumerate(OFFSETS)
    ]  # fmt: skip
    show_chart(
        softmax_figures.make_sigmoid_vs_softmax(
            to_numpy(sig), to_numpy(probs), OFFSETS, names,
            int(np.flatnonzero(OFFSETS == DEFAULT_OFFSET)[0]),
            title=t("softmax.multilabel_title"), sigmoid_label=t("softmax.sigmoid"),
            softmax_label=t("softmax.softmax"), threshold_label=t("softmax.threshold"),
            readouts=readouts,
        ),
        alt=t("softmax.multilabel_alt"),
    )  # fmt: skip
    unshifted = ce_core.softmax(acts)  # (C,)
    change = float((probs - unshifted[None, :]).abs().max())  # at every offset
    st.markdown(t("softmax.multilabel_result", top=names[int(acts.argmax())],
                  p=float(unshifted.max()), change=change,
                  low=float(OFFSETS[0]), high=float(OFFSETS[-1])))  # fmt: skip
    ui_explore.numbers_table(
        pd.DataFrame({t("softmax.offset_axis"): OFFSETS}
                     | {f"sigmoid {n}": to_numpy(sig[:, c]) for c, n in enumerate(names)}
                     | {f"softmax {n}": to_numpy(probs[:, c]) for c, n in enumerate(names)}),
        key="sm_offset_numbers",
    )  # fmt: skip
    st.code(t("softmax.multilabel_pytorch"), language="python")


# The views of the row, one tab each under the sliders that drive them
VIEWS = ("row", "confidence", "temperature", "shift", "multilabel")
VIEW_KEY = "sm_view"


@st.fragment  # the activations rerun what depends on them, not the page
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def explore_row() -> None:
    """The row's inputs (classes, names, activations) and the views drawn from them.

    The views are tabs that draw only while open: a move of a slider redraws the view
    the learner is looking at, right under the sliders, not five charts further down."""
    with st.container(border=True):
        n_classes = st.slider(t("softmax.n_classes"), MIN_CLASSES, MAX_CLASSES, 5, key="sm_n")
        names = class_names_input(n_classes)
        acts = activation_sliders(names)
    st.caption(t("softmax.views_caption"))
    sections = {
        "row": lambda: section_row(acts, names),
        "confidence": lambda: section_confidence(n_classes),
        "temperature": lambda: section_temperature(acts, names),
        "shift": lambda: section_shift(acts),
        "multilabel": lambda: section_multilabel(acts, names),
    }
    tabs = st.tabs([t(f"softmax.view_{view}") for view in VIEWS], key=VIEW_KEY,
                   on_change="rerun")  # fmt: skip
    for view, tab in zip(VIEWS, tabs, strict=True):
        if tab.open:
            with tab:
                sections[view]()


def render() -> None:
    st.title(t("softmax.title"))
    path.notice("softmax")
    st.markdown(t("softmax.intro"))
    explore_row()
    section_binary()
    section_overflow(sidebar.options().dtype)


entry.require_entrypoint()
render()
path.next_step("softmax")
