"""resolve_device and explain's device handling (CUDA cases skip where there is none)."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import ce_core
from ce_core import InputError, resolve_device

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")


def fake_backends(monkeypatch, cuda: bool, mps: bool) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1 if cuda else 0)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"),
    [(True, True, "cuda"), (False, True, "mps"), (True, False, "cuda"), (False, False, "cpu")],
)
def test_auto_prefers_cuda_then_mps_then_cpu(monkeypatch, cuda, mps, expected):
    fake_backends(monkeypatch, cuda, mps)
    assert resolve_device("auto").type == expected
    assert ce_core.available_devices()[-1] == "cpu"


def test_explicit_devices(monkeypatch):
    fake_backends(monkeypatch, cuda=False, mps=False)
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device(" CPU ") == torch.device("cpu")
    assert resolve_device(torch.device("cpu")) == torch.device("cpu")
    for missing in ("cuda", "mps", "cuda:0"):
        with pytest.raises(InputError, match="not available on this machine; available: cpu"):
            resolve_device(missing)


def test_cuda_index_must_exist(monkeypatch):
    fake_backends(monkeypatch, cuda=True, mps=False)
    assert resolve_device("cuda:0") == torch.device("cuda:0")
    with pytest.raises(InputError, match="has 1 CUDA device"):
        resolve_device("cuda:3")


@pytest.mark.parametrize("bad", ["tpu", "gpu", "", "cuda:x", 3, None])
def test_unknown_devices_are_named(bad):
    with pytest.raises(InputError) as info:
        resolve_device(bad)
    assert info.value.argument == "device"


@needs_cuda
@pytest.mark.cuda
def test_explain_on_cuda_keeps_everything_on_the_gpu():
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    stages = ce_core.explain(acts, targ, device="cuda")
    assert stages.device.startswith("cuda")
    assert stages.probs.is_cuda and stages.grad.is_cuda and stages.reference_loss.is_cuda
    torch.testing.assert_close(stages.loss.cpu(), F.cross_entropy(acts, targ))
    assert stages.max_abs_diff < 2e-5


@needs_cuda
@pytest.mark.cuda
def test_out_of_range_target_never_reaches_the_gpu():
    with pytest.raises(InputError, match="row 1 is 5"):
        ce_core.explain([[1.0, 2.0], [3.0, 4.0]], [0, 5], device="cuda")
    with pytest.raises(InputError, match="row 1 is 5"):
        ce_core.cross_entropy(torch.zeros(2, 2, device="cuda"), torch.tensor([0, 5], device="cuda"))
    # the process is still healthy: a device-side assert would make this raise
    assert float(torch.ones(1, device="cuda").sum()) == 1.0


@needs_cuda
@pytest.mark.cuda
def test_functions_keep_results_on_the_input_device():
    logits = torch.randn(4, 3, device="cuda")
    target = torch.tensor([0, 1, 2, 0])  # a CPU target is moved, like the input's device
    assert ce_core.cross_entropy(logits, target).is_cuda
    assert ce_core.softmax(logits).is_cuda
