"""The home page's inputs: the batch's source (a preset, a seeded random batch, pasted text),
the editable matrix of activations and targets, and the selected sample.

Callbacks record each change in the page state (``ui.session``), which the URL mirrors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import ce_core
from i18n import Message, t
from ui import keys, session
from ui.batch import preset_titles
from ui.state import (
    DECIMALS,
    ITEM_SEP,
    MAX_CLASSES,
    MAX_ROWS,
    MAX_SEED,
    MIN_CLASSES,
    Source,
)
from ui.text import escape_markdown

TARG = "__targ__"  # the editor's target column (labelled "targ")
# 64 rows x 40 classes of printed floats with their brackets fit in about 40,000 characters:
# room to spare, and no megabyte of text reaches the parser.
MAX_PASTE_CHARS = 100_000


def source_picker(source: Source) -> ce_core.Preset:
    """Preset / random / pasted picker and the random batch's controls; returns the batch."""
    options = [*ce_core.PRESETS, "random"] + (["pasted"] if source.kind == "pasted" else [])
    titles = preset_titles() | {"random": t("pipeline.source_random"),
                                "pasted": t("pipeline.source_pasted")}  # fmt: skip
    st.session_state[keys.SOURCE_CHOICE] = source.preset if source.kind == "preset" else source.kind
    st.selectbox(t("pipeline.source"), options, format_func=titles.__getitem__,
                 key=keys.SOURCE_CHOICE, on_change=_on_source_choice,
                 help=t("pipeline.source_help"))  # fmt: skip
    if source.kind == "random":
        st.session_state.update({keys.RANDOM_ROWS: source.rows,
                                 keys.RANDOM_CLASSES: source.classes,
                                 keys.RANDOM_SEED: source.seed})  # fmt: skip
        rows_col, classes_col = st.columns(2)
        rows_col.slider(t("pipeline.rows"), 1, MAX_ROWS, key=keys.RANDOM_ROWS,
                        on_change=_on_random)  # fmt: skip
        classes_col.slider(t("pipeline.classes"), MIN_CLASSES, MAX_CLASSES,
                           key=keys.RANDOM_CLASSES, on_change=_on_random)  # fmt: skip
        st.number_input(t("pipeline.seed"), 0, MAX_SEED, key=keys.RANDOM_SEED, step=1,
                        on_change=_on_random, help=t("pipeline.seed_help"))  # fmt: skip
        st.caption(t("pipeline.random_note", rows=source.rows, classes=source.classes,
                     seed=source.seed))  # fmt: skip
    batch = source.batch()
    if source.kind == "preset":
        st.caption(t("pipeline.preset_note", source=batch.source.render()))
    return batch


def _on_source_choice() -> None:
    # "pasted" is only offered while the pasted batch is the current one: nothing to do.
    choice = st.session_state[keys.SOURCE_CHOICE]
    if choice == "random":
        session.change_source(Source(kind="random"))
    elif choice in ce_core.PRESETS:
        session.change_source(Source(kind="preset", preset=choice))


def _on_random() -> None:
    session.change_source(
        Source(kind="random", rows=int(st.session_state[keys.RANDOM_ROWS]),
               classes=int(st.session_state[keys.RANDOM_CLASSES]),
               seed=int(st.session_state[keys.RANDOM_SEED]))
    )  # fmt: skip


def paste_box() -> None:
    """ "Paste your own": printouts, lists or CSV for the activations and the targets."""
    with st.expander(t("pipeline.paste_header")):
        st.caption(t("pipeline.paste_help"))
        st.text_area(t("pipeline.paste_acts"), key=keys.PASTE_ACTS, height=110,
                     max_chars=MAX_PASTE_CHARS,
                     placeholder=t("pipeline.paste_acts_placeholder"))  # fmt: skip
        st.text_area(t("pipeline.paste_targets"), key=keys.PASTE_TARGETS, height=68,
                     max_chars=MAX_PASTE_CHARS // 10,
                     placeholder=t("pipeline.paste_targets_placeholder"))  # fmt: skip
        st.button(t("pipeline.paste_button"), on_click=_on_paste)
        # kept as messages, rendered here: in the language chosen now
        if error := st.session_state.get(keys.PASTE_ERROR):
            st.error(escape_markdown(error.render()))  # it may quote what was pasted
        if note := st.session_state.get(keys.PASTE_NOTE):
            st.info(escape_markdown(note.render()))


def _on_paste() -> None:
    st.session_state[keys.PASTE_ERROR] = st.session_state[keys.PASTE_NOTE] = None
    try:
        source, note = pasted_source(st.session_state.get(keys.PASTE_ACTS, ""),
                                     st.session_state.get(keys.PASTE_TARGETS, ""))  # fmt: skip
    except ce_core.InputError as error:
        st.session_state[keys.PASTE_ERROR] = error.message
        return
    st.session_state[keys.PASTE_NOTE] = note
    session.change_source(source)


def pasted_source(acts_text: str, targets_text: str) -> tuple[Source, Message | None]:
    """Pasted text as a Source the page can show and a link can carry (raises InputError
    with the reason), and a note when no targets were pasted."""
    pasted = ce_core.read_activations(acts_text)
    n_rows, n_classes = pasted.logits.shape
    argument = "pasted_activations"
    if n_classes < MIN_CLASSES:
        raise ce_core.InputError("paste_too_few_classes", argument=argument)
    if n_rows > MAX_ROWS or n_classes > MAX_CLASSES:
        raise ce_core.InputError(
            "paste_too_big", argument=argument, max_rows=MAX_ROWS, max_classes=MAX_CLASSES,
            rows=n_rows, classes=n_classes,
        )  # fmt: skip
    if any(ITEM_SEP in name for name in pasted.class_names):  # the URL separates names with it
        raise ce_core.InputError("paste_bad_name", argument=argument, sep=ITEM_SEP)
    note, targets = Message("pipeline.paste_default_targets"), [0] * n_rows
    if targets_text.strip():
        note = None
        targets = ce_core.read_targets(targets_text, n_rows, pasted.class_names).tolist()
    acts = tuple(tuple(round(v, DECIMALS) for v in row) for row in pasted.logits.tolist())
    return Source(kind="pasted", acts=acts, targets=tuple(targets),
                  class_names=pasted.class_names), note  # fmt: skip


def activation_editor(batch: ce_core.Preset) -> tuple[np.ndarray, list[int | None]]:
    """The acts matrix and a target column, editable; returns (acts (N, C), targets (N,)).

    Cleared cells come back as NaN and cleared targets as None: ce_core names them.
    """
    names = list(batch.class_names)
    acts, targets = st.session_state[keys.EDITOR_BASE]
    frame = pd.DataFrame(np.array(acts, dtype=float), columns=names)
    frame[TARG] = pd.Series([None if k is None else names[k] for k in targets], dtype=object)
    frame.index.name = "idx"
    number = st.column_config.NumberColumn(format=f"%.{DECIMALS}f", step=10**-DECIMALS)
    target_column = st.column_config.SelectboxColumn(
        t("pipeline.targ_column"), options=names, help=t("pipeline.targ_column_help"), pinned=True
    )
    edited = st.data_editor(
        frame, key=keys.EDITOR, num_rows="fixed",
        column_config=dict.fromkeys(names, number) | {TARG: target_column},
        column_order=[TARG, *names], alt=t("pipeline.editor_help"),
    )  # fmt: skip
    index_of = {name: k for k, name in enumerate(names)}
    new_targets = [index_of.get(v) if isinstance(v, str) else None for v in edited[TARG]]
    return edited[names].to_numpy(dtype=float), new_targets


def sample_selector(n_rows: int) -> int:
    """The selected sample: a slider, moved also by clicking a bar of the loss chart."""
    event = st.session_state.get(keys.TARGET_LOSS_CHART) or {}
    points = (event.get("selection") or {}).get("points") or []
    if points:
        picked = int(points[0].get("point_index", points[0].get("x", 0)))
        if st.session_state.get(keys.APPLIED_SELECTION) != picked:
            st.session_state[keys.APPLIED_SELECTION] = picked
            st.session_state[keys.SAMPLE] = picked
    sample = min(max(int(st.session_state.get(keys.SAMPLE, 0)), 0), n_rows - 1)
    st.session_state[keys.SAMPLE] = sample
    if n_rows == 1:
        st.caption(t("pipeline.single_sample"))
        return 0
    return st.slider(t("pipeline.sample"), 0, n_rows - 1, key=keys.SAMPLE,
                     help=t("pipeline.sample_help"))  # fmt: skip
