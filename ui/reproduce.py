"""What a page hands over: code that rebuilds its numbers, and a CSV of the stages.

Pure functions of a ``Stages``: no Streamlit. The code is self-contained (torch only) and
prints one line per route, ``name: value``, which a test runs and compares with the page.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from ce_core import Stages, reference
from i18n import t


def _number(value: float, dtype: str) -> str:
    """The shortest text that reads back as the same number in ``dtype``."""
    kind = np.float32 if dtype == "float32" else np.float64
    return np.format_float_positional(kind(value), unique=True, trim="-")


def _matrix(values: torch.Tensor, dtype: str, indent: str) -> str:
    rows = values.detach().cpu().double().tolist()
    lines = ["[" + ", ".join(_number(v, dtype) for v in row) + "]" for row in rows]
    return "[" + f",\n{indent}".join(lines) + "]"


def tensor_lines(stages: Stages) -> list[str]:
    """The start of a program: the imports, then ``acts`` (N, C), ``targ`` ((N,) indices or
    (N, C) probabilities) and ``weight`` (C,) when given, exactly as the page had them."""
    dtype = stages.dtype
    indent = " " * len("acts = torch.tensor([")
    lines = [
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
        "",
        f'device = "cpu"  # {t("code.computed_on", device=stages.device)}',
        f"acts = torch.tensor({_matrix(stages.logits, dtype, indent)},",
        f"                    dtype=torch.{dtype}, device=device)",
    ]
    if stages.target_kind == "index":
        targ = ", ".join(str(int(v)) for v in stages.target.tolist())
        lines.append(f"targ = torch.tensor([{targ}], device=device)  # {t('code.indices')}")
    else:
        indent = " " * len("targ = torch.tensor([")
        lines += [
            f"targ = torch.tensor({_matrix(stages.target, dtype, indent)},",
            f"                    dtype=torch.{dtype}, device=device)  # {t('code.probabilities')}",
        ]
    if stages.weight is not None:
        values = ", ".join(_number(float(w), dtype) for w in stages.weight.tolist())
        lines.append(f"weight = torch.tensor([{values}], dtype=torch.{dtype}, device=device)")
    return lines


def options_code(stages: Stages, *, reduction: str | None = None, smoothing: bool = True) -> str:
    """The page's options as keyword arguments, ``weight=..., ignore_index=..., reduction=...,
    label_smoothing=...``; ``reduction`` overrides the page's, and ``smoothing=False`` leaves
    ``label_smoothing`` out (``F.nll_loss`` has none)."""
    weight = "None" if stages.weight is None else "weight"
    reduction = stages.reduction if reduction is None else reduction
    options = f"weight={weight}, ignore_index={stages.ignore_index}, reduction={reduction!r}"
    return options + (f", label_smoothing={stages.label_smoothing:g}" if smoothing else "")


def pytorch_code(stages: Stages) -> str:
    """A Python program that rebuilds the tensors and options, walks the book's steps where
    they apply (class indices, no row ignored), and prints every route, ``name: value``."""
    lines = tensor_lines(stages)
    if stages.target_kind == "index" and not bool(stages.ignored.any()):
        lines += [
            "",
            f"sm_acts = torch.softmax(acts, dim=1)   # {t('code.rows_sum_to_1')}",
            "idx = range(len(targ))",
            f"sm_acts[idx, targ]                     # {t('code.target_probs')}",
            f"-torch.log(sm_acts[idx, targ])         # {t('code.losses')}",
        ]
    options = options_code(stages, smoothing=False)  # nll_loss's: no label_smoothing
    name = {key: t(f"pytorch.route_{key}") for key in reference.ROUTE_KEYS}
    lines += ["", "routes = {"]
    if stages.label_smoothing == 0:
        if stages.target_kind == "index":
            via_log, via_log_softmax = name["softmax_log_nll"], name["log_softmax_nll"]
            lines += [
                f'    "{via_log}": F.nll_loss(torch.log(torch.softmax(acts, dim=1)),',
                f"                                          targ, {options}),",
                f'    "{via_log_softmax}": F.nll_loss(torch.log_softmax(acts, dim=1), targ,',
                f"                                        {options}),",
            ]
        else:
            reduce = {"mean": ".mean()", "sum": ".sum()", "none": ""}[stages.reduction]
            scale = "" if stages.weight is None else "weight * "
            lines += [
                f"    # {t('code.soft_nll')}",
                f'    "{name["softmax_log_nll"]}": '
                f"-({scale}targ * torch.log(torch.softmax(acts, dim=1))).sum(1){reduce},",
                f'    "{name["log_softmax_nll"]}": '
                f"-({scale}targ * torch.log_softmax(acts, dim=1)).sum(1){reduce},",
            ]
    lines += [
        f'    "{name["module"]}": nn.CrossEntropyLoss({options_code(stages)})(acts, targ),',
        f'    "{name["functional"]}": F.cross_entropy(acts, targ, {options_code(stages)}),',
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
        columns[t("csv.ignored")] = stages.ignored.cpu().numpy()
    else:
        columns |= per_class("targ", stages.target)
    columns |= per_class("acts", stages.logits)
    columns["max"] = per_row(stages.row_max)
    columns |= per_class("exp(acts - max)", stages.exp)
    columns[t("csv.sum_exp")] = per_row(stages.exp_sum)
    columns["logsumexp"] = per_row(stages.log_sum_exp)
    columns |= per_class("softmax", stages.probs)
    columns |= per_class("log_softmax", stages.log_probs)
    columns[t("csv.target_prob")] = per_row(stages.target_prob)
    columns[t("csv.target_log_prob")] = per_row(stages.target_log_prob)
    columns[t("csv.target_weight")] = per_row(stages.target_weight)
    columns[t("csv.loss")] = per_row(stages.losses)
    columns |= per_class("grad", stages.grad)
    return pd.DataFrame(columns)
