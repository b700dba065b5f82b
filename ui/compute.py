"""The one way a page computes: a batch and the sidebar's options through ``ce_core.explain``.

Every page that shows stages of a batch (home, Log & likelihood, PyTorch, Gradients) calls
``explain_batch`` (or ``explain`` for numbers that are not a batch of the picker's, such as
the home page's edited matrix or stepped activations) and draws the ``View`` it returns.
Raises ``ce_core.InputError`` for input that cannot be computed; the page shows it.

``use_one_thread`` is the server's one setting of torch: app.py calls it on every run.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch

import ce_core
from ui.batch import Batch
from ui.sidebar import Options
from ui.view import View


def use_one_thread() -> None:
    """One torch thread in the server. The app's tensors are small (torch splits an op among
    threads only from 32768 elements on), and the browser and the server share the machine's
    cores: with a second OpenMP thread, two ops on a 6 x 2 batch wait for a busy core, a
    median 2.2 ms (p95 24 ms) instead of 0.18 ms (bench/torch_threads.py). Called by every
    run: torch applies it to the calling thread and to every thread started after it (the
    threads Streamlit runs scripts and fragments in); a thread started before keeps its own
    until a run in it calls this."""
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def explain(
    logits: object, target: object, class_names: Sequence[str], options: Options, **loss: object
) -> View:
    """``ce_core.explain`` on the sidebar's device, dtype and reduction; ``loss``: the
    PyTorch page's other arguments (weight, ignore_index, label_smoothing, ...)."""
    stages = ce_core.explain(
        logits, target, class_names=class_names, device=options.device, dtype=options.dtype,
        reduction=options.reduction, **loss,
    )  # fmt: skip
    return View.of(stages)


def explain_batch(batch: Batch, options: Options, **loss: object) -> View:
    """``explain`` of a batch of the picker's (``ui.batch``); ``loss`` may replace its
    ``target`` (probabilities, ignored rows)."""
    target = loss.pop("target", batch.targets)
    return explain(batch.logits, target, batch.class_names, options, **loss)
