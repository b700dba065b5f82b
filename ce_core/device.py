"""Which device computes: the learner's choice, checked against what this machine has."""

from __future__ import annotations

import torch

from ce_core.errors import InputError

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def available_devices() -> list[str]:
    """The device kinds this machine can compute on, best first (``cpu`` is always last)."""
    found = []
    if torch.cuda.is_available():
        found.append("cuda")
    if _mps_available():
        found.append("mps")
    found.append("cpu")
    return found


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
        raise InputError(
            f"device must be one of {', '.join(DEVICE_CHOICES)}, not {device!r}",
            argument="device",
        )
    name = device.strip().lower()
    if name == "auto":
        return torch.device(available_devices()[0])
    kind, _, index_text = name.partition(":")
    if kind not in DEVICE_CHOICES or (index_text and not index_text.isdigit()):
        raise InputError(
            f"device {device!r} is not one of {', '.join(DEVICE_CHOICES)}", argument="device"
        )
    available = ", ".join(available_devices())
    if kind != "cpu" and kind not in available_devices():
        raise InputError(
            f"device {kind!r} is not available on this machine; available: {available}",
            argument="device",
        )
    if kind == "cuda" and index_text and int(index_text) >= torch.cuda.device_count():
        raise InputError(
            f"device {name!r} does not exist: this machine has "
            f"{torch.cuda.device_count()} CUDA device(s), numbered from 0",
            argument="device",
        )
    return torch.device(name)
