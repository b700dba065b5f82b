"""ce_core: every stage of cross-entropy, faithful to PyTorch, on CPU or GPU.

Pure computation: imports torch, numpy and the text catalog (for its messages), never a UI
library.

    import ce_core
    ce_core.softmax(acts)                       # exp(acts) / exp(acts).sum(1), stably
    ce_core.cross_entropy(acts, targ)           # == F.cross_entropy(acts, targ)
    stages = ce_core.explain(acts, targ)        # every stage + PyTorch's check

Public modules beside the names below: ``ce_core.reference`` (what PyTorch says: its routes,
the common mistakes, autograd), ``ce_core.gradients``, ``ce_core.concepts``,
``ce_core.information`` (surprisal, entropy, KL, in nats or bits), ``ce_core.training``,
``ce_core.calibration`` (reliability, ECE, temperature scaling), ``ce_core.language_model``
(character models by counting and trained, scoring, sampling, a padded batch).
"""

from ce_core import (
    calibration,
    concepts,
    exercises,
    gradients,
    information,
    language_model,
    reference,
    training,
)
from ce_core.coerce import MAX_CELLS, as_row, default_class_names, unnormalized_rows
from ce_core.concepts import (
    AgainstGuessing,
    against_guessing,
    confidence_curve,
    double_softmax_bound,
    entropy_by_temperature,
    exp_overflow_threshold,
    negative_log,
    one_hot,
    one_hot_log_loss,
    one_hot_vs_lookup,
    product_and_log_sum,
    sigmoid,
    softmax_by_temperature,
    softmax_parts,
    softmax_temperature,
    where_vs_index,
)
from ce_core.errors import InputError
from ce_core.functional import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    log_softmax,
    log_softmax_naive,
    nll_loss,
    softmax,
    softmax_naive,
)
from ce_core.information import (
    UNITS,
    cross_entropy_of_distributions,
    entropy,
    kl_divergence,
    surprisal,
)
from ce_core.options import DEVICE_CHOICES, REDUCTIONS, available_devices, resolve_device
from ce_core.parse import (
    Parsed,
    PastedActivations,
    parse_numbers,
    parse_targets,
    read_activations,
    read_targets,
)
from ce_core.presets import PRESETS, Preset, random_batch, random_preset
from ce_core.reference import max_abs_diff, pytorch_losses
from ce_core.stages import Stages, explain

__all__ = [
    "DEVICE_CHOICES",
    "MAX_CELLS",
    "PRESETS",
    "REDUCTIONS",
    "UNITS",
    "AgainstGuessing",
    "InputError",
    "Parsed",
    "PastedActivations",
    "Preset",
    "Stages",
    "against_guessing",
    "as_row",
    "available_devices",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "calibration",
    "concepts",
    "confidence_curve",
    "cross_entropy",
    "cross_entropy_of_distributions",
    "default_class_names",
    "double_softmax_bound",
    "entropy",
    "entropy_by_temperature",
    "exercises",
    "exp_overflow_threshold",
    "explain",
    "gradients",
    "information",
    "kl_divergence",
    "language_model",
    "log_softmax",
    "log_softmax_naive",
    "max_abs_diff",
    "negative_log",
    "nll_loss",
    "one_hot",
    "one_hot_log_loss",
    "one_hot_vs_lookup",
    "parse_numbers",
    "parse_targets",
    "product_and_log_sum",
    "pytorch_losses",
    "random_batch",
    "random_preset",
    "read_activations",
    "read_targets",
    "reference",
    "resolve_device",
    "sigmoid",
    "softmax",
    "softmax_by_temperature",
    "softmax_naive",
    "softmax_parts",
    "softmax_temperature",
    "surprisal",
    "training",
    "unnormalized_rows",
    "where_vs_index",
]
