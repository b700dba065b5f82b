"""Take it home: the page's batch and options as a Jupyter notebook of the book's steps.

Chapter 5 of the fast.ai book in its order, a markdown cell (from the catalog's
``[notebook]``) before each step: the tensors, softmax, picking the target, -log,
``F.nll_loss``, ``log_softmax`` and ``nn.CrossEntropyLoss``. The tensors and options are
written by ``ui.reproduce`` (the same code as "Copy as PyTorch"); the notebook needs only
torch, so it runs in Jupyter and in Colab. Its last cell prints ``name: value`` lines (the
values as Python lists or floats, in full) that the tests parse and compare with ce_core.

Pure but for ``download_button``: building a notebook needs no Streamlit.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import torch

import ce_core
from i18n import current_language, t, using
from ui.reproduce import options_code, tensor_lines

if TYPE_CHECKING:
    import nbformat

MIME = "application/x-ipynb+json"
# Jupyter's and Colab's default Python kernel: no install needed beyond torch
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
HOME = "home"  # ui.batch.HOME (not imported: ui.batch draws widgets), the home page's batch
# The final cell prints these, each as `name: value`, when the notebook defines them
PRINTED_INDEX = ("losses", "loss", "loss_functional", "losses_by_hand", "loss_by_hand",
                 "losses_nll", "losses_log_softmax")  # fmt: skip
PRINTED_PROBABILITY = tuple(name for name in PRINTED_INDEX if name != "losses_nll")


def batch_title(stages: ce_core.Stages, batch: str | ce_core.Preset) -> str:
    """Which batch the notebook is about, in the catalog's words.

    ``batch``: ``"home"`` or a preset's key (as ``ui.batch.Batch.key``), or the home page's
    source as a ``Preset`` (``session.state().source.batch()``): "with your edits" is added
    when the stages' acts or targets differ from it.
    """
    if isinstance(batch, ce_core.Preset):
        title = batch.title.render()
        return t("notebook.edited", batch=title) if _edited(stages, batch) else title
    if batch == HOME:
        return t("batch.home")
    return ce_core.PRESETS[batch].title.render()


def _edited(stages: ce_core.Stages, preset: ce_core.Preset) -> bool:
    # Compared in float32: an edit changes the 4th decimal, and nested lists reach float64
    # through float32 (ce_core reads them as torch.tensor does)
    acts, targ = preset.tensors(torch.float32)
    if stages.target_kind != "index" or acts.shape != stages.logits.shape:
        return True
    same_acts = torch.equal(acts, stages.logits.cpu().float())
    return not (same_acts and torch.equal(targ, stages.target.cpu()))


def file_name(batch: str | ce_core.Preset) -> str:
    """``cross_entropy_<batch key>.ipynb``, e.g. ``cross_entropy_3-vs-7.ipynb``."""
    key = batch.key if isinstance(batch, ce_core.Preset) else batch
    return f"cross_entropy_{re.sub(r'[^A-Za-z0-9_-]', '_', key)}.ipynb"


# ---------------------------------------------------------------------------- the steps


def _setup(stages: ce_core.Stages) -> tuple[list[str], list[str]]:
    """(a) the tensors and options: (markdown paragraphs, code lines)."""
    text = [t("notebook.setup", rows=stages.n_rows, classes=stages.n_classes, dtype=stages.dtype)]
    text.append(t(f"notebook.setup_{stages.target_kind}"))
    if stages.weight is not None:
        text.append(t("notebook.setup_weight"))
    text.append(t("notebook.setup_options", options=options_code(stages)))
    return text, tensor_lines(stages)


def _index_steps(stages: ce_core.Stages) -> list[tuple[list[str], list[str]]]:
    """(c)-(f) for class indices: pick, -log (and the options by hand), nll_loss, log_softmax.

    The hand route computes exactly what ``nn.CrossEntropyLoss`` does with these options:
    ``weight[targ]`` times the picked term, ``(1 - eps)`` of it plus ``eps * smooth``, 0 for
    ignored rows, and the mean over the sum of the weights of the rows that count.
    """
    weighted, eps = stages.weight is not None, stages.label_smoothing
    ignored = bool(stages.ignored.any())
    is_class = 0 <= stages.ignore_index < stages.n_classes
    targ = "safe_targ" if ignored and not is_class else "targ"  # -100 cannot index a row
    pick = [t("notebook.pick_index")]
    pick_code = ["idx = range(len(targ))", f"sm_acts[idx, {targ}]"]
    if ignored:
        which = t("notebook.pick_ignored_class") if is_class else t("notebook.pick_ignored_safe")
        pick += [t("notebook.pick_ignored", ignore_index=stages.ignore_index), which]
        safe = [] if is_class else ["safe_targ = torch.where(keep, targ, 0)"]
        pick_code = [f"keep = targ != {stages.ignore_index}", *safe, *pick_code]

    nll = f"-torch.log(sm_acts[idx, {targ}])"  # (N,) the book's step
    if weighted:
        nll = f"weight[{targ}] * {nll}"
    log_text = [t("notebook.log_index"), _reduction_text(stages)]
    log_text += [t("notebook.weight_index")] if weighted else []
    log_text += [t("notebook.ignored")] if ignored else []
    log_code = [f"losses_by_hand = {nll}"]

    def smoothed(name: str) -> list[str]:
        """Each route's smoothing term, added by hand: nll_loss has no label_smoothing."""
        return [f"{name} = (1 - eps) * {name} + eps * smooth"] if eps > 0 else []

    if eps > 0:
        log_text.append(t("notebook.smoothing_index", eps=f"{eps:g}", classes=stages.n_classes))
        logs = "(weight * torch.log(sm_acts))" if weighted else "torch.log(sm_acts)"
        smooth = f"-{logs}.mean(dim=1)"  # (N,) the sum over the classes, over C
        if ignored:
            smooth = f"torch.where(keep, {smooth}, 0.0)"
        log_code = [f"eps = {eps:g}", f"smooth = {smooth}", *log_code]
    log_code += smoothed("losses_by_hand")
    if ignored:
        log_code.append("losses_by_hand = torch.where(keep, losses_by_hand, 0.0)")
    log_code += [f"loss_by_hand = {_reduce_by_hand(stages, targ, ignored)}",
                 "losses_by_hand, loss_by_hand"]  # fmt: skip

    options = options_code(stages, reduction="none", smoothing=False)
    nll_text = [t("notebook.nll_index")] + ([t("notebook.nll_smoothing")] if eps > 0 else [])
    nll_code = [f"losses_nll = F.nll_loss(torch.log(sm_acts), targ, {options})",
                *smoothed("losses_nll"), "losses_nll"]  # fmt: skip
    log_softmax_code = [
        "log_sm_acts = torch.log_softmax(acts, dim=1)",
        f"losses_log_softmax = F.nll_loss(log_sm_acts, targ, {options})",
        *smoothed("losses_log_softmax"),
        "losses_log_softmax",
    ]
    return [(pick, pick_code), (log_text, log_code), (nll_text, nll_code),
            ([t("notebook.log_softmax_index")], log_softmax_code)]  # fmt: skip


def _reduction_text(stages: ce_core.Stages) -> str:
    return t(f"notebook.reduce_{stages.reduction}", rows=stages.n_rows)


def _reduce_by_hand(stages: ce_core.Stages, targ: str, ignored: bool) -> str:
    """The reduction of ``losses_by_hand`` as PyTorch does it: for class indices the mean
    divides by the targets' weights of the rows that count; for probabilities, by N."""
    if stages.reduction == "none":
        return "losses_by_hand"
    if stages.reduction == "sum":
        return "losses_by_hand.sum()"
    if stages.target_kind == "probability":
        return "losses_by_hand.mean()"
    if stages.weight is not None:  # the weights of the targets of the rows that count
        return f"losses_by_hand.sum() / weight[{targ}]{'[keep]' if ignored else ''}.sum()"
    return "losses_by_hand.sum() / keep.sum()" if ignored else "losses_by_hand.mean()"


def _probability_steps(stages: ce_core.Stages) -> list[tuple[list[str], list[str]]]:
    """(c)-(f) for class probabilities: the weighted sum replaces picking; no nll_loss."""
    eps = stages.label_smoothing
    targ = "targ_smooth" if eps > 0 else "targ"
    coefficients = f"weight * {targ}" if stages.weight is not None else targ  # (N, C)
    pick_text = [t("notebook.pick_probability")]
    pick_code = [f"terms = {coefficients} * -torch.log(sm_acts)", "terms"]  # (N, C)
    if eps > 0:
        pick_text.append(t("notebook.smoothing_probability", eps=f"{eps:g}",
                           classes=stages.n_classes))  # fmt: skip
        pick_code = [f"eps = {eps:g}", "targ_smooth = targ * (1 - eps) + eps / acts.shape[1]",
                     *pick_code]  # fmt: skip
    reduce = _reduce_by_hand(stages, targ, ignored=False)  # no ignore_index for probabilities
    log_text = [t("notebook.log_probability"), _reduction_text(stages)]
    log_text += [t("notebook.weight_probability")] if stages.weight is not None else []
    log_code = ["losses_by_hand = terms.sum(dim=1)", f"loss_by_hand = {reduce}",
                "losses_by_hand, loss_by_hand"]  # fmt: skip
    log_softmax_code = [
        f"losses_log_softmax = -({coefficients} * torch.log_softmax(acts, dim=1)).sum(dim=1)",
        "losses_log_softmax",
    ]
    return [(pick_text, pick_code), (log_text, log_code), ([t("notebook.nll_probability")], []),
            ([t("notebook.log_softmax_probability")], log_softmax_code)]  # fmt: skip


def _module(stages: ce_core.Stages) -> list[tuple[list[str], list[str]]]:
    """(g) nn.CrossEntropyLoss and F.cross_entropy with the page's options, then per sample."""
    options = options_code(stages)
    return [
        ([t("notebook.module")], [
            f"loss_func = nn.CrossEntropyLoss({options})",
            "loss = loss_func(acts, targ)",
            f"loss_functional = F.cross_entropy(acts, targ, {options})",
            "loss, loss_functional",
        ]),
        ([t("notebook.per_sample")], [
            f"losses = nn.CrossEntropyLoss({options_code(stages, reduction='none')})(acts, targ)",
            "losses",
        ]),
    ]  # fmt: skip


# ---------------------------------------------------------------------------- the notebook


def build_notebook(stages: ce_core.Stages, batch: str | ce_core.Preset) -> nbformat.NotebookNode:
    """The notebook of ``stages``: its acts (N, C), targets ((N,) indices or (N, C)
    probabilities), class weights (C,) and options, walked through the book's steps.

    ``batch`` names the batch (see :func:`batch_title`). nbformat v4, validated, kernel
    python3; every markdown cell comes from the catalog's ``[notebook]`` section.
    """
    softmax_code = ["sm_acts = torch.softmax(acts, dim=1)", "print(sm_acts)", "sm_acts.sum(dim=1)"]
    softmax = ([t("notebook.softmax")], softmax_code)
    by_kind = _index_steps if stages.target_kind == "index" else _probability_steps
    printed = PRINTED_INDEX if stages.target_kind == "index" else PRINTED_PROBABILITY
    numbers = [f'print("{name}:", {name}.tolist())' for name in printed]  # full precision
    steps = [_setup(stages), softmax, *by_kind(stages), *_module(stages),
             ([t("notebook.numbers")], numbers)]  # fmt: skip
    cells = [_cell("markdown", t("notebook.title", batch=batch_title(stages, batch)))]
    for paragraphs, code in steps:
        cells.append(_cell("markdown", "\n\n".join(paragraphs)))
        if code:
            cells.append(_cell("code", "\n".join(code)))
    for number, cell in enumerate(cells):
        cell["id"] = f"cell-{number}"  # not random: the same page gives the same file
    # Imported here: its import (85 ms) would otherwise be on a fresh server's first page
    # view, and a notebook is only built when a learner downloads one
    import nbformat

    notebook = nbformat.from_dict({
        "nbformat": 4, "nbformat_minor": 5, "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
    })  # fmt: skip
    nbformat.validate(notebook)
    return notebook


def _cell(kind: str, source: str) -> dict:
    # A plain dict: nbformat's new_*_cell validate each cell, 20 times the cost of one
    # validation of the whole notebook
    cell = {"cell_type": kind, "metadata": {}, "source": source}
    return cell | ({"execution_count": None, "outputs": []} if kind == "code" else {})


def notebook_bytes(stages: ce_core.Stages, batch: str | ce_core.Preset) -> bytes:
    """:func:`build_notebook` as the ``.ipynb`` file's bytes: JSON as Jupyter writes it
    (``nbformat.writes`` would validate a second time and split every source into lines)."""
    text = json.dumps(build_notebook(stages, batch), indent=1, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode()


def notebook_in(language: str, stages: ce_core.Stages, batch: str | ce_core.Preset) -> bytes:
    """``notebook_bytes`` with its texts in ``language``: Streamlit builds a deferred
    download in a worker thread, outside the session whose language the texts follow."""
    with using(language):
        return notebook_bytes(stages, batch)


def download_button(stages: ce_core.Stages, batch: str | ce_core.Preset, *, key: str) -> None:
    """A "Download as notebook" button for ``stages`` (see :func:`build_notebook`)."""
    import streamlit as st  # here, not above: building a notebook needs no Streamlit

    language = current_language()  # now: the click's thread has no session to ask
    st.download_button(
        # A callable: the notebook is built when the learner clicks, not on every rerun
        # (4-10 ms for the presets, most of it formatting numbers).
        t("notebook.button"), lambda: notebook_in(language, stages, batch),
        file_name=file_name(batch),
        mime=MIME, key=key, help=t("notebook.button_help"),
        on_click="ignore",  # a download changes nothing on the page: no rerun
    )  # fmt: skip
