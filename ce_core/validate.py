"""Check what a learner typed, on the CPU, before anything is computed or sent to a GPU.

Each check raises :class:`InputError` with a message that names the argument, row or cell
in words ("row 3, class 'dog' is empty"). Rows and classes are numbered from 0, like the
book's ``idx`` and PyTorch's class indices.

Fast path first: a well-formed matrix is checked with a few vectorized numpy/torch calls.
Only when something is wrong does the code walk the cells to find the first culprit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import torch

from ce_core.errors import InputError

ArrayLike = Any  # torch.Tensor | np.ndarray | nested lists of numbers
Reduction = Literal["none", "mean", "sum"]
REDUCTIONS: tuple[str, ...] = ("none", "mean", "sum")

MAX_CELLS = 1_000_000
PROBABILITY_SUM_TOLERANCE = 1e-3

_DTYPE_NAMES = {
    "float16": torch.float16,
    "half": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float": torch.float32,
    "float64": torch.float64,
    "double": torch.float64,
}


def _is_sequence(value: Any) -> bool:
    """A list, tuple or array of cells (text is a cell, not a sequence of characters)."""
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def is_single_row(values: Any) -> bool:
    """True for one sample (C,): a 1-D tensor/array, or a sequence holding no sequences."""
    if isinstance(values, (torch.Tensor, np.ndarray)):
        return values.ndim == 1
    return _is_sequence(values) and len(values) > 0 and not any(map(_is_sequence, values))


def class_label(column: int, class_names: Sequence[str] | None) -> str:
    """How a message names a class: "class 'dog'" when names are known, else "class 2"."""
    if class_names is not None and 0 <= column < len(class_names):
        return f"class {class_names[column]!r}"
    return f"class {column}"


def resolve_dtype(dtype: torch.dtype | str | None) -> torch.dtype | None:
    """``None`` (keep the input's dtype), a floating ``torch.dtype``, or its name."""
    if dtype is None:
        return None
    if isinstance(dtype, torch.dtype) and dtype.is_floating_point:
        return dtype
    if isinstance(dtype, str) and dtype.strip().lower().removeprefix("torch.") in _DTYPE_NAMES:
        return _DTYPE_NAMES[dtype.strip().lower().removeprefix("torch.")]
    raise InputError(
        f"dtype must be float32 or float64 (or float16/bfloat16), not {dtype!r}",
        argument="dtype",
    )


# ---------------------------------------------------------------------------- matrices


def _cell_to_float(value: Any, where: str, row: int, column: int, argument: str) -> float:
    """One cell of a matrix that did not convert as a whole: say exactly what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(f"{where} is empty", argument=argument, row=row, column=column)
    if isinstance(value, (bool, np.bool_)):
        raise InputError(
            f"{where} is {value}, not a number", argument=argument, row=row, column=column
        )
    if isinstance(value, (Real, np.number)) and not isinstance(value, complex):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise InputError(
        f"{where} is {value!r}, which is not a number", argument=argument, row=row, column=column
    )


def _rows_of(values: Any, argument: str, what: str) -> list[Sequence[Any]]:
    """A nested sequence as a list of rows; a single row (C,) becomes a batch of one."""
    if not _is_sequence(values):
        raise InputError(
            f"{what} must be a row of numbers or a matrix (rows of numbers), not {values!r}",
            argument=argument,
        )
    return [list(values)] if is_single_row(values) else list(values)  # (C,) -> (1, C)


def _walk_matrix(
    values: Any, argument: str, what: str, class_names: Sequence[str] | None
) -> np.ndarray:
    """Convert a nested sequence cell by cell; raise at the first ragged row or bad cell."""
    rows = _rows_of(values, argument, what)
    width = next((len(row) for row in rows if _is_sequence(row)), 0)
    if width == 0:
        raise InputError(
            f"{what}: the matrix is empty; it needs at least one row and one class",
            argument=argument,
        )
    _check_cell_count(len(rows) * width, argument, what)
    out = np.empty((len(rows), width), dtype=np.float64)
    for r, row in enumerate(rows):
        if not _is_sequence(row):
            raise InputError(
                f"{what}: row {r} is the single value {row!r}, but every row needs one "
                f"value per class ({width} here)",
                argument=argument,
                row=r,
            )
        if len(row) != width:
            raise InputError(
                f"{what}: row {r} has {len(row)} values but the rows before it have {width}; "
                f"every row needs one value per class",
                argument=argument,
                row=r,
            )
        for c, value in enumerate(row):
            where = _cell_where(what, r, c, class_names, single_row=is_single_row(values))
            out[r, c] = _cell_to_float(value, where, r, c, argument)
    return out


def _cell_where(
    what: str, row: int, column: int, class_names: Sequence[str] | None, *, single_row: bool
) -> str:
    """Where a bad cell is, in words: "activations: row 3, class 'dog'". A value given as a
    single row (C,), such as the class weights, has no row to name: "class weights: class 0"."""
    cell = class_label(column, class_names)
    return f"{what}: {cell}" if single_row else f"{what}: row {row}, {cell}"


def _check_cell_count(cells: int, argument: str, what: str) -> None:
    if cells > MAX_CELLS:
        raise InputError(
            f"{what} have {cells:,} cells; the limit is {MAX_CELLS:,} "
            f"(for example 1,000 rows x 1,000 classes)",
            argument=argument,
        )


def _first_non_finite(matrix: torch.Tensor) -> tuple[int, int, float]:
    """Row, column and value of the first NaN/inf cell of a 2-D matrix known to have one."""
    r, c = (int(i) for i in (~torch.isfinite(matrix)).nonzero()[0])
    return r, c, float(matrix[r, c])


def _non_finite_message(where: str, value: float) -> str:
    if math.isnan(value):
        return f"{where} is empty or not a number (NaN); type a number"
    sign = "+" if value > 0 else "-"
    return f"{where} is {sign}infinite; type a finite number"


def as_matrix(
    values: ArrayLike,
    *,
    argument: str = "logits",
    what: str = "activations",
    class_names: Sequence[str] | None = None,
) -> torch.Tensor:
    """Validate a matrix of numbers and return it as a 2-D tensor (N, C).

    A tensor keeps its device and floating dtype (integers become the default float dtype);
    numpy arrays keep their float dtype; nested lists become the default float dtype
    (float32), as ``torch.tensor`` would. A single row (C,) becomes a batch of one (1, C).
    """
    if isinstance(values, torch.Tensor):
        tensor = values.detach()
        if tensor.dtype == torch.bool or tensor.is_complex():
            raise InputError(f"{what} must be real numbers, not {tensor.dtype}", argument=argument)
        if not tensor.is_floating_point():
            tensor = tensor.to(torch.get_default_dtype())
    else:
        array = _as_numeric_array(values, argument, what, class_names)
        if not array.flags.writeable:  # e.g. a view of a pandas frame: torch wants to own it
            array = array.copy()
        tensor = torch.from_numpy(array)
        if not isinstance(values, np.ndarray):
            tensor = tensor.to(torch.get_default_dtype())
    single_row = tensor.dim() == 1
    if single_row:
        tensor = tensor.unsqueeze(0)
    if tensor.dim() != 2:
        raise InputError(
            f"{what} must be a row (C,) or a matrix (N, C), not shape {tuple(tensor.shape)}",
            argument=argument,
        )
    if tensor.numel() == 0:
        raise InputError(
            f"{what}: the matrix is empty; it needs at least one row and one class",
            argument=argument,
        )
    _check_cell_count(tensor.numel(), argument, what)
    # A NaN or inf anywhere makes the sum non-finite: one cheap pass when all is well. A
    # non-finite sum of finite cells (overflow) just falls through to the exact check.
    if not math.isfinite(float(tensor.sum())) and not bool(torch.isfinite(tensor).all()):
        r, c, value = _first_non_finite(tensor)
        where = _cell_where(what, r, c, class_names, single_row=single_row)
        raise InputError(_non_finite_message(where, value), argument=argument, row=r, column=c)
    return tensor


def _as_numeric_array(
    values: Any, argument: str, what: str, class_names: Sequence[str] | None
) -> np.ndarray:
    """A numpy array of a real float dtype, or the walker's precise message."""
    if isinstance(values, np.ndarray):
        _check_cell_count(values.size, argument, what)
        if values.dtype.kind == "f":
            return np.ascontiguousarray(values)
        if values.dtype.kind in "iu":
            return values.astype(np.float64)
        if values.dtype.kind in "OUS":  # cells from a table: None, text, mixed
            return _walk_matrix(values.tolist(), argument, what, class_names)
        raise InputError(f"{what} must be real numbers, not {values.dtype}", argument=argument)
    if _is_sequence(values) and len(values) and _is_sequence(values[0]):
        _check_cell_count(len(values) * len(values[0]), argument, what)  # before allocating
    try:
        array = np.asarray(values, dtype=np.float64)
    except (ValueError, TypeError):
        # Ragged rows, None, text: find the first offender and name it.
        return _walk_matrix(values, argument, what, class_names)
    if _has_bool(values):
        return _walk_matrix(values, argument, what, class_names)
    return array


def _has_bool(values: Any) -> bool:
    """``np.asarray`` turns True into 1.0 silently; a learner's True is a mistake."""
    for row in values if _is_sequence(values) else []:
        cells = row if _is_sequence(row) else [row]
        if any(isinstance(cell, (bool, np.bool_)) for cell in cells):
            return True
    return False


# ---------------------------------------------------------------------------- targets


def is_probability_target(target: Any, logits_ndim: int) -> bool:
    """PyTorch's rule: a target with the input's shape holds probabilities, else indices."""
    if isinstance(target, (torch.Tensor, np.ndarray)):
        return target.ndim == logits_ndim
    if logits_ndim == 1:
        return _is_sequence(target) and len(target) > 1
    return _is_sequence(target) and any(_is_sequence(row) for row in target)


def as_index_targets(
    target: Any,
    n_rows: int,
    n_classes: int,
    *,
    ignore_index: int = -100,
    class_names: Sequence[str] | None = None,
) -> torch.Tensor:
    """Validate class-index targets and return them as a (N,) long CPU tensor.

    Each target is a class number 0..C-1, ``ignore_index``, an integral float (``1.0`` from a
    spreadsheet) or, when ``class_names`` are given, a class name.
    """
    if isinstance(target, torch.Tensor):
        target = target.detach().cpu().numpy()  # checked on the CPU, never on the GPU
    try:
        cells = np.asarray(target)
    except ValueError:  # ragged
        cells = np.asarray(target, dtype=object)
    if _is_sequence(target) and any(isinstance(v, (bool, np.bool_)) for v in target):
        cells = np.asarray(target, dtype=object)  # numpy would turn True into 1 silently
    if cells.ndim > 1:
        raise InputError(
            f"targets must be one class per row, not shape {cells.shape}", argument="target"
        )
    cells = cells.reshape(-1)  # a scalar target (for a (C,) row) becomes [target]
    if len(cells) != n_rows:
        raise InputError(
            f"there are {len(cells)} targets for {n_rows} rows; give one target class per row",
            argument="target",
        )
    if cells.dtype.kind in "iu":
        # Integers: one vectorized range check; only a failing row is looked at closely.
        bad = (cells != ignore_index) & ((cells < 0) | (cells >= n_classes))
        if bad.any():
            row = int(np.argmax(bad))
            _target_number(cells[row].item(), row, n_classes, ignore_index, class_names)
        return torch.from_numpy(cells.astype(np.int64))
    numbers = [
        _target_number(value, r, n_classes, ignore_index, class_names)
        for r, value in enumerate(cells.tolist())
    ]
    return torch.tensor(numbers, dtype=torch.long)


def _target_number(
    value: Any, row: int, n_classes: int, ignore_index: int, class_names: Sequence[str] | None
) -> int:
    where = f"the target of row {row}"
    expected = f"a class number from 0 to {n_classes - 1}"
    if class_names is not None:
        expected += " or a class name"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InputError(f"{where} is empty; choose {expected}", argument="target", row=row)
    if isinstance(value, str):
        text = value.strip()
        if class_names is not None and text in class_names:
            return list(class_names).index(text)
        try:
            value = int(text)
        except ValueError:
            raise InputError(
                f"{where} is {value!r}; expected {expected}", argument="target", row=row
            ) from None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number)):
        raise InputError(f"{where} is {value!r}; expected {expected}", argument="target", row=row)
    if not isinstance(value, (Integral, np.integer)) and (
        not math.isfinite(value) or value != int(value)
    ):
        raise InputError(
            f"{where} is {value}, not a whole number; expected {expected}",
            argument="target",
            row=row,
        )
    number = int(value)
    if number != ignore_index and not 0 <= number < n_classes:
        raise InputError(
            f"{where} is {number}, but there are only {n_classes} classes, numbered 0 to "
            f"{n_classes - 1} (or {ignore_index} to ignore the row)",
            argument="target",
            row=row,
        )
    return number


def as_probability_targets(
    target: Any,
    shape: tuple[int, int],
    *,
    class_names: Sequence[str] | None = None,
    require_normalized: bool = True,
) -> torch.Tensor:
    """Validate class-probability targets (N, C): finite, >= 0, each row summing to 1.

    ``require_normalized=False`` accepts rows that do not sum to 1, as PyTorch does silently
    (the PyTorch page shows what that does to the loss, with a warning naming the rows).
    """
    what = "target probabilities"
    probs = as_matrix(target, argument="target", what=what, class_names=class_names)
    if tuple(probs.shape) != tuple(shape):
        raise InputError(
            f"{what} have shape {tuple(probs.shape)} but the activations have {tuple(shape)}; "
            f"give one probability per class for every row",
            argument="target",
        )
    probs = probs.cpu().to(torch.float64)
    negative = (probs < 0).nonzero()
    if len(negative):
        r, c = (int(i) for i in negative[0])
        raise InputError(
            f"{what}: row {r}, {class_label(c, class_names)} is {float(probs[r, c]):g}; "
            f"probabilities cannot be negative",
            argument="target",
            row=r,
            column=c,
        )
    if not require_normalized:
        return probs
    sums = probs.sum(1)
    off = unnormalized_rows(probs)
    if len(off):
        r = off[0]
        raise InputError(
            f"{what}: row {r} adds up to {float(sums[r]):.4g}, not 1 "
            f"(tolerance {PROBABILITY_SUM_TOLERANCE:g})",
            argument="target",
            row=r,
        )
    return probs


def unnormalized_rows(probs: torch.Tensor) -> list[int]:
    """The rows of a (N, C) probability matrix whose sum is not 1 (within the tolerance)."""
    sums = probs.detach().to(torch.float64).sum(1)
    return [int(r) for r in ((sums - 1).abs() > PROBABILITY_SUM_TOLERANCE).nonzero()[:, 0]]


# ---------------------------------------------------------------------------- options


def as_class_weight(
    weight: ArrayLike | None, n_classes: int, class_names: Sequence[str] | None = None
) -> torch.Tensor | None:
    """Validate a per-class weight (C,): finite and >= 0. ``None`` means all ones."""
    if weight is None:
        return None
    if isinstance(weight, torch.Tensor):
        weight = weight.detach().cpu()
    if np.ndim(weight) != 1:
        raise InputError(
            f"weight must be one number per class, not shape {np.shape(weight)}",
            argument="weight",
        )
    values = as_matrix(weight, argument="weight", what="class weights", class_names=class_names)
    if values.shape[1] != n_classes:
        raise InputError(
            f"weight has {values.shape[1]} entries but there are {n_classes} classes; "
            f"give one weight per class",
            argument="weight",
        )
    negative = (values[0] < 0).nonzero()
    if len(negative):
        c = int(negative[0, 0])
        raise InputError(
            f"the weight of {class_label(c, class_names)} is {float(values[0, c]):g}; "
            f"class weights cannot be negative",
            argument="weight",
            column=c,
        )
    return values[0]


def check_reduction(reduction: Any) -> None:
    if reduction not in REDUCTIONS:
        raise InputError(
            f"reduction must be one of {', '.join(map(repr, REDUCTIONS))}, not {reduction!r}",
            argument="reduction",
        )


def as_ignore_index(ignore_index: Any) -> int:
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, (Integral, np.integer)):
        raise InputError(
            f"ignore_index must be a whole number, not {ignore_index!r}", argument="ignore_index"
        )
    return int(ignore_index)


def as_label_smoothing(label_smoothing: Any) -> float:
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (Real, np.number)):
        raise InputError(
            f"label_smoothing must be a number between 0 and 1, not {label_smoothing!r}",
            argument="label_smoothing",
        )
    value = float(label_smoothing)
    if not 0.0 <= value <= 1.0:
        raise InputError(
            f"label_smoothing must be between 0 and 1, not {label_smoothing!r}",
            argument="label_smoothing",
        )
    return value
