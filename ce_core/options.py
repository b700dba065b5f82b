"""Check the options of a loss (reduction, smoothing, ignore_index, class weights) and where
it is computed (device, dtype), before anything is computed.

Each check raises :class:`InputError` naming the argument; what a learner types into cells
is read by ``coerce``.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import torch

from ce_core.coerce import ArrayLike, as_matrix, class_label
from ce_core.errors import InputError

Reduction = Literal["none", "mean", "sum"]
REDUCTIONS: tuple[str, ...] = ("none", "mean", "sum")
DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")
_DTYPE_NAMES = {
    "float16": torch.float16,
    "half": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float": torch.float32,
    "float64": torch.float64,
    "double": torch.float64,
}


def not_one_of(
    name: str,
    value: object,
    choices: Sequence[str],
    *,
    argument: str | None = None,
    quoted: bool = False,
) -> InputError:
    """The error for an option that is none of ``choices`` ("reduction must be one of ...")."""
    shown = ", ".join(map(repr if quoted else str, choices))
    return InputError("not_one_of", argument=argument or name, name=name, choices=shown,
                      value=value)  # fmt: skip


def check_choice(name: str, value: object, choices: Sequence[str], **how: object) -> None:
    """Raise ``not_one_of`` (see there for ``how``) unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise not_one_of(name, value, choices, **how)


def check_reduction(reduction: Any) -> None:
    check_choice("reduction", reduction, REDUCTIONS, quoted=True)


def as_ignore_index(ignore_index: Any) -> int:
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, (Integral, np.integer)):
        raise InputError("ignore_index_not_whole", argument="ignore_index", value=ignore_index)
    return int(ignore_index)


def as_label_smoothing(label_smoothing: Any) -> float:
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (Real, np.number)):
        raise InputError("smoothing_not_number", argument="label_smoothing", value=label_smoothing)
    if not 0.0 <= float(label_smoothing) <= 1.0:
        raise InputError("smoothing_out_of_range", argument="label_smoothing",
                         value=label_smoothing)  # fmt: skip
    return float(label_smoothing)


def as_class_weight(
    weight: ArrayLike | None,
    n_classes: int,
    class_names: Sequence[str] | None = None,
    *,
    allow_negative: bool = False,
) -> torch.Tensor | None:
    """A per-class weight (C,) as a CPU tensor, finite and (unless ``allow_negative``, which
    the PyTorch-compatible functions pass) >= 0. ``None`` means all ones."""
    if weight is None:
        return None
    if isinstance(weight, torch.Tensor):
        weight = weight.detach().cpu()
    if np.ndim(weight) != 1:
        raise InputError("weight_shape", argument="weight", shape=np.shape(weight))
    values = as_matrix(weight, argument="weight", what="class_weights", class_names=class_names)
    if values.shape[1] != n_classes:
        raise InputError("weight_count", argument="weight", count=values.shape[1],
                         n_classes=n_classes)  # fmt: skip
    negative = (values[0] < 0).nonzero()
    if len(negative) and not allow_negative:
        c = int(negative[0, 0])
        raise InputError("weight_negative", argument="weight", column=c,
                         cls=class_label(c, class_names), value=float(values[0, c]))  # fmt: skip
    return values[0]


def resolve_dtype(dtype: torch.dtype | str | None) -> torch.dtype | None:
    """``None`` (keep the input's dtype), a floating ``torch.dtype``, or its name."""
    if dtype is None:
        return None
    if isinstance(dtype, torch.dtype) and dtype.is_floating_point:
        return dtype
    name = dtype.strip().lower().removeprefix("torch.") if isinstance(dtype, str) else None
    if name in _DTYPE_NAMES:
        return _DTYPE_NAMES[name]
    raise InputError("dtype_unknown", argument="dtype", value=dtype)


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def available_devices() -> list[str]:
    """The device kinds this machine can compute on, best first (``cpu`` is always last)."""
    found = ["cuda"] if torch.cuda.is_available() else []
    return found + (["mps"] if _mps_available() else []) + ["cpu"]


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """Turn ``"auto" | "cpu" | "cuda" | "cuda:N" | "mps"`` into a ``torch.device`` that exists here.

    ``"auto"`` picks cuda, then mps, then cpu. An explicit device this machine lacks raises
    :class:`InputError` naming what is available, so nothing is ever sent to a missing GPU.

    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if isinstance(device, torch.device):
        device = str(device)
    if not isinstance(device, str):
        raise not_one_of("device", device, DEVICE_CHOICES)
    name = device.strip().lower()
    if name == "auto":
        return torch.device(available_devices()[0])
    kind, _, index_text = name.partition(":")
    if kind not in DEVICE_CHOICES or (index_text and not index_text.isdigit()):
        raise InputError("device_unknown", argument="device", value=device,
                         choices=", ".join(DEVICE_CHOICES))  # fmt: skip
    if kind != "cpu" and kind not in available_devices():
        raise InputError("device_unavailable", argument="device", kind=kind,
                         available=", ".join(available_devices()))  # fmt: skip
    if kind == "cuda" and index_text and int(index_text) >= torch.cuda.device_count():
        raise InputError("device_missing_index", argument="device", name=name,
                         count=torch.cuda.device_count())  # fmt: skip
    return torch.device(name)
