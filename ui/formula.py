"""Formulas in LaTeX with the page's own numbers: one sample written out, the loss of a sample
for the current options, and the reduction with its denominator spelled out.

Pure: reads a ``ce_core.Stages``; pages render the results with ``st.latex``.
"""

from __future__ import annotations

from typing import Literal

import ce_core
from i18n import t
from ui.text import number, significant

Denominator = Literal["n_rows", "not_ignored", "weights", "none"]
MAX_TERMS = 6  # longer sums are written with an ellipsis


def _terms(items: list[str], keep: set[int] = frozenset()) -> str:
    """Join sum terms, eliding the middle of long sums but always keeping ``keep``."""
    if len(items) <= MAX_TERMS:
        return " + ".join(items)
    shown = sorted({0, 1, len(items) - 1} | set(keep))
    parts, previous = [], -1
    for i in shown:
        if i - previous > 1:
            parts.append(r"\cdots")
        parts.append(items[i])
        previous = i
    return " + ".join(parts)


def sample_latex(stages: ce_core.Stages, idx: int) -> str:
    """The sample ``idx``'s computation, step by step with its own numbers (KaTeX).

    One ``aligned`` block, a step per line, so that long sums wrap instead of overflowing.
    """
    acts = stages.logits[idx].tolist()
    exp = stages.exp[idx].tolist()
    targ = int(stages.target[idx])
    m, total = number(stages.row_max[idx]), number(stages.exp_sum[idx])
    p = number(stages.target_prob[idx])
    p_name = rf"p_{{\text{{{stages.class_names[targ]}}}}}"
    shifted = [rf"e^{{{number(a)} - ({m})}}" for a in acts]
    lines = [
        rf"m &= \max_j \mathrm{{acts}}[{idx}, j] = {m}",
        rf"\textstyle\sum_j e^{{\mathrm{{acts}}[{idx}, j] - m}} &= {_terms(shifted, {targ})}",
        rf"&= {_terms([number(e) for e in exp], {targ})} = {total}",
        rf"{p_name} = \mathrm{{sm\_acts}}[{idx}, {targ}]"
        rf" &= \frac{{e^{{{number(acts[targ])} - ({m})}}}}{{{total}}}"
        rf" = \frac{{{number(exp[targ])}}}{{{total}}} = {p}",
        rf"\mathrm{{loss}}[{idx}] = -\ln {p_name} &= -\ln({p}) = {number(stages.losses[idx])}",
    ]
    return r"\begin{aligned}" + r" \\[4pt] ".join(lines) + r"\end{aligned}"


def denominator_kind(stages: ce_core.Stages) -> Denominator:
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


def per_sample_latex(stages: ce_core.Stages) -> str:
    """ℓ_i for these options: index or probability targets, weights, smoothing, ignoring."""
    w_target = r"w_{y_i}\," if stages.weight is not None else ""
    w_class = r"w_c\," if stages.weight is not None else ""
    eps = stages.label_smoothing
    if stages.target_kind == "probability":
        q = rf"\big((1-{eps:g})\,q_{{i,c}} + \tfrac{{{eps:g}}}{{C}}\big)" if eps else "q_{i,c}"
        return rf"\ell_i = -\sum_{{c=1}}^{{C}} {w_class}{q} \ln p_{{i,c}}"
    term = rf"-{w_target}\ln p_{{i, y_i}}"
    if eps:
        term = (
            rf"(1-{eps:g})\left({term}\right) + \frac{{{eps:g}}}{{C}}"
            rf"\sum_{{c=1}}^{{C}} \left(-{w_class}\ln p_{{i,c}}\right)"
        )
    ignored = ""
    if bool(stages.ignored.any()):
        ignored = rf"\quad(\ell_i = 0 \text{{ {t('formula.if')} }} y_i = {stages.ignore_index})"
    softmax = r"p_{i,c} = \frac{e^{x_{i,c}}}{\sum_j e^{x_{i,j}}}"
    if eps or ignored:  # one line would run out of the results' column
        return rf"\begin{{gathered}}\ell_i = {term}{ignored}, \\ {softmax}\end{{gathered}}"
    return rf"\ell_i = {term}, \qquad {softmax}"


def reduction_latex(stages: ce_core.Stages) -> str:
    """The reduction with its numbers: the per-sample losses that count, their sum and what
    the mean divides by (N, the rows not ignored, or the targets' weights, written out)."""
    n, kept = stages.n_rows, ~stages.ignored
    losses = [number(v) for v in stages.losses[kept].tolist()]  # the ones that count
    if stages.reduction == "none":
        shown = ", ".join(number(v) for v in stages.losses[:MAX_TERMS].tolist())
        shown += r", \ldots" if n > MAX_TERMS else ""
        numbers = rf"{n} \text{{ {t('formula.numbers')}}}"
        ells = rf"(\ell_0, \ldots, \ell_{{{n - 1}}})"
        return rf"\mathrm{{loss}} = {ells} = [{shown}] \quad ({numbers})"
    if bool(stages.ignored.any()):
        over = rf"\sum_{{i:\, y_i \neq {stages.ignore_index}}}"
    else:
        over = rf"\sum_{{i=0}}^{{{n - 1}}}"
    total = number(stages.losses.double().sum())
    if stages.reduction == "sum":
        return (rf"\begin{{aligned}}\mathrm{{loss}} &= {_terms(losses)} \\"
                rf" &= {over} \ell_i = {total}\end{{aligned}}")  # fmt: skip
    kind, den = denominator_kind(stages), float(stages.denominator)
    if kind == "weights":
        weights = [significant(w, 4) for w in stages.target_weight[kept].double().tolist()]
        shown = _terms(weights) + f" = {significant(den, 4)}" if weights else "0"
        bottom = rf"\sum_{{i:\, y_i \neq {stages.ignore_index}}} w_{{y_i}}"
    elif kind == "not_ignored":
        shown, bottom = f"{int(den)}", rf"\#\{{i : y_i \neq {stages.ignore_index}\}}"
    else:
        shown, bottom = f"{n}", "N"
    value = float(stages.loss)
    result = number(value) if value == value else r"\mathrm{nan}"  # 0 / 0 when all are ignored
    definition = rf"\mathrm{{loss}} = \frac{{{over} \ell_i}}{{{bottom}}}"
    numbers = rf"\frac{{{total}}}{{{shown}}} = {result}"
    if not losses:  # every row ignored: nothing to add up
        return rf"{definition} = {numbers}"
    written = rf"\tfrac{{1}}{{{significant(den, 4)}}}\left({_terms(losses)}\right)"
    # A line each, so that the sum of six terms fits a column
    lines = [definition.replace(" = ", " &= ", 1), rf"&= {written}", rf"&= {numbers}"]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def all_ignored(stages: ce_core.Stages) -> bool:
    """Every row ignored: "mean" is 0 / 0, which PyTorch returns as nan."""
    return stages.target_kind == "index" and bool(stages.ignored.all())
