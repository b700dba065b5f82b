"""ce_core: every stage of cross-entropy, faithful to PyTorch, on CPU or GPU.

Pure computation: imports torch and numpy only, never a UI library.

    import ce_core
    ce_core.softmax(acts)                       # exp(acts) / exp(acts).sum(1), stably
    ce_core.cross_entropy(acts, targ)           # == F.cross_entropy(acts, targ)
    stages = ce_core.explain(acts, targ)        # every stage + PyTorch's check
"""

from ce_core.concepts import (
    entropy,
    exp_overflow_threshold,
    negative_log,
    one_hot_log_loss,
    product_and_log_sum,
    sigmoid,
    softmax_parts,
    softmax_temperature,
)
from ce_core.device import DEVICE_CHOICES, available_devices, resolve_device
from ce_core.errors import InputError
from ce_core.functional import (
    cross_entropy,
    log_softmax,
    log_softmax_naive,
    nll_loss,
    softmax,
    softmax_naive,
)
from ce_core.parse import Parsed, parse_numbers, parse_targets
from ce_core.presets import PRESETS, Preset, random_batch, random_preset
from ce_core.stages import Stages, explain, max_abs_diff, pytorch_losses
from ce_core.validate import MAX_CELLS, REDUCTIONS

__all__ = [
    "DEVICE_CHOICES",
    "MAX_CELLS",
    "PRESETS",
    "REDUCTIONS",
    "InputError",
    "Parsed",
    "Preset",
    "Stages",
    "available_devices",
    "cross_entropy",
    "entropy",
    "exp_overflow_threshold",
    "explain",
    "log_softmax",
    "log_softmax_naive",
    "max_abs_diff",
    "negative_log",
    "nll_loss",
    "one_hot_log_loss",
    "parse_numbers",
    "parse_targets",
    "product_and_log_sum",
    "pytorch_losses",
    "random_batch",
    "random_preset",
    "resolve_device",
    "sigmoid",
    "softmax",
    "softmax_naive",
    "softmax_parts",
    "softmax_temperature",
]
