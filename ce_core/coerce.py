"""Read what a learner typed (cells, rows, targets, class names) into tensors, on the CPU,
before anything is computed or sent to a GPU.

Each check raises :class:`InputError` whose message names the argument, row or cell
("row 3, class 'dog' is empty"). Rows and classes are numbered from 0, like the book's
``idx`` and PyTorch's class indices.

Fast path first: a well-formed matrix is checked with a few vectorized numpy/torch calls.
Only when something is wrong does the code walk the cells to find the first culprit.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
import torch

from ce_core.errors import InputError
from i18n import Message

ArrayLike = Any  # torch.Tensor | np.ndarray | nested lists of numbers
MAX_CELLS = 1_000_000
PROBABILITY_SUM_TOLERANCE = 1e-3


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


# ---------------------------------------------------------------------------- class names


@functools.lru_cache(maxsize=64)
def default_class_names(n_classes: int) -> tuple[str, ...]:
    """Classes named by their index: ("0", "1", ...), as PyTorch numbers them."""
    return tuple(str(c) for c in range(n_classes))


def as_class_names(class_names: Sequence[str] | None, n_classes: int) -> tuple[str, ...]:
    """One distinct name per class; ``None`` gives the default names."""
    if class_names is None:
        return default_class_names(n_classes)
    names = tuple(str(name) for name in class_names)
    if len(names) != n_classes:
        raise InputError("class_names_count", argument="class_names", count=len(names),
                         n_classes=n_classes)  # fmt: skip
    if len(set(names)) != len(names):
        raise InputError("class_names_repeated", argument="class_names")
    return names


def class_label(column: int, class_names: Sequence[str] | None) -> Message:
    """How a message names a class: "class 'dog'" when names are known, else "class 2"."""
    if class_names is not None and 0 <= column < len(class_names):
        return Message("error.class_named", {"name": class_names[column]})
    return Message("error.class_numbered", {"column": column})


def _what(what: str) -> Message:
    return Message(f"error.what_{what}")


def _cell(what: str, row: int, column: int, class_names: Sequence[str] | None,
          single_row: bool) -> Message:  # fmt: skip
    """Where a bad cell is: "activations: row 3, class 'dog'". A value given as a single row
    (C,), such as the class weights, has no row to name: "class weights: class 0"."""
    params = {"what": _what(what), "cls": class_label(column, class_names), "row": row}
    return Message("error.at_class" if single_row else "error.at_cell", params)


# ---------------------------------------------------------------------------- matrices


def _cell_to_float(value: Any, where: Message, location: dict) -> float:
    """One cell of a matrix that did not convert as a whole: say exactly what is wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError("cell_empty", where=where, **location)
    if isinstance(value, (bool, np.bool_)):
        raise InputError("cell_bool", where=where, value=value, **location)
    if isinstance(value, (Real, np.number)) and not isinstance(value, complex):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise InputError("cell_not_number", where=where, value=value, **location)


def _walk_matrix(
    values: Any, argument: str, what: str, class_names: Sequence[str] | None
) -> np.ndarray:
    """Convert a nested sequence cell by cell; raise at the first ragged row or bad cell."""
    if not _is_sequence(values):
        raise InputError("not_rows", argument=argument, what=_what(what), value=values)
    single_row = is_single_row(values)
    rows = [list(values)] if single_row else list(values)  # (C,) -> (1, C)
    width = next((len(row) for row in rows if _is_sequence(row)), 0)
    if width == 0:
        raise InputError("matrix_empty", argument=argument, what=_what(what))
    _check_cell_count(len(rows) * width, argument, what)
    out = np.empty((len(rows), width), dtype=np.float64)
    for r, row in enumerate(rows):
        if not _is_sequence(row):
            raise InputError("row_single_value", argument=argument, row=r, what=_what(what),
                             value=row, width=width)  # fmt: skip
        if len(row) != width:
            raise InputError("row_ragged", argument=argument, row=r, what=_what(what),
                             length=len(row), width=width)  # fmt: skip
        for c, value in enumerate(row):
            where = _cell(what, r, c, class_names, single_row)
            out[r, c] = _cell_to_float(value, where, {"argument": argument, "row": r, "column": c})
    return out


def _check_cell_count(cells: int, argument: str, what: str) -> None:
    if cells > MAX_CELLS:
        raise InputError("too_many_cells", argument=argument, what=_what(what), cells=cells,
                         limit=MAX_CELLS)  # fmt: skip


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
    ``what`` names the values in messages: a key of the catalog's ``error.what_*`` texts.
    """
    if isinstance(values, torch.Tensor):
        tensor = values.detach()
        if tensor.dtype == torch.bool or tensor.is_complex():
            raise InputError("not_real", argument=argument, what=_what(what), dtype=tensor.dtype)
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
        raise InputError("matrix_shape", argument=argument, what=_what(what),
                         shape=tuple(tensor.shape))  # fmt: skip
    if tensor.numel() == 0:
        raise InputError("matrix_empty", argument=argument, what=_what(what))
    _check_cell_count(tensor.numel(), argument, what)
    # A NaN or inf anywhere makes the sum non-finite: one cheap pass when all is well. A
    # non-finite sum of finite cells (overflow) just falls through to the exact check.
    if not math.isfinite(float(tensor.sum())) and not bool(torch.isfinite(tensor).all()):
        r, c = (int(i) for i in (~torch.isfinite(tensor)).nonzero()[0])
        value = float(tensor[r, c])
        where = _cell(what, r, c, class_names, single_row)
        location = {"argument": argument, "row": r, "column": c, "where": where}
        if math.isnan(value):
            raise InputError("cell_nan", **location)
        raise InputError("cell_infinite", sign="+" if value > 0 else "-", **location)
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
        raise InputError("not_real", argument=argument, what=_what(what), dtype=values.dtype)
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
    integers_only: bool = False,
) -> torch.Tensor:
    """Validate class-index targets and return them as a (N,) long CPU tensor.

    Each target is a class number 0..C-1, ``ignore_index``, an integral float (``1.0`` from a
    spreadsheet) or, when ``class_names`` are given, a class name. ``integers_only``
    (PyTorch's rule, for the functions of ``torch.nn.functional``'s names) refuses floats.
    """
    if isinstance(target, torch.Tensor):
        target = target.detach().cpu().numpy()  # checked on the CPU, never on the GPU
    try:
        cells = np.asarray(target)
    except ValueError:  # ragged
        cells = np.asarray(target, dtype=object)
    if integers_only and cells.dtype.kind not in "iu":
        raise InputError("targets_not_integers", argument="target", dtype=cells.dtype)
    if isinstance(target, Sequence) and any(isinstance(v, (bool, np.bool_)) for v in target):
        cells = np.asarray(target, dtype=object)  # numpy would turn True into 1 silently
    if cells.ndim > 1:
        raise InputError("targets_shape", argument="target", shape=cells.shape)
    cells = cells.reshape(-1)  # a scalar target (for a (C,) row) becomes [target]
    if len(cells) != n_rows:
        raise InputError("targets_count", argument="target", count=len(cells), n_rows=n_rows)
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
    named = "or_name" if class_names is not None else "only"
    expected = Message(f"error.expected_number_{named}", {"last": n_classes - 1})
    where = {"argument": "target", "row": row, "value": value, "expected": expected}
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InputError("target_empty", **where)
    if isinstance(value, str):
        text = value.strip()
        if class_names is not None and text in class_names:
            return list(class_names).index(text)
        try:
            value = int(text)
        except ValueError:
            raise InputError("target_not_class", **where) from None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number)):
        raise InputError("target_not_class", **where)
    if not isinstance(value, (Integral, np.integer)) and (
        not math.isfinite(value) or value != int(value)
    ):
        raise InputError("target_not_whole", **where)
    number = int(value)
    if number != ignore_index and not 0 <= number < n_classes:
        raise InputError("target_out_of_range", **(where | {"value": number}),
                         n_classes=n_classes, last=n_classes - 1,
                         ignore_index=ignore_index)  # fmt: skip
    return number


def as_probability_targets(
    target: Any,
    shape: tuple[int, int],
    *,
    class_names: Sequence[str] | None = None,
    require_normalized: bool = True,
) -> torch.Tensor:
    """Validate class-probability targets (N, C): finite, >= 0, each row summing to 1.

    Returned as float64 on the CPU. ``require_normalized=False`` accepts rows that do not
    sum to 1, as PyTorch does silently (the PyTorch page shows what that does to the loss,
    with a warning naming the rows).
    """
    what = "target_probabilities"
    probs = as_matrix(target, argument="target", what=what, class_names=class_names)
    if tuple(probs.shape) != tuple(shape):
        raise InputError("probabilities_shape", argument="target", what=_what(what),
                         shape=tuple(probs.shape), expected=tuple(shape))  # fmt: skip
    probs = probs.cpu().to(torch.float64)
    negative = (probs < 0).nonzero()
    if len(negative):
        r, c = (int(i) for i in negative[0])
        raise InputError("probability_negative", argument="target", row=r, column=c,
                         where=_cell(what, r, c, class_names, single_row=False),
                         value=float(probs[r, c]))  # fmt: skip
    off = unnormalized_rows(probs)
    if require_normalized and off:
        raise InputError("probability_row_sum", argument="target", row=off[0], what=_what(what),
                         total=float(probs[off[0]].sum()),
                         tolerance=PROBABILITY_SUM_TOLERANCE)  # fmt: skip
    return probs


def unnormalized_rows(probs: torch.Tensor) -> list[int]:
    """The rows of a (N, C) probability matrix whose sum is not 1 (within the tolerance)."""
    sums = probs.detach().to(torch.float64).sum(1)
    return [int(r) for r in ((sums - 1).abs() > PROBABILITY_SUM_TOLERANCE).nonzero()[:, 0]]


def as_row(
    values: Any, *, argument: str, what: str, class_names: Sequence[str] | None = None,
    low: float = -math.inf, high: float = math.inf, outside: str = "cell_out_of_range",
) -> torch.Tensor:  # fmt: skip
    """One value per class or label (C,), as typed in a table, in float64: finite numbers
    within [low, high]. A message names the cell ("q (the model): class 'dog' is empty");
    ``outside`` is the message code for a value beyond the bounds (its parameters: where,
    value, low, high)."""
    if not isinstance(values, torch.Tensor):
        # float64 (as_matrix makes a list float32), and one row (C,) even from a table's
        # cells; a text cell stays as it is, and as_matrix names it
        with contextlib.suppress(ValueError, TypeError):
            values = np.asarray(values, dtype=np.float64)
    rows = as_matrix(values, argument=argument, what=what, class_names=class_names)
    if rows.shape[0] != 1:
        raise InputError("not_one_row", argument=argument, name=argument, shape=tuple(rows.shape))
    row = rows[0].to(torch.float64)
    beyond = ((row < low) | (row > high)).nonzero().flatten()
    if len(beyond):
        c = int(beyond[0])
        where = Message("error.at_class", {"what": _what(what), "cls": class_label(c, class_names)})
        raise InputError(outside, argument=argument, column=c, where=where,
                         value=float(row[c]), low=low, high=high)  # fmt: skip
    return row
