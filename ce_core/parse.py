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

from ce_core.errors import InputError

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


def parse_numbers(text: str, *, argument: str = "pasted text") -> Parsed:
    """Parse a printout, a (nested) list or CSV into numbers; raise InputError otherwise."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"the {argument} is {len(text):,} characters long; at most {MAX_TEXT_CHARS:,} are read",
            argument=argument,
        )
    if not text or not text.strip():
        raise InputError(
            f"the {argument} is empty: paste a tensor, a list or CSV", argument=argument
        )
    if "..." in text or "…" in text:
        raise InputError(
            f"the {argument} is abbreviated with '...': PyTorch shortens big tensors when it "
            "prints them; print them in full with torch.set_printoptions(profile='full')",
            argument=argument,
        )
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
        raise InputError(
            f"the {argument} starts with {match.group(1)}(...); expected tensor(...), "
            "array(...), TensorCategory(...), a list or CSV",
            argument=argument,
        )
    body = text[match.end() :].rstrip()
    if not body.endswith(")"):
        raise InputError(f"the {argument} has an unclosed '('", argument=argument)
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
            raise InputError(
                f"the {argument} contains {word[:20]!r}, which is not a number",
                argument=argument,
            )
        token = match.group(1)
        position = match.end()
        if token == "[":
            stack.append([])
        elif token == "]":
            if len(stack) == 1:
                raise InputError(f"the {argument} has an extra ']'", argument=argument)
            closed = stack.pop()
            stack[-1].append(closed)
        elif token != ",":
            stack[-1].append(float(token))
    if len(stack) != 1:
        raise InputError(f"the {argument} has an unclosed '['", argument=argument)
    values = stack[0]
    if len(values) != 1 or not isinstance(values[0], list):
        raise InputError(
            f"the {argument} should be one bracketed list, like [[1, 2], [3, 4]]",
            argument=argument,
        )
    return values[0]


def _parse_csv(body: str, argument: str) -> Parsed:
    """Rows on lines; cells split by commas, tabs, semicolons or spaces."""
    lines = [line for line in body.splitlines() if line.strip()]
    rows = [[cell for cell in re.split(r"[,\t; ]+", line.strip()) if cell] for line in lines]
    names = None
    if rows and not all(_is_number(cell) for cell in rows[0]):
        names, rows = tuple(rows[0]), rows[1:]  # a header row
        if not rows:
            raise InputError(f"the {argument} has a header but no numbers", argument=argument)
    values = []
    for r, row in enumerate(rows):
        for cell in row:
            if not _is_number(cell):
                raise InputError(
                    f"the {argument}: line {r + 1 + (names is not None)} contains {cell[:20]!r}, "
                    "which is not a number",
                    argument=argument,
                )
        values.append([float(cell) for cell in row])
    return Parsed(values[0] if len(values) == 1 else values, names)


def _is_number(cell: str) -> bool:
    return re.fullmatch(_NUMBER, cell.strip(), re.I) is not None


def parse_targets(text: str, class_names: tuple[str, ...] | None = None) -> list:
    """Targets: a TensorCategory/tensor printout, a list, or numbers/class names in a line.

    Returns class indices (ints) or, for names, the names themselves (``explain`` maps them).
    """
    argument = "pasted targets"
    words = [w for w in re.split(r"[,\s;\[\]'\"]+", text.strip()) if w]
    if class_names and words and all(word in class_names for word in words):
        return words
    parsed = parse_numbers(text, argument=argument)
    values = parsed.values
    if values and isinstance(values[0], list):
        if all(len(row) == 1 for row in values):  # one per line in CSV
            values = [row[0] for row in values]
        else:
            raise InputError(
                "the pasted targets should be one class per row, like [0, 1, 0]", argument=argument
            )
    values = values if isinstance(values, list) else [values]
    return [int(v) if float(v).is_integer() else v for v in values]
