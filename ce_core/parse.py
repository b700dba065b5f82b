"""Read what a learner copies out of a notebook: tensor/array printouts, lists, or CSV.

A small tokenizer and a bracket parser, never ``eval``: anything that is not a number, a
bracket, a separator or a known printout wrapper is reported by name.

    tensor([[ 3.8538,  2.9746, -0.9948], ...], device='cuda:0', grad_fn=<...>)
    array([[0.1, 0.2], [0.3, 0.4]], dtype=float32)
    [[1, 2], [3, 4]]            [[1. 2.]\n [3. 4.]]   (numpy's print without commas)
    cat,dog\n0.5,0.5\n0.9,0.1   (CSV; a first row of names becomes the class names)
    TensorCategory([7, 1, 0, 14], device='cuda:0')      (targets)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from ce_core.coerce import as_index_targets, as_matrix, default_class_names
from ce_core.errors import InputError
from i18n import Message

# tensor( / array( / TensorCategory( / TensorBase( ... up to the matching ")"
_WRAPPER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\(", re.S)
# keyword tails PyTorch and numpy print after the data
_TAIL = re.compile(
    r",\s*(?:device|dtype|grad_fn|requires_grad|names|layout)\s*=\s*"
    r"(?:'[^']*'|\"[^\"]*\"|<[^>]*>|[A-Za-z0-9_.:]+)",
    re.S,
)
_NUMBER = r"[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf)"
_TOKEN = re.compile(rf"\s*(\[|\]|,|{_NUMBER})", re.I)
_KNOWN_WRAPPERS = {"tensor", "array", "tensorcategory", "tensorbase", "tensormulticategory"}


@dataclass(frozen=True)
class Parsed:
    """Numbers as nested lists (one level for a row or targets, two for a matrix)."""

    values: list
    class_names: tuple[str, ...] | None = None  # from a CSV header, when there was one


# explain() takes at most MAX_CELLS numbers; at 40 characters each, with room for brackets,
# this is more text than any valid input needs, and less than a parser should walk.
MAX_TEXT_CHARS = 40 * 1_000_000


def _error(code: str, argument: str, **params: object) -> InputError:
    """An InputError about pasted text; ``argument`` also names it (``error.what_*``)."""
    return InputError(code, argument=argument, what=Message(f"error.what_{argument}"), **params)


def parse_numbers(text: str, *, argument: str = "pasted_text") -> Parsed:
    """Parse a printout, a (nested) list or CSV into numbers; raise InputError otherwise.

    ``argument`` is what the text is (``pasted_text``, ``pasted_activations``,
    ``pasted_targets``): the error's argument, and the noun its message uses.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise _error("paste_too_long", argument, length=len(text), limit=MAX_TEXT_CHARS)
    if not text or not text.strip():
        raise _error("paste_empty", argument)
    if "..." in text or "…" in text:
        raise _error("paste_abbreviated", argument)
    body = _strip_wrapper(text, argument)
    if "[" in body:
        return Parsed(_parse_brackets(body, argument))
    return _parse_csv(body, argument)


def _strip_wrapper(text: str, argument: str) -> str:
    match = _WRAPPER.match(text)
    if not match:
        return text.strip()
    name = match.group(1).rsplit(".", 1)[-1].lower()
    if name not in _KNOWN_WRAPPERS:
        raise _error("paste_unknown_wrapper", argument, name=match.group(1))
    body = text[match.end() :].rstrip()
    if not body.endswith(")"):
        raise _error("paste_unclosed_paren", argument)
    return _TAIL.sub("", body[:-1]).strip()


def _parse_brackets(body: str, argument: str) -> list:
    """Nested lists from '[', ']', numbers and optional commas (numpy prints none)."""
    stack: list[list] = [[]]
    position = 0
    while position < len(body):
        match = _TOKEN.match(body, position)
        if not match:
            leftover = body[position:].strip()
            if not leftover:
                break
            word = re.match(r"[^\s,\]]+|\S", leftover).group(0)  # up to a separator
            raise _error("paste_not_number", argument, word=word[:20])
        token = match.group(1)
        position = match.end()
        if token == "[":
            stack.append([])
        elif token == "]":
            if len(stack) == 1:
                raise _error("paste_extra_bracket", argument)
            closed = stack.pop()
            stack[-1].append(closed)
        elif token != ",":
            stack[-1].append(float(token))
    if len(stack) != 1:
        raise _error("paste_unclosed_bracket", argument)
    values = stack[0]
    if len(values) != 1 or not isinstance(values[0], list):
        raise _error("paste_not_one_list", argument)
    return values[0]


def _parse_csv(body: str, argument: str) -> Parsed:
    """Rows on lines; cells split by commas, tabs, semicolons or spaces."""
    lines = [line for line in body.splitlines() if line.strip()]
    rows = [[cell for cell in re.split(r"[,\t; ]+", line.strip()) if cell] for line in lines]
    names = None
    if rows and not all(_is_number(cell) for cell in rows[0]):
        names, rows = tuple(rows[0]), rows[1:]  # a header row
        if not rows:
            raise _error("paste_header_only", argument)
    values = []
    for r, row in enumerate(rows):
        for cell in row:
            if not _is_number(cell):
                raise _error("paste_line_not_number", argument,
                             line=r + 1 + (names is not None), word=cell[:20])  # fmt: skip
        values.append([float(cell) for cell in row])
    return Parsed(values[0] if len(values) == 1 else values, names)


def _is_number(cell: str) -> bool:
    return re.fullmatch(_NUMBER, cell.strip(), re.I) is not None


def parse_targets(text: str, class_names: tuple[str, ...] | None = None) -> list:
    """Targets: a TensorCategory/tensor printout, a list, or numbers/class names in a line.

    Returns class indices (ints) or, for names, the names themselves (``explain`` maps them).
    """
    argument = "pasted_targets"
    words = [w for w in re.split(r"[,\s;\[\]'\"]+", text.strip()) if w]
    if class_names and words and all(word in class_names for word in words):
        return words
    parsed = parse_numbers(text, argument=argument)
    values = parsed.values
    if values and isinstance(values[0], list):
        if all(len(row) == 1 for row in values):  # one per line in CSV
            values = [row[0] for row in values]
        else:
            raise _error("paste_targets_not_one_per_row", argument)
    values = values if isinstance(values, list) else [values]
    return [int(v) if float(v).is_integer() else v for v in values]


@dataclass(frozen=True)
class PastedActivations:
    """Activations read from pasted text, and their class names."""

    logits: torch.Tensor  # (N, C) float64
    class_names: tuple[str, ...]  # a CSV header's, when it names every class once; else "0".."C-1"


def read_activations(text: str) -> PastedActivations:
    """Pasted activations (a printout, lists or CSV), checked cell by cell."""
    parsed = parse_numbers(text, argument="pasted_activations")
    logits = as_matrix(parsed.values, what="pasted_activations").double()  # (N, C)
    names = default_class_names(logits.shape[1])
    if parsed.class_names and len(set(parsed.class_names)) == logits.shape[1]:
        names = parsed.class_names
    return PastedActivations(logits, names)


def read_targets(text: str, n_rows: int, class_names: tuple[str, ...]) -> torch.Tensor:
    """Pasted targets (indices or class names) for ``n_rows`` rows, checked: (N,) long."""
    raw = parse_targets(text, class_names)
    return as_index_targets(raw, n_rows, len(class_names), class_names=class_names)
