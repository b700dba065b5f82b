"""The loss formula for the current options, in LaTeX, with its denominator spelled out.

Pure: reads a ``Stages``; the PyTorch page renders the result with ``st.latex``.
"""

from __future__ import annotations

from typing import Literal

from ce_core.stages import Stages

Denominator = Literal["n_rows", "not_ignored", "weights", "none"]


def denominator_kind(stages: Stages) -> Denominator:
    """What "mean" divides by under these options (PyTorch's rules).

    Probability targets: always N. Class indices: the sum of the targets' weights, which is
    the number of rows not ignored when there are no weights, and N when nothing is ignored.
    """
    if stages.reduction != "mean":
        return "none"
    if stages.target_kind == "probability":
        return "n_rows"
    if stages.weight is not None:
        return "weights"
    return "not_ignored" if bool(stages.ignored.any()) else "n_rows"


def _num(value: float) -> str:
    return f"{value:.4f}"


def per_sample_latex(stages: Stages) -> str:
    """ℓ_i for these options: index or probability targets, weights, smoothing, ignoring."""
    w_target = r"w_{y_i}\," if stages.weight is not None else ""
    w_class = r"w_c\," if stages.weight is not None else ""
    eps = stages.label_smoothing
    if stages.target_kind == "probability":
        q = rf"\big((1-{eps:g})\,q_{{i,c}} + \tfrac{{{eps:g}}}{{C}}\big)" if eps else "q_{i,c}"
        return rf"\ell_i = -\sum_{{c=1}}^{{C}} {w_class}{q} \log p_{{i,c}}"
    term = rf"-{w_target}\log p_{{i, y_i}}"
    if eps:
        term = (
            rf"(1-{eps:g})\left({term}\right) + \frac{{{eps:g}}}{{C}}"
            rf"\sum_{{c=1}}^{{C}} \left(-{w_class}\log p_{{i,c}}\right)"
        )
    ignored = (
        rf"\quad(\ell_i = 0 \text{{ if }} y_i = {stages.ignore_index})"
        if bool(stages.ignored.any())
        else ""
    )
    softmax = r"p_{i,c} = \frac{e^{x_{i,c}}}{\sum_j e^{x_{i,j}}}"
    return rf"\ell_i = {term}{ignored}, \qquad {softmax}"


def reduction_latex(stages: Stages) -> str:
    """The reduction with its numbers: the sum over counted rows, over the denominator."""
    n = stages.n_rows
    kept = ~stages.ignored
    total = float(stages.losses.double().sum())
    if stages.reduction == "none":
        return (
            rf"\mathrm{{loss}} = (\ell_0, \ldots, \ell_{{{n - 1}}}) \quad ({n} \text{{ numbers}})"
        )
    if bool(stages.ignored.any()):
        over = rf"\sum_{{i:\, y_i \neq {stages.ignore_index}}}"
    else:
        over = rf"\sum_{{i=0}}^{{{n - 1}}}"
    if stages.reduction == "sum":
        return rf"\mathrm{{loss}} = {over} \ell_i = {_num(total)}"
    kind = denominator_kind(stages)
    den = float(stages.denominator)
    if kind == "weights":
        weights = stages.target_weight[kept].double()
        shown = " + ".join(f"{float(w):.4g}" for w in weights[:6]) + (
            r" + \cdots" if len(weights) > 6 else ""
        )
        bottom = rf"\sum_{{i:\, y_i \neq {stages.ignore_index}}} w_{{y_i}}"
        den_text = rf"{shown} = {den:.4g}" if len(weights) else "0"
    elif kind == "not_ignored":
        bottom = rf"\#\{{i : y_i \neq {stages.ignore_index}\}}"
        den_text = f"{int(den)}"
    else:
        bottom = "N"
        den_text = f"{n}"
    value = float(stages.loss)
    result = _num(value) if value == value else r"\mathrm{nan}"  # 0 / 0 when all are ignored
    return (
        rf"\mathrm{{loss}} = \frac{{{over} \ell_i}}{{{bottom}}}"
        rf" = \frac{{{_num(total)}}}{{{den_text}}} = {result}"
    )


def all_ignored(stages: Stages) -> bool:
    """Every row ignored: "mean" is 0 / 0, which PyTorch returns as nan."""
    return stages.target_kind == "index" and bool(stages.ignored.all())
