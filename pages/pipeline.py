"""Pipeline (home): a batch of activations, every stage of cross-entropy, PyTorch's check.

Thin by design: read widgets -> ce_core.explain -> figures -> show. State and URL live in
``ui.session`` / ``ui.state``; every sentence in ``i18n``; every number in ``ce_core``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

import ce_core
import figures
from i18n import t
from ui import boundary, entry, session, sidebar
from ui.charts import show_chart
from ui.state import (
    DECIMALS,
    ITEM_SEP,
    MAX_CLASSES,
    MAX_ROWS,
    MAX_SEED,
    MIN_CLASSES,
    Source,
    diff_edits,
)
from ui.text import escape_markdown
from ui.view import StageView, pytorch_code, reduction_latex, sample_latex, stage_view

TARG = "__targ__"  # the editor's target column (labelled "targ")
SELECTABLE_CHARTS = ("target_loss_chart",)
# 64 rows x 40 classes of printed floats with their brackets fit in about 40,000 characters:
# room to spare, and no megabyte of text reaches the parser.
MAX_PASTE_CHARS = 100_000
MATRICES_SAMPLE_KEY = "_matrices_sample"  # the sample the matrices were last drawn for
# The book's table is printed in full up to this size (the seeds' batches), else a grid
BOOK_TABLE_MAX_ROWS, BOOK_TABLE_MAX_COLUMNS = 16, 14


# ---------------------------------------------------------------------------- inputs


def source_picker(source: Source) -> ce_core.Preset:
    """Preset / random / pasted picker and the random batch's controls; returns the batch."""
    options = [*ce_core.PRESETS, "random"] + (["pasted"] if source.kind == "pasted" else [])
    titles = {key: preset.title for key, preset in ce_core.PRESETS.items()}
    titles |= {"random": t("pipeline.source_random"), "pasted": t("pipeline.source_pasted")}
    st.session_state["source_choice"] = source.preset if source.kind == "preset" else source.kind
    st.selectbox(
        t("pipeline.source"),
        options,
        format_func=titles.__getitem__,
        key="source_choice",
        on_change=_on_source_choice,
        help=t("pipeline.source_help"),
    )
    if source.kind == "random":
        st.session_state.update(
            random_rows=source.rows, random_classes=source.classes, random_seed=source.seed
        )
        rows_col, classes_col = st.columns(2)
        rows_col.slider(t("pipeline.rows"), 1, MAX_ROWS, key="random_rows", on_change=_on_random)
        classes_col.slider(
            t("pipeline.classes"),
            MIN_CLASSES,
            MAX_CLASSES,
            key="random_classes",
            on_change=_on_random,
        )
        st.number_input(
            t("pipeline.seed"),
            0,
            MAX_SEED,
            key="random_seed",
            step=1,
            on_change=_on_random,
            help=t("pipeline.seed_help"),
        )
        st.caption(
            t("pipeline.random_note", rows=source.rows, classes=source.classes, seed=source.seed)
        )
    batch = source.batch()
    if source.kind == "preset":
        st.caption(t("pipeline.preset_note", source=batch.source))
    return batch


def _on_source_choice() -> None:
    # "pasted" is only offered while the pasted batch is the current one: nothing to do.
    choice = st.session_state["source_choice"]
    if choice == "random":
        session.change_source(Source(kind="random"))
    elif choice in ce_core.PRESETS:
        session.change_source(Source(kind="preset", preset=choice))


def _on_random() -> None:
    session.change_source(
        Source(
            kind="random",
            rows=int(st.session_state["random_rows"]),
            classes=int(st.session_state["random_classes"]),
            seed=int(st.session_state["random_seed"]),
        )
    )


def paste_box() -> None:
    """ "Paste your own": printouts, lists or CSV for the activations and the targets."""
    with st.expander(t("pipeline.paste_header")):
        st.caption(t("pipeline.paste_help"))
        st.text_area(
            t("pipeline.paste_acts"),
            key="paste_acts",
            height=110,
            max_chars=MAX_PASTE_CHARS,
            placeholder=t("pipeline.paste_acts_placeholder"),
        )
        st.text_area(
            t("pipeline.paste_targets"),
            key="paste_targets",
            height=68,
            max_chars=MAX_PASTE_CHARS // 10,
            placeholder=t("pipeline.paste_targets_placeholder"),
        )
        st.button(t("pipeline.paste_button"), on_click=_on_paste)
        if error := st.session_state.get("paste_error"):
            st.error(escape_markdown(error))  # it may quote what was pasted
        if note := st.session_state.get("paste_note"):
            st.info(escape_markdown(note))


def _on_paste() -> None:
    st.session_state["paste_error"] = st.session_state["paste_note"] = None
    try:
        source, note = pasted_source(
            st.session_state.get("paste_acts", ""), st.session_state.get("paste_targets", "")
        )
    except ce_core.InputError as error:
        st.session_state["paste_error"] = str(error)
        return
    st.session_state["paste_note"] = note
    session.change_source(source)


def pasted_source(acts_text: str, targets_text: str) -> tuple[Source, str | None]:
    """Parse and check pasted text into a Source (raises InputError with the reason)."""
    parsed = ce_core.parse_numbers(acts_text, argument="pasted activations")
    matrix = ce_core.validate.as_matrix(parsed.values, what="pasted activations")  # (N, C)
    n_rows, n_classes = matrix.shape
    if n_classes < MIN_CLASSES:
        raise ce_core.InputError(t("pipeline.paste_need_matrix"), argument="pasted activations")
    if n_rows > MAX_ROWS or n_classes > MAX_CLASSES:
        raise ce_core.InputError(
            t(
                "pipeline.paste_too_big",
                max_rows=MAX_ROWS,
                max_classes=MAX_CLASSES,
                rows=n_rows,
                classes=n_classes,
            ),
            argument="pasted activations",
        )
    names = tuple(str(c) for c in range(n_classes))
    if parsed.class_names and len(set(parsed.class_names)) == n_classes:
        names = parsed.class_names
    if any(ITEM_SEP in name for name in names):  # the URL separates names with it
        raise ce_core.InputError(
            t("pipeline.paste_bad_name", sep=ITEM_SEP), argument="pasted activations"
        )
    note = None
    if targets_text.strip():
        raw = ce_core.parse_targets(targets_text, names)
        targets = ce_core.validate.as_index_targets(raw, n_rows, n_classes, class_names=names)
    else:
        targets, note = [0] * n_rows, t("pipeline.paste_default_targets")
    acts = tuple(tuple(round(float(v), DECIMALS) for v in row) for row in matrix.double())
    source = Source(
        kind="pasted", acts=acts, targets=tuple(int(v) for v in targets), class_names=names
    )
    return source, note


def activation_editor(batch: ce_core.Preset) -> tuple[np.ndarray, list[int | None]]:
    """The acts matrix and a target column, editable; returns (acts (N, C), targets (N,)).

    Cleared cells come back as NaN and cleared targets as None: ce_core names them.
    """
    names = list(batch.class_names)
    acts, targets = st.session_state[session.EDITOR_BASE_KEY]
    frame = pd.DataFrame(np.array(acts, dtype=float), columns=names)
    frame[TARG] = pd.Series([None if k is None else names[k] for k in targets], dtype=object)
    frame.index.name = "idx"
    number = st.column_config.NumberColumn(format=f"%.{DECIMALS}f", step=10**-DECIMALS)
    edited = st.data_editor(
        frame,
        key=session.EDITOR_KEY,
        num_rows="fixed",
        column_config={name: number for name in names}
        | {
            TARG: st.column_config.SelectboxColumn(
                t("pipeline.targ_column"),
                options=names,
                help=t("pipeline.targ_column_help"),
                pinned=True,
            )
        },
        column_order=[TARG, *names],
        alt=t("pipeline.editor_help"),
    )
    index_of = {name: k for k, name in enumerate(names)}
    new_targets = [
        index_of.get(value) if isinstance(value, str) else None for value in edited[TARG]
    ]
    return edited[names].to_numpy(dtype=float), new_targets


def sample_selector(n_rows: int) -> int:
    """The selected sample: a slider, moved also by clicking a bar in the charts."""
    for key in SELECTABLE_CHARTS:
        event = st.session_state.get(key) or {}
        points = (event.get("selection") or {}).get("points") or []
        if points:
            picked = (key, int(points[0].get("point_index", points[0].get("x", 0))))
            if st.session_state.get("_applied_selection") != picked:
                st.session_state["_applied_selection"] = picked
                st.session_state["sample"] = picked[1]
    st.session_state["sample"] = min(max(int(st.session_state.get("sample", 0)), 0), n_rows - 1)
    if n_rows == 1:
        st.caption(t("pipeline.single_sample"))
        return 0
    return st.slider(
        t("pipeline.sample"), 0, n_rows - 1, key="sample", help=t("pipeline.sample_help")
    )


# ---------------------------------------------------------------------------- stages


def compute_view(
    acts: object, targets: object, class_names: tuple[str, ...], options: sidebar.Options
) -> StageView:
    """ce_core.explain with the sidebar's device, dtype and reduction, as numpy to draw.

    Raises InputError for input that cannot be computed (the page shows it).
    """
    stages = ce_core.explain(
        acts, targets, class_names=class_names, device=options.device, dtype=options.dtype,
        reduction=options.reduction,
    )  # fmt: skip
    return stage_view(stages)


def frames_selected_row(view: StageView) -> bool:
    """Small matrices frame the selected row; large ones do not, so that moving the sample
    redraws only the per-sample charts (three big heatmaps redrawn on every slider step make
    it lag: docs/benchmarks.md). The strip of the sample shows its row instead."""
    return view.n_rows * view.n_classes <= figures.matrices.MAX_ANNOTATED_CELLS


def show_stages(view: StageView, stale: str | None) -> None:
    """Every stage top to bottom, in pipeline order, one figure each.

    ``stale`` says what is shown instead of the current input (figures dimmed), or None.
    """
    sample = min(int(st.session_state.get("sample", 0)), view.n_rows - 1)
    st.session_state[MATRICES_SAMPLE_KEY] = sample
    common = {"selected": sample, "stale": bool(stale), "stale_note": stale or ""}
    matrix_common = common | {"selected": sample if frames_selected_row(view) else None}
    names = view.class_names
    matrix_alt = t("stage.alt_matrix", rows=view.n_rows, classes=view.n_classes)
    if view.n_rows * view.n_classes > figures.matrices.MAX_ANNOTATED_CELLS:
        st.caption(t("pipeline.too_many_classes_note", classes=view.n_classes))

    def show_matrix(stage: str, values: np.ndarray, diverging: bool = False) -> None:
        title = t(f"stage.{stage}_title")
        show_chart(
            figures.make_matrix_heatmap(
                values,
                names,
                view.targets,
                title=title,
                value_label=t(f"stage.{stage}_label"),
                code=t(f"stage.{stage}_code"),
                diverging=diverging,
                **matrix_common,
            ),
            alt=t("stage.chart_alt", title=title, summary=matrix_alt),
        )

    show_matrix("logits", view.logits, diverging=True)
    st.caption(t("stage.shifted_note"))
    show_matrix("exp", view.exp)
    title = t("stage.sums_title")
    show_chart(
        figures.make_row_sums(
            view.exp_sum,
            title=title,
            value_label=t("stage.sums_label"),
            code=t("stage.sums_code"),
            **matrix_common,
        ),
        alt=t("stage.chart_alt", title=title, summary=_bars_alt(view.exp_sum)),
    )
    show_matrix("softmax", view.probs)
    deviation = float(np.abs(view.probs.sum(1) - 1).max())
    st.caption(t("stage.softmax_rows_note", deviation=deviation))

    per_sample_stages(view, stale)
    show_reduction_and_check(view)
    st.subheader(t("stage.table_title"))
    st.caption(t("stage.table_caption"))
    show_book_table(
        figures.make_book_table(view.probs, view.targets, view.target_prob, view.losses, names)
    )
    # A toggle, not an expander: an expander's content is drawn (and syntax-highlighted)
    # even while closed, and that is a fifth of the home page's first drawing in the browser.
    if st.toggle(t("stage.code_title"), key="show_code"):
        st.code(pytorch_code(view), language="python")


def show_book_table(table: pd.DataFrame) -> None:
    """The book's table: printed in full, like the book's, while it is small; a scrolling
    grid when it is not (a 64 x 37 batch). A static table is also the cheaper to draw."""
    numbers = [column for column in table.columns if column not in ("targ", "idx")]
    if len(table) <= BOOK_TABLE_MAX_ROWS and len(table.columns) <= BOOK_TABLE_MAX_COLUMNS:
        st.table(table.style.format("{:.6f}", subset=numbers).hide(axis="index"))
        return
    st.dataframe(
        table,
        column_config={column: st.column_config.NumberColumn(format="%.6f") for column in numbers},
        hide_index=True,
    )


@st.fragment
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def per_sample_stages(view: StageView, stale: str | None) -> None:
    """The sample selector and what follows it: the target's probability, the loss per
    sample, and the selected sample written out.

    A fragment: moving the slider (or clicking a bar) reruns only this part, not the
    editor, the matrices or the table. Where the matrices frame the selected row (small
    batches), a move reruns the whole page so that they follow.
    """
    sample = sample_selector(view.n_rows)
    if frames_selected_row(view) and sample != st.session_state.get(MATRICES_SAMPLE_KEY):
        st.rerun(scope="app")  # the matrices above frame the old sample: redraw them too
    common = {"selected": sample, "stale": bool(stale), "stale_note": stale or ""}
    names = view.class_names
    title = t("stage.target_loss_title")
    reduced = float(view.loss) if view.reduction == "mean" else None
    show_chart(
        figures.make_target_and_loss(
            view.target_prob,
            view.targets,
            names,
            view.losses,
            reduced,
            title=title,
            target_label=t("stage.target_label"),
            loss_label=t("stage.loss_label"),
            reduced_label=t("stage.mean_label"),
            code=t("stage.target_loss_code"),
            ignored_label=t("stage.ignored"),
            **common,
        ),
        key=SELECTABLE_CHARTS[0],
        selectable=True,  # a click on a bar selects that sample
        alt=t("stage.chart_alt", title=title, summary=_bars_alt(view.losses)),
    )
    show_selected_sample(view, sample, stale)
    session.sync_url(session.update(sample=sample))


def _bars_alt(values: np.ndarray) -> str:
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    return t("stage.alt_bars", low=low, high=high)


def show_selected_sample(view: StageView, sample: int, stale: str | None) -> None:
    """The selected sample: its row at every stage (a chart) and its computation (LaTeX)."""
    sample = min(sample, view.n_rows - 1)
    st.subheader(t("stage.selected_title", idx=sample))
    if view.n_rows * view.n_classes > figures.matrices.MAX_ANNOTATED_CELLS:
        st.caption(t("stage.selected_strip_note"))
    # A table, not a chart: it follows the slider at a fraction of a Plotly redraw's cost.
    table = figures.make_sample_table(
        view.logits[sample],
        view.exp[sample],
        view.probs[sample],
        view.class_names,
        int(view.targets[sample]),
        t("stage.strip_target_mark"),
    )
    st.dataframe(
        table,
        hide_index=True,
        height=min(36 + 35 * view.n_classes, 300),
        column_config={
            "acts": st.column_config.NumberColumn(format="%.4f"),
            "exp(acts − m)": st.column_config.NumberColumn(format="%.4f"),
            "softmax": st.column_config.ProgressColumn(
                format="%.4f", min_value=0.0, max_value=1.0, help=t("stage.strip_softmax_help")
            ),
        },
    )
    if not 0 <= int(view.targets[sample]) < view.n_classes:
        st.info(t("stage.selected_ignored", idx=sample))
        return
    st.latex(sample_latex(view, sample))


def show_reduction_and_check(view: StageView) -> None:
    st.subheader(t("stage.reduced_title", reduction=view.reduction))
    n = view.n_rows
    if view.reduction == "none":
        st.caption(t("stage.reduced_none", n=n, mean=float(np.nanmean(view.losses))))
    else:
        st.caption(t(f"stage.reduced_{view.reduction}", n=n))
    st.latex(reduction_latex(view))

    st.subheader(t("stage.check_title"))
    columns = st.columns(1 + len(view.checks))
    values = {t("stage.check_ours"): view.loss} | view.checks
    for column, (name, value) in zip(columns, values.items(), strict=True):
        shown = f"{float(value):.4f}" if value.ndim == 0 else t("stage.check_values", n=value.size)
        column.metric(name, shown, border=True)
    st.caption(
        t("stage.check_caption", device=view.device, dtype=view.dtype, diff=view.max_abs_diff)
    )


# ---------------------------------------------------------------------------- page


def render() -> None:
    state = session.state()
    options = sidebar.current()
    st.title(t("pipeline.title"))
    st.markdown(t("pipeline.intro"))
    for problem in session.problems():
        st.warning(
            t(
                "pipeline.url_warning",
                param=problem.param,  # one of the known names: never the link's own text
                reason=escape_markdown(problem.reason),  # quotes the link's value
                default=escape_markdown(problem.default),
            )
        )

    inputs, stages_column = st.columns([2, 3], gap="large")
    with inputs:
        st.header(t("pipeline.inputs"))
        batch = source_picker(state.source)
        paste_box()
        acts, targets = activation_editor(batch)
    cell_edits, target_edits = diff_edits(batch, acts.tolist(), targets)
    state = session.update(
        cell_edits=cell_edits, target_edits=target_edits,
        device=options.device_choice, dtype=options.dtype, reduction=options.reduction,
    )  # fmt: skip

    with stages_column:
        st.header(t("pipeline.stages"))
        try:
            view, stale = compute_view(acts, targets, batch.class_names, options), None
            st.session_state[session.LAST_VALID_KEY] = view
        except ce_core.InputError as error:
            message = escape_markdown(str(error).rstrip("."))  # it may quote class names
            st.error(t("pipeline.error_prefix", message=message))
            st.caption(t("pipeline.error_keep"))
            view, stale = st.session_state.get(session.LAST_VALID_KEY), t("pipeline.stale_note")
            if view is None:  # e.g. a shared link that opens on an error: the unedited batch
                view, stale = (
                    compute_view(batch.logits, batch.targets, batch.class_names, options),
                    t("pipeline.stale_note_source"),
                )
        show_stages(view, stale)
    session.sync_url(session.state())


entry.require_entrypoint()
render()
