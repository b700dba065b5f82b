"""What the PyTorch page hands over: code that rebuilds its numbers, and a CSV of the stages.

Pure functions of a ``Stages``: no Streamlit. The code is self-contained (torch only) and
prints one line per route, ``name: value``, which a test runs and compares with the page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from ce_core.routes import (
    ROUTE_FUNCTIONAL,
    ROUTE_LOG_SOFTMAX_NLL,
    ROUTE_MODULE,
    ROUTE_SOFTMAX_LOG_NLL,
)
from ce_core.stages import Stages


def _number(value: float, dtype: str) -> str:
    """The shortest text that reads back as the same number in ``dtype``."""
    kind = np.float32 if dtype == "float32" else np.float64
    return np.format_float_positional(kind(value), unique=True, trim="-")


def _matrix(values: torch.Tensor, dtype: str, indent: str) -> str:
    rows = values.detach().cpu().double().tolist()
    lines = ["[" + ", ".join(_number(v, dtype) for v in row) + "]" for row in rows]
    return "[" + f",\n{indent}".join(lines) + "]"


def pytorch_code(stages: Stages) -> str:
    """A Python program that rebuilds the tensors and options and prints every route."""
    dtype = stages.dtype
    indent = " " * len("acts = torch.tensor([")
    lines = [
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
        "",
        f'device = "cpu"  # the page computed on {stages.device}',
        f"acts = torch.tensor({_matrix(stages.logits, dtype, indent)},",
        f"                    dtype=torch.{dtype}, device=device)",
    ]
    if stages.target_kind == "index":
        targ = ", ".join(str(int(v)) for v in stages.target.tolist())
        lines.append(f"targ = torch.tensor([{targ}], device=device)  # class indices")
    else:
        indent = " " * len("targ = torch.tensor([")
        lines += [
            f"targ = torch.tensor({_matrix(stages.target, dtype, indent)},",
            f"                    dtype=torch.{dtype}, device=device)  # class probabilities",
        ]
    weight = "None"
    if stages.weight is not None:
        values = ", ".join(_number(float(w), dtype) for w in stages.weight.tolist())
        lines.append(f"weight = torch.tensor([{values}], dtype=torch.{dtype}, device=device)")
        weight = "weight"
    options = f"weight={weight}, ignore_index={stages.ignore_index}, reduction={stages.reduction!r}"
    smoothing = f", label_smoothing={stages.label_smoothing:g}"
    lines += ["", "routes = {"]
    if stages.label_smoothing == 0:
        if stages.target_kind == "index":
            lines += [
                f'    "{ROUTE_SOFTMAX_LOG_NLL}": F.nll_loss(torch.log(torch.softmax(acts, dim=1)),',
                f"                                          targ, {options}),",
                f'    "{ROUTE_LOG_SOFTMAX_NLL}": F.nll_loss(torch.log_softmax(acts, dim=1), targ,',
                f"                                        {options}),",
            ]
        else:
            reduce = {"mean": ".mean()", "sum": ".sum()", "none": ""}[stages.reduction]
            scale = "" if stages.weight is None else "weight * "
            lines += [
                "    # nll_loss takes class indices; for probabilities the same sum by hand",
                f'    "{ROUTE_SOFTMAX_LOG_NLL}": '
                f"-({scale}targ * torch.log(torch.softmax(acts, dim=1))).sum(1){reduce},",
                f'    "{ROUTE_LOG_SOFTMAX_NLL}": '
                f"-({scale}targ * torch.log_softmax(acts, dim=1)).sum(1){reduce},",
            ]
    lines += [
        f'    "{ROUTE_MODULE}": nn.CrossEntropyLoss({options}{smoothing})(acts, targ),',
        f'    "{ROUTE_FUNCTIONAL}": F.cross_entropy(acts, targ, {options}{smoothing}),',
        "}",
        "for name, loss in routes.items():",
        '    print(f"{name}: {loss.tolist()}")',
        "",
    ]
    return "\n".join(lines)


def stages_frame(stages: Stages) -> pd.DataFrame:
    """Every stage, one row per sample: the CSV the page offers for download.

    Per-class stages get one column per class (``softmax[cat]``); per-row ones one column.
    """
    names = stages.class_names

    def per_class(label: str, values: torch.Tensor) -> dict[str, np.ndarray]:
        array = values.detach().cpu().double().numpy()
        return {f"{label}[{name}]": array[:, c] for c, name in enumerate(names)}

    def per_row(values: torch.Tensor) -> np.ndarray:
        return values.detach().cpu().double().numpy()

    columns: dict[str, object] = {"idx": np.arange(stages.n_rows)}
    if stages.target_kind == "index":
        columns["targ"] = stages.target.cpu().numpy()
        columns["ignored"] = stages.ignored.cpu().numpy()
    else:
        columns |= per_class("targ", stages.target)
    columns |= per_class("acts", stages.logits)
    columns["max"] = per_row(stages.row_max)
    columns |= per_class("exp(acts - max)", stages.exp)
    columns["sum exp"] = per_row(stages.exp_sum)
    columns["logsumexp"] = per_row(stages.log_sum_exp)
    columns |= per_class("softmax", stages.probs)
    columns |= per_class("log_softmax", stages.log_probs)
    columns["target prob"] = per_row(stages.target_prob)
    columns["target log prob"] = per_row(stages.target_log_prob)
    columns["target weight"] = per_row(stages.target_weight)
    columns["loss (reduction none)"] = per_row(stages.losses)
    columns |= per_class("grad", stages.grad)
    return pd.DataFrame(columns)
