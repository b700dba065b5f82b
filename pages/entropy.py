"""Entropy & KL: why the loss is called cross-entropy. Surprisal, H(p), H(p, q) = H(p) +
KL(p || q), KL's asymmetry, the coding picture, and where the other pages meet this one.

Thin like every page: widgets -> ce_core.information -> figures.information -> show;
sentences in i18n.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st
import torch

import ce_core
from ce_core import information
from figures import information as info_figures
from i18n import t
from ui import boundary, entry, path, predict
from ui import explore as ui_explore
from ui.charts import show_chart
from ui.text import escape_markdown, number, significant
from ui.view import to_numpy

UNIT_KEY = "en_unit"
PAIR_KEY = "en_pair"
FIVE = ce_core.PRESETS["five-classes"]  # the spreadsheet's cat, dog, plane, fish, building
SHEET = ce_core.PRESETS["cat-vs-dog"]  # seed 003's rows, with Excel's base-10 LOG
BOOK_MARKS = (0.99, 0.999)
# The surprisal curve's slider positions: fine where -log p changes fastest, near 0, and up
# to 0.999 (at p = 1 the surprisal is 0, which a log axis cannot show)
CURVE_PROBS = np.round(
    np.concatenate([np.arange(1, 10) / 1000, np.arange(1, 10) / 100, np.arange(10, 100) / 100,
                    [0.995, 0.999]]),
    3,
)  # fmt: skip
DEFAULT_P = 0.5
SMOOTHING_COUNTS = (2, 10, 37)  # two classes, MNIST's ten digits, the 37 pet breeds
SMOOTHING_EPS = np.round(np.arange(0, 101) / 100, 2)
DEFAULT_EPS = 0.1
UNIFORM_COUNTS = (2, 3, 5, 10, 37, 1000)
# Confidently right and wrong outputs, in float32: sigmoid(-200) is 0, sigmoid(20) is 1
SATURATION_X = (-200.0, -30.0, 0.0, 5.0, 20.0, 30.0)
SATURATION_Y = (1.0, 1.0, 1.0, 0.0, 0.0, 0.0)
POSITIVES, NEGATIVES = 100, 300  # the example: pos_weight = 300 / 100 = 3


def unit_name(unit: str) -> str:
    return t(f"entropy.unit_{unit}")


def say_what_is_wrong(error: ce_core.InputError) -> None:
    """Under an editor whose cell cannot be computed: which cell and why; the edits stay."""
    st.error(t("entropy.pair_error", message=escape_markdown(error.message.render())))
    st.caption(t("entropy.pair_error_keep"))


def show_numbers(frame: pd.DataFrame) -> None:
    """A table whose columns after the first are numbers, to 4 decimals."""
    number_column = st.column_config.NumberColumn(format="%.4f")
    st.dataframe(
        frame, hide_index=True, column_config=dict.fromkeys(frame.columns[1:], number_column)
    )


# ---------------------------------------------------------------------------- surprisal


def section_surprisal(unit: str) -> None:
    """-log p in nats, bits and base 10 on one axis, p on the chart's own slider."""
    st.header(t("entropy.surprisal_header"))
    st.markdown(t("entropy.surprisal_text"))
    # dense near both ends, on the log axis: from 0.0005 up to 0.5, then 1 - p down to 0.0001
    grid = torch.cat(
        [
            torch.logspace(math.log10(0.0005), math.log10(0.5), 80, dtype=torch.float64),
            1 - torch.logspace(math.log10(0.5), -4, 80, dtype=torch.float64)[1:],
        ]
    )
    probs = torch.from_numpy(CURVE_PROBS)

    def in_base(values: torch.Tensor) -> dict[str, np.ndarray]:
        return {base: to_numpy(ce_core.surprisal(values, unit=base))
                for base in information.NATS_PER_UNIT}  # fmt: skip

    book = to_numpy(ce_core.surprisal(torch.tensor(BOOK_MARKS, dtype=torch.float64), unit=unit))
    # seed 003's rows: their p(target) on the base-10 curve, at Excel's -LOG values
    sheet = ce_core.concepts.one_hot_vs_lookup(SHEET.logits, SHEET.targets)
    sheet_p = to_numpy(torch.exp(-sheet.by_lookup))
    marks = [(f"p = {p:g}", p, v) for p, v in zip(BOOK_MARKS, book.tolist(), strict=True)]
    marks += [
        (t("entropy.sheet_mark", row=r, log10=v), float(p), v)
        for r, (p, v) in enumerate(zip(sheet_p, to_numpy(sheet.by_lookup_log10).tolist(),
                                       strict=True))
    ]  # fmt: skip
    frame_values = in_base(probs)
    show_chart(
        info_figures.make_surprisal_curve(
            to_numpy(grid), in_base(grid), CURVE_PROBS, frame_values,
            int(np.flatnonzero(CURVE_PROBS == DEFAULT_P)[0]), unit=unit,
            names={"nats": t("entropy.base_nats"), "bits": t("entropy.base_bits"),
                   "log10": t("entropy.base_log10"), "marks": t("entropy.marks")},
            marks=marks, title=t("entropy.surprisal_title"), p_label=t("entropy.p_axis"),
            y_label=t("entropy.surprisal_axis"),
            readout=t("entropy.surprisal_readout"), code=t("entropy.surprisal_code"),
        ),
        alt=t("entropy.surprisal_alt"),
    )  # fmt: skip
    st.caption(t("explore.drag_hint"))
    ui_explore.numbers_table(
        pd.DataFrame({"p": CURVE_PROBS}
                     | {t(f"entropy.base_{base}"): v for base, v in frame_values.items()}),
        key="en_p_numbers",
    )  # fmt: skip
    st.markdown(
        t("entropy.surprisal_units", unit=unit_name(unit), l1=float(book[0]), l2=float(book[1]),
          bits_per_nat=1 / information.NATS_PER_BIT, nats_per_bit=information.NATS_PER_BIT)
    )  # fmt: skip
    st.code(t("entropy.surprisal_pytorch"), language="python")


# ---------------------------------------------------------------------------- two distributions


def pair_presets() -> dict[str, tuple[tuple[str, ...], np.ndarray, np.ndarray]]:
    """The pairs a learner starts from: class names, p and q (C,) as weights."""
    q_five = to_numpy(ce_core.softmax(torch.tensor(FIVE.logits[0], dtype=torch.float64)))
    target = FIVE.targets[0]
    return {
        "one_hot": (FIVE.class_names, to_numpy(ce_core.one_hot([target], 5)[0]), q_five),
        "smoothed": (FIVE.class_names, to_numpy(information.smoothed_target(target, 5, 0.1)),
                     q_five),
        # Colah's "Visual Information Theory": Bob's and Alice's word frequencies
        "colah": (tuple(t(f"entropy.word_{w}") for w in ("dog", "cat", "fish", "bird")),
                  np.array([0.5, 0.25, 0.125, 0.125]), np.array([0.125, 0.5, 0.25, 0.125])),
    }  # fmt: skip


def read_pair(
    class_names: tuple[str, ...], edited: pd.DataFrame
) -> tuple[torch.Tensor, torch.Tensor]:
    """The editor's two columns as distributions (each divided by its sum); InputError names
    the cell."""
    p, q = (information.as_distribution(edited[name].to_numpy(), argument=name,
                                        class_names=class_names)
            for name in ("p", "q"))  # fmt: skip
    return p, q


@st.fragment  # an edit of p or q (or another pair) redraws this section only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def section_two_distributions(unit: str) -> None:
    st.header(t("entropy.pair_header"))
    st.markdown(t("entropy.pair_text"))
    presets = pair_presets()
    choice = st.selectbox(t("entropy.pair_choice"), list(presets), key=PAIR_KEY,
                          format_func=lambda k: t(f"entropy.pair_{k}"))  # fmt: skip
    class_names, p0, q0 = presets[choice]
    # the classes in a read-only column, not the index: a keyed editor is known by its
    # index, and a change of language renames the classes (it would lose the edits)
    frame = pd.DataFrame({"class": list(class_names), "p": p0, "q": q0})
    edited = st.data_editor(
        frame, key=f"en_pair_{choice}", num_rows="fixed", hide_index=True,
        column_config={"class": st.column_config.TextColumn(t("entropy.class_column"),
                                                            disabled=True)}
        | {name: st.column_config.NumberColumn(
            t(f"entropy.{name}_column"), min_value=0.0, step=0.0001, format="%.4f",
            help=t(f"entropy.{name}_help")) for name in ("p", "q")},
    )  # fmt: skip
    try:
        p, q = read_pair(class_names, edited)
    except ce_core.InputError as error:
        say_what_is_wrong(error)
        return
    comparison = information.compare(p, q, unit=unit)
    show_normalised(class_names, edited, comparison, unit)
    show_sums(class_names, comparison, unit)
    show_asymmetry(class_names, comparison, unit)
    show_coding(class_names, comparison, unit)


def show_normalised(class_names: tuple[str, ...], edited: pd.DataFrame,
                    c: information.Comparison, unit: str) -> None:  # fmt: skip
    """Each column divided by its sum, and each class's part of H(p, q) and H(p)."""
    sums = (float(edited["p"].sum()), float(edited["q"].sum()))
    if any(abs(s - 1) > 1e-9 for s in sums):
        st.caption(t("entropy.renormalised", p_sum=sums[0], q_sum=sums[1]))
    frame = pd.DataFrame({
        t("entropy.class_column"): list(class_names),
        "p": to_numpy(c.p), "q": to_numpy(c.q),
        t("entropy.surprisal_q_column", unit=unit_name(unit)): to_numpy(c.surprisal_q),
        t("entropy.cross_term_column"): to_numpy(c.cross_terms),
        t("entropy.entropy_term_column"): to_numpy(c.entropy_terms),
    })  # fmt: skip
    show_numbers(frame)


def show_sums(class_names: tuple[str, ...], c: information.Comparison, unit: str) -> None:
    """H(p), H(p, q), KL(p || q) and what they mean here (one-hot, impossible classes)."""
    u = unit_name(unit)
    st.markdown(t("entropy.sums", hp=number(c.entropy_p), hpq=number(c.cross_pq),
                  kl=number(c.kl_pq), unit=u))  # fmt: skip
    if c.impossible:
        names = ", ".join(escape_markdown(class_names[k]) for k in c.impossible)
        st.warning(t("entropy.impossible", classes=names))
    if c.entropy_p == 0.0 and math.isfinite(c.cross_pq):
        target = int(torch.argmax(c.p))
        nats = ce_core.cross_entropy(c.q.log()[None], torch.tensor([target]))
        loss = float(information.in_unit(nats, unit))
        st.success(t("entropy.one_hot", target=escape_markdown(class_names[target]),
                     q=float(c.q[target]), loss=loss, unit=u))  # fmt: skip


def show_asymmetry(class_names: tuple[str, ...], c: information.Comparison, unit: str) -> None:
    """The two directions of KL as two stacked bars, side by side."""
    u = unit_name(unit)
    bars = info_figures.PairBars(
        (c.entropy_p, c.entropy_q), (c.kl_pq, c.kl_qp),
        (t("entropy.bar_pq"), t("entropy.bar_qp")), ("H(p)", "H(q)"), ("KL(p‖q)", "KL(q‖p)"),
    )  # fmt: skip
    show_chart(
        info_figures.make_entropy_bars(
            bars, title=t("entropy.bars_title"), y_label=u, code=t("entropy.bars_code")
        ),
        numbers_key="en_bars_numbers",
        alt=t("entropy.bars_alt", hp=c.entropy_p, hq=c.entropy_q, kl_pq=c.kl_pq, kl_qp=c.kl_qp,
              unit=u),
    )  # fmt: skip
    left, right = st.columns(2)
    left.metric("KL(p ‖ q)", number(c.kl_pq))
    right.metric("KL(q ‖ p)", number(c.kl_qp))
    if c.kl_pq == c.kl_qp:
        st.markdown(t("entropy.asymmetry_equal", unit=u))
    else:
        st.markdown(t("entropy.asymmetry", kl_pq=number(c.kl_pq), kl_qp=number(c.kl_qp), unit=u))
    if c.impossible_reverse:
        names = ", ".join(escape_markdown(class_names[k]) for k in c.impossible_reverse)
        st.caption(t("entropy.impossible_reverse", classes=names))
    st.code(pair_code(c), language="python")


def float_list(values: torch.Tensor) -> str:
    """(C,) as a Python list of float literals, 6 significant digits ("1.0", never "1", which
    torch.tensor would make an integer)."""
    return "[" + ", ".join(repr(float(f"{v:.6g}")) for v in values.tolist()) + "]"


def pair_code(c: information.Comparison) -> str:
    """PyTorch code that computes this page's numbers for the current pair (in nats)."""
    return t("entropy.pair_pytorch", p=float_list(c.p), q=float_list(c.q))


def show_coding(class_names: tuple[str, ...], c: information.Comparison, unit: str) -> None:
    """Colah's picture: lengths -log q_c over widths p_c; the area is H(p, q)."""
    st.subheader(t("entropy.coding_header"))
    st.markdown(t("entropy.coding_text"))
    u = unit_name(unit)
    length_p = to_numpy(ce_core.surprisal(c.p, unit=unit))
    show_chart(
        info_figures.make_coding_picture(
            to_numpy(c.p), to_numpy(c.surprisal_q), length_p, class_names,
            title=t("entropy.coding_title"), x_label=t("entropy.coding_x"),
            y_label=t("entropy.coding_y", unit=u), q_name=t("entropy.coding_q"),
            p_name=t("entropy.coding_p"),
            code=t("entropy.coding_code", log="log2" if unit == "bits" else "log"),
        ),
        alt=t("entropy.coding_alt", hpq=c.cross_pq, hp=c.entropy_p, unit=u),
        numbers_key="en_coding_numbers",
        table=lambda: info_figures.coding_table(
            class_names, to_numpy(c.p), to_numpy(c.surprisal_q), length_p,
            class_label=t("figure.class"), q_name=t("entropy.coding_q"),
            p_name=t("entropy.coding_p"),
        ),
    )  # fmt: skip
    st.markdown(t("entropy.coding_sums", hpq=number(c.cross_pq), hp=number(c.entropy_p),
                  kl=number(c.kl_pq), unit=u))  # fmt: skip


# ---------------------------------------------------------------------------- binary


def section_binary(unit: str) -> None:
    """One sigmoid per label and its own cross-entropy of two outcomes: multi-label outputs,
    the stable form against the saturating one, and pos_weight."""
    st.header(t("entropy.binary_header"))
    st.markdown(t("entropy.binary_text"))
    show_multi_label(unit)
    show_saturation(unit)
    show_pos_weight()


@st.fragment  # an edit of the labels redraws the labels' part only
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def show_multi_label(unit: str) -> None:
    """The five activations as five labels, edited: each its sigmoid and its own loss."""
    names = FIVE.class_names
    frame = pd.DataFrame({"x": FIVE.logits[0], "y": to_numpy(ce_core.one_hot(FIVE.targets, 5)[0])},
                         index=list(names))  # fmt: skip
    edited = st.data_editor(
        frame, key="en_labels", num_rows="fixed",
        column_config={
            "x": st.column_config.NumberColumn(t("entropy.binary_x"), step=0.001, format="%.3f"),
            "y": st.column_config.NumberColumn(t("entropy.binary_y"), min_value=0.0,
                                               max_value=1.0, step=0.01, format="%.2f",
                                               help=t("entropy.binary_y_help")),
        },
    )  # fmt: skip
    try:
        x = ce_core.as_row(edited["x"].to_numpy(), argument="logits", what="activations",
                          class_names=names)  # fmt: skip
        y = ce_core.as_row(edited["y"].to_numpy(), argument="target", what="binary_targets",
                          class_names=names, low=0.0, high=1.0)  # fmt: skip
    except ce_core.InputError as error:
        say_what_is_wrong(error)
    else:
        show_labels(names, x, y, unit)


def show_labels(names: tuple[str, ...], x: torch.Tensor, y: torch.Tensor, unit: str) -> None:
    """Per label: sigmoid, its loss; softmax beside for contrast; the mean and the code."""
    u = unit_name(unit)
    q = ce_core.sigmoid(x)
    losses = information.in_unit(ce_core.binary_cross_entropy_with_logits(x, y, reduction="none"),
                                 unit)  # fmt: skip
    show_numbers(pd.DataFrame({
        t("entropy.class_column"): list(names), "x": to_numpy(x), "y": to_numpy(y),
        "sigmoid(x)": to_numpy(q), t("entropy.binary_loss_column", unit=u): to_numpy(losses),
        "softmax(x)": to_numpy(ce_core.softmax(x)),
    }))  # fmt: skip
    yes = [escape_markdown(name) for name, p in zip(names, q.tolist(), strict=True) if p > 0.5]
    st.markdown(t("entropy.binary_sums", sigmoids=float(q.sum()),
                  yes=", ".join(yes) if yes else t("entropy.binary_none"),
                  mean=float(losses.mean()), unit=u))  # fmt: skip
    st.code(t("entropy.binary_pytorch", x=float_list(x), y=float_list(y)), language="python")


def show_saturation(unit: str) -> None:
    """float32: BCE of sigmoid(x) stops at PyTorch's clamp; the logits' form does not."""
    st.subheader(t("entropy.saturation_header"))
    x = torch.tensor(SATURATION_X)  # float32, as a model's outputs
    y = torch.tensor(SATURATION_Y)
    probs = ce_core.sigmoid(x)
    naive = information.in_unit(ce_core.binary_cross_entropy(probs, y, reduction="none"), unit)
    stable = information.in_unit(
        ce_core.binary_cross_entropy_with_logits(x, y, reduction="none"), unit
    )
    u = unit_name(unit)
    st.table(pd.DataFrame({
        "x": [f"{v:g}" for v in SATURATION_X], "y": [f"{v:g}" for v in SATURATION_Y],
        "sigmoid(x), float32": [significant(v, 6) for v in probs.tolist()],
        t("entropy.naive_column", unit=u): [number(v) for v in naive.tolist()],
        t("entropy.stable_column", unit=u): [number(v) for v in stable.tolist()],
    }).set_index("x"))  # fmt: skip
    clamp = float(information.in_unit(torch.tensor(100.0, dtype=torch.float64), unit))
    st.markdown(t("entropy.saturation_text", clamp=clamp, unit=u))


def show_pos_weight() -> None:
    """pos_weight = negatives / positives: the best constant prediction moves to 1/2."""
    st.subheader(t("entropy.pos_weight_header"))
    pos_weight = NEGATIVES / POSITIVES
    # One positive and one negative example, weighted by how many of each there are: the
    # loss of predicting one logit for all of them, at each of a grid of logits (G, 2)
    logits = torch.linspace(-4, 4, 801, dtype=torch.float64)[:, None].expand(-1, 2)
    target = torch.tensor([1.0, 0.0], dtype=torch.float64).expand_as(logits)
    counts = torch.tensor([POSITIVES, NEGATIVES], dtype=torch.float64)
    best = []
    for weight in (None, torch.tensor([pos_weight], dtype=torch.float64)):
        total = ce_core.binary_cross_entropy_with_logits(
            logits, target, weight=counts, pos_weight=weight, reduction="none"
        ).sum(1)  # (G,) proportional to the mean over the 400 examples
        best.append(float(ce_core.sigmoid(logits[int(total.argmin()), 0])))
    st.markdown(t("entropy.pos_weight_text", positives=POSITIVES, negatives=NEGATIVES,
                  pos_weight=pos_weight, plain=best[0], weighted=best[1]))  # fmt: skip
    st.code(t("entropy.pos_weight_pytorch", pos_weight=pos_weight), language="python")


# ---------------------------------------------------------------------------- other pages


def section_other_pages(unit: str) -> None:
    st.header(t("entropy.meet_header"))
    st.markdown(t("entropy.meet_text"))
    show_uniform(unit)
    show_smoothing_floor(unit)
    show_temperature(unit)


def show_uniform(unit: str) -> None:
    """The uniform guess: entropy log C, the most any C classes can have, and its loss."""
    st.subheader(t("entropy.uniform_header"))
    rows = []
    for count in UNIFORM_COUNTS:
        uniform = torch.full((count,), 1 / count, dtype=torch.float64)
        loss = float(ce_core.cross_entropy(torch.zeros(1, count, dtype=torch.float64),
                                           torch.tensor([0])))  # fmt: skip
        rows.append({"C": count, t("entropy.uniform_entropy", unit=unit_name(unit)):
                     float(ce_core.entropy(uniform, unit=unit)),
                     t("entropy.uniform_loss"): loss})  # fmt: skip
    frame = pd.DataFrame(rows)
    show_numbers(frame)
    st.markdown(t("entropy.uniform_text"))
    st.code(t("entropy.uniform_pytorch"), language="python")
    path.page_link(path.spec_of("pipeline"), t("entropy.uniform_link"))


def show_smoothing_floor(unit: str) -> None:
    """label_smoothing = eps: the lowest loss is the smoothed target's entropy."""
    st.subheader(t("entropy.smoothing_header"))
    row = information.smoothed_target(0, 2, DEFAULT_EPS)
    floor = float(ce_core.entropy(row))
    predict.ask("entropy_smoothing", 2, t("predict.entropy_smoothing_why", floor=floor,
                p0=float(row[0]), p1=float(row[1])))  # fmt: skip
    eps = torch.from_numpy(SMOOTHING_EPS)
    floors = np.stack([
        to_numpy(ce_core.entropy(torch.stack([information.smoothed_target(0, count, float(e))
                                              for e in eps]), unit=unit))
        for count in SMOOTHING_COUNTS
    ])  # fmt: skip  # (counts, F)
    u = unit_name(unit)
    readouts = [
        # the values in the legend's order of C, which names them
        t("entropy.smoothing_readout", eps=e, unit=u,
          floors=" · ".join(f"{floors[k, f]:.4f}" for k in range(len(SMOOTHING_COUNTS))))
        for f, e in enumerate(SMOOTHING_EPS.tolist())
    ]  # fmt: skip
    show_chart(
        info_figures.make_smoothing_floor(
            SMOOTHING_EPS, floors, SMOOTHING_COUNTS,
            int(np.flatnonzero(SMOOTHING_EPS == DEFAULT_EPS)[0]),
            title=t("entropy.smoothing_title"), eps_label="label_smoothing (eps)",
            y_label=t("entropy.smoothing_axis", unit=u), readouts=readouts,
            code=t("entropy.smoothing_code"),
        ),
        alt=t("entropy.smoothing_alt"),
    )  # fmt: skip
    st.caption(t("explore.drag_hint"))
    ui_explore.numbers_table(
        pd.DataFrame({"eps": SMOOTHING_EPS}
                     | {f"C = {count}": floors[k] for k, count in enumerate(SMOOTHING_COUNTS)}),
        key="en_eps_numbers",
    )  # fmt: skip
    best = float(ce_core.cross_entropy(row.log()[None], torch.tensor([0]),
                                       label_smoothing=DEFAULT_EPS))  # fmt: skip
    st.markdown(t("entropy.smoothing_text", floor=floor, best=best,
                  p0=float(row[0]), p1=float(row[1])))  # fmt: skip
    st.code(t("entropy.smoothing_pytorch"), language="python")


def show_temperature(unit: str) -> None:
    """The entropy of softmax(acts / T) against T, for the spreadsheet's five activations."""
    st.subheader(t("entropy.temperature_header"))
    temperatures = torch.logspace(-2, 2, 161, dtype=torch.float64)
    logits = torch.tensor(FIVE.logits[0], dtype=torch.float64)
    entropies = to_numpy(
        information.in_unit(ce_core.entropy_by_temperature(logits, temperatures), unit)
    )
    at_one = float(ce_core.entropy(ce_core.softmax(logits), unit=unit))
    ceiling = float(ce_core.entropy(torch.full((5,), 0.2, dtype=torch.float64), unit=unit))
    u = unit_name(unit)
    show_chart(
        info_figures.make_entropy_by_temperature(
            to_numpy(temperatures), entropies, ceiling, at_one,
            title=t("entropy.temperature_title"), t_label=t("entropy.temperature_axis"),
            y_label=t("entropy.entropy_axis", unit=u),
            ceiling_text=t("entropy.temperature_ceiling", value=ceiling, unit=u),
            at_one_name="T = 1", code=t("entropy.temperature_code"),
        ),
        alt=t("entropy.temperature_alt", at_one=at_one, ceiling=ceiling, unit=u),
        numbers_key="en_temperature_numbers",
    )  # fmt: skip
    st.markdown(t("entropy.temperature_text", at_one=at_one, ceiling=ceiling, unit=u))
    path.page_link(path.spec_of("softmax"), t("entropy.temperature_link"))


def render() -> None:
    st.title(t("entropy.title"))
    path.notice("entropy")
    st.markdown(t("entropy.intro"))
    unit = st.radio(t("entropy.unit_choice"), information.UNITS, key=UNIT_KEY, horizontal=True,
                    format_func=unit_name, help=t("entropy.unit_help"))  # fmt: skip
    section_surprisal(unit)
    predict.ask("entropy_one_hot", 2, t("predict.entropy_one_hot_why"))
    section_two_distributions(unit)
    section_binary(unit)
    section_other_pages(unit)


entry.require_entrypoint()
render()
path.next_step("entropy")
