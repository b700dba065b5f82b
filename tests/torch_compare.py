"""Shared by the PyTorch-parity tests: devices to run on and the tolerances the issue sets."""

from __future__ import annotations

import pytest
import torch

# float32 within 2e-5 of PyTorch, float64 within 1e-10 (plus a relative part, because a loss
# of 2e4 from logits of 1e4 cannot be closer than float32's spacing there).
TOLERANCE = {
    torch.float32: {"atol": 2e-5, "rtol": 1.3e-6},
    torch.float64: {"atol": 1e-10, "rtol": 1e-12},
}

DEVICES = [
    "cpu",
    pytest.param(
        "cuda",
        marks=[
            pytest.mark.cuda,
            pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here"),
        ],
    ),
]


def assert_close(actual: torch.Tensor, expected: torch.Tensor, dtype: torch.dtype) -> None:
    torch.testing.assert_close(actual, expected, equal_nan=True, **TOLERANCE[dtype])
