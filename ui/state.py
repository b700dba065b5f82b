"""The home page's whole state, and its URL encoding (pure: no Streamlit here).

A state is a *source* batch (a preset, a seeded random batch, or pasted numbers), the
learner's edits on top of it (cells and targets), the selected sample and the sidebar's
options. The URL carries exactly that, compactly: a preset is its key, a random batch its
size and seed, and edits are ``row_col_value`` items, so a shared link stays short.

    ?p=3-vs-7&e=0_1_-0.5~3_0_&te=2_1&i=2&dt=float64

Parsing is strict and never raises: every malformed parameter is reported as a
``UrlProblem`` (why, and the default used instead, as catalog messages) and replaced by its
default; unknown parameters are ignored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import ce_core
from i18n import DEFAULT_LANGUAGE, LANGUAGES, Message

MAX_ROWS = 64
MIN_CLASSES, MAX_CLASSES = 2, 40
DECIMALS = 4  # the editor's precision; URLs round to it
DEFAULT_PRESET = "3-vs-7"
DEFAULT_SEED = ce_core.presets.RANDOM_BATCH_SEED
MAX_SEED = 2**31 - 1
MAX_PARAM_CHARS = 60_000
DTYPES = ("float32", "float64")
ITEM_SEP, FIELD_SEP = "~", "_"  # both unreserved in URLs: no percent-encoding

CellEdits = dict[tuple[int, int], float | None]  # (row, col) -> value, None = cleared
TargetEdits = dict[int, int | None]  # row -> class index, None = cleared


@dataclass(frozen=True)
class Source:
    """Where the batch comes from, before the learner's edits."""

    kind: str = "preset"  # "preset" | "random" | "pasted"
    preset: str = DEFAULT_PRESET
    rows: int = 6
    classes: int = 3
    seed: int = DEFAULT_SEED
    acts: tuple[tuple[float, ...], ...] = ()  # pasted only
    targets: tuple[int, ...] = ()  # pasted only
    class_names: tuple[str, ...] = ()  # pasted only

    def batch(self) -> ce_core.Preset:
        """The source as a Preset: acts (N, C), targets (N,), class names, a note."""
        if self.kind == "random":
            return ce_core.random_preset(self.rows, self.classes, self.seed)
        if self.kind == "pasted":
            return ce_core.Preset("pasted", self.acts, self.targets, self.class_names)
        return ce_core.PRESETS[self.preset]


@dataclass(frozen=True)
class PageState:
    source: Source = field(default_factory=Source)
    cell_edits: CellEdits = field(default_factory=dict)
    target_edits: TargetEdits = field(default_factory=dict)
    sample: int = 0
    device: str = "auto"
    dtype: str = "float32"
    reduction: str = "mean"
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class UrlProblem:
    """A malformed URL parameter: which, why, and the default used instead."""

    param: str
    reason: Message
    default: Message


# ---------------------------------------------------------------------------- encoding


def format_number(value: float) -> str:
    """Round to the editor's precision and drop trailing zeros: -0.50 -> "-0.5"."""
    text = f"{round(value, DECIMALS):.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def encode(state: PageState) -> dict[str, str]:
    """The query parameters that reproduce ``state`` (defaults left out)."""
    params: dict[str, str] = {}
    source = state.source
    if source.kind == "random":
        params["r"] = f"{source.rows}x{source.classes}"
        params["seed"] = str(source.seed)
    elif source.kind == "pasted":
        params["m"] = ITEM_SEP.join(FIELD_SEP.join(map(format_number, row)) for row in source.acts)
        params["t"] = FIELD_SEP.join(map(str, source.targets))
        if source.class_names != ce_core.default_class_names(len(source.class_names)):
            params["n"] = ITEM_SEP.join(source.class_names)
    elif source.preset != DEFAULT_PRESET:
        params["p"] = source.preset
    if state.cell_edits:
        params["e"] = ITEM_SEP.join(
            f"{r}{FIELD_SEP}{c}{FIELD_SEP}{'' if v is None else format_number(v)}"
            for (r, c), v in sorted(state.cell_edits.items())
        )
    if state.target_edits:
        params["te"] = ITEM_SEP.join(
            f"{r}{FIELD_SEP}{'' if k is None else k}" for r, k in sorted(state.target_edits.items())
        )
    defaults = PageState()
    for name, value, default in (
        ("i", str(state.sample), str(defaults.sample)),
        ("dev", state.device, defaults.device),
        ("dt", state.dtype, defaults.dtype),
        ("red", state.reduction, defaults.reduction),
        ("lang", state.language, defaults.language),
    ):
        if value != default:
            params[name] = value
    return params


# ---------------------------------------------------------------------------- decoding


class _BadParamError(ValueError):
    """A parameter that does not parse: why, as a message of the catalog's [url] section."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.reason = Message(f"url.{code}", params)


def _integer(text: str, low: int, high: int, what: str) -> int:
    if not re.fullmatch(r"-?\d{1,10}", text):
        raise _BadParamError("not_whole", value=text[:20])
    value = int(text)
    if not low <= value <= high:
        raise _BadParamError("out_of_range", what=Message(f"url.what_{what}"), low=low, high=high)
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _BadParamError("not_number", value=text[:20]) from None
    if not math.isfinite(value):
        raise _BadParamError("not_finite", value=text[:20])
    return value


def _choice(text: str, choices: tuple[str, ...]) -> str:
    if text not in choices:
        raise _BadParamError("not_one_of", value=text[:20], choices=", ".join(choices))
    return text


def _decode_random(size: str, seed: str | None) -> Source:
    match = re.fullmatch(r"(\d{1,3})x(\d{1,3})", size)
    if not match:
        raise _BadParamError("not_size", value=size[:20])
    rows = _integer(match.group(1), 1, MAX_ROWS, "rows")
    classes = _integer(match.group(2), MIN_CLASSES, MAX_CLASSES, "classes")
    seed_value = DEFAULT_SEED if seed is None else _integer(seed, 0, MAX_SEED, "seed")
    return Source(kind="random", rows=rows, classes=classes, seed=seed_value)


def _decode_pasted(matrix: str, targets: str | None, names: str | None) -> Source:
    rows = [[_finite(v) for v in row.split(FIELD_SEP)] for row in matrix.split(ITEM_SEP)]
    n_classes = len(rows[0])
    if any(len(row) != n_classes for row in rows):
        raise _BadParamError("ragged")
    if not (1 <= len(rows) <= MAX_ROWS and MIN_CLASSES <= n_classes <= MAX_CLASSES):
        raise _BadParamError("too_big", max_rows=MAX_ROWS, min_classes=MIN_CLASSES,
                             max_classes=MAX_CLASSES)  # fmt: skip
    target_list = [0] * len(rows)
    if targets:
        target_list = [_integer(t, 0, n_classes - 1, "target") for t in targets.split(FIELD_SEP)]
        if len(target_list) != len(rows):
            raise _BadParamError("targets_count", count=len(target_list), rows=len(rows))
    class_names = ce_core.default_class_names(n_classes)
    if names:
        given = tuple(names.split(ITEM_SEP))
        if len(given) == n_classes and len(set(given)) == n_classes and all(given):
            class_names = given
    return Source(
        kind="pasted",
        acts=tuple(tuple(row) for row in rows),
        targets=tuple(target_list),
        class_names=class_names,
    )


def _edit_items(text: str, n_fields: int, form: str) -> list[list[str]]:
    """``a_b_c~d_e_f`` -> [["a", "b", "c"], ["d", "e", "f"]], each with ``n_fields`` fields."""
    items = [item.split(FIELD_SEP) for item in text.split(ITEM_SEP)]
    for item in items:
        if len(item) != n_fields:
            raise _BadParamError("not_item", value=FIELD_SEP.join(item)[:20], form=form)
    return items


def _decode_cell_edits(text: str, shape: tuple[int, int]) -> CellEdits:
    edits: CellEdits = {}
    for row, col, value in _edit_items(text, 3, "row_column_value"):
        key = (
            _integer(row, 0, shape[0] - 1, "row"),
            _integer(col, 0, shape[1] - 1, "column"),
        )
        edits[key] = None if value == "" else _finite(value)
    return edits


def _decode_target_edits(text: str, shape: tuple[int, int]) -> TargetEdits:
    edits: TargetEdits = {}
    for row, value in _edit_items(text, 2, "row_class"):
        target = None if value == "" else _integer(value, 0, shape[1] - 1, "class")
        edits[_integer(row, 0, shape[0] - 1, "row")] = target
    return edits


def decode(params: Mapping[str, str]) -> tuple[PageState, list[UrlProblem]]:
    """The state a URL's query parameters describe, and what could not be understood."""
    problems: list[UrlProblem] = []
    state = PageState()

    def attempt(name: str, default: Message, parse):  # noqa: ANN001
        text = params.get(name)
        if text is None:
            return None
        try:
            if len(text) > MAX_PARAM_CHARS:
                raise _BadParamError("too_long", limit=MAX_PARAM_CHARS)
            return parse(text)
        except _BadParamError as bad:
            problems.append(UrlProblem(name, bad.reason, default))
            return None

    default_source = Message("url.default_preset", {"preset": DEFAULT_PRESET})
    no_edits = Message("url.default_no_edits")
    source = (
        attempt("m", default_source, lambda m: _decode_pasted(m, params.get("t"), params.get("n")))
        or attempt("r", default_source, lambda r: _decode_random(r, params.get("seed")))
        or attempt("p", default_source, lambda p: Source(preset=_choice(p, tuple(ce_core.PRESETS))))
        or state.source
    )
    shape = source.batch().shape
    cell_edits = attempt("e", no_edits, lambda e: _decode_cell_edits(e, shape)) or {}
    target_edits = attempt("te", no_edits, lambda te: _decode_target_edits(te, shape)) or {}
    sample = attempt("i", Message("url.default_sample"),
                     lambda i: _integer(i, 0, shape[0] - 1, "sample"))  # fmt: skip

    def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
        value = attempt(name, Message("url.default_value", {"value": default}),
                        lambda text: _choice(text, choices))  # fmt: skip
        return value or default

    state = replace(
        state,
        source=source,
        cell_edits=cell_edits,
        target_edits=target_edits,
        sample=sample if sample is not None else state.sample,
        device=choice("dev", state.device, ce_core.DEVICE_CHOICES),
        dtype=choice("dt", state.dtype, DTYPES),
        reduction=choice("red", state.reduction, ce_core.REDUCTIONS),
        language=choice("lang", state.language, tuple(LANGUAGES)),
    )
    return state, problems


# ---------------------------------------------------------------------------- edits


def apply_edits(
    batch: ce_core.Preset, cell_edits: CellEdits, target_edits: TargetEdits
) -> tuple[list[list[float | None]], list[int | None]]:
    """The batch's acts (N, C) and targets (N,) with the edits applied (None = cleared)."""
    acts: list[list[float | None]] = [list(row) for row in batch.logits]
    for (row, col), value in cell_edits.items():
        acts[row][col] = value
    targets: list[int | None] = list(batch.targets)
    for row, value in target_edits.items():
        targets[row] = value
    return acts, targets


def diff_edits(
    batch: ce_core.Preset,
    acts: list[list[float | None]],
    targets: list[int | None],
) -> tuple[CellEdits, TargetEdits]:
    """The edits that turn ``batch`` into (acts, targets); NaN and None both mean cleared."""
    cell_edits: CellEdits = {}
    for r, (base_row, row) in enumerate(zip(batch.logits, acts, strict=True)):
        for c, (base, value) in enumerate(zip(base_row, row, strict=True)):
            cleared = value is None or (isinstance(value, float) and math.isnan(value))
            if cleared:
                cell_edits[(r, c)] = None
            elif value != base:
                cell_edits[(r, c)] = float(value)
    target_edits: TargetEdits = {
        r: value
        for r, (base, value) in enumerate(zip(batch.targets, targets, strict=True))
        if value != base
    }
    return cell_edits, target_edits
