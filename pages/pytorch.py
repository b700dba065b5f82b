"""PyTorch: the book's three routes to one number, every argument of nn.CrossEntropyLoss,
the common mistakes, and code that reproduces the page.

Thin like every page: widgets -> ui.compute, ce_core.reference (routes, mistakes) ->
figures -> show; sentences in i18n, LaTeX in ui.formula, code and CSV in ui.reproduce.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st
import torch

import ce_core
from ce_core import reference
from figures.pytorch import make_weighted_losses
from i18n import t
from ui import boundary, compute, entry, formula, notebook, path, predict, sidebar
from ui.batch import Batch, batch_picker
from ui.charts import show_picture
from ui.reproduce import pytorch_code, stages_frame
from ui.text import escape_markdown, number, significant
from ui.view import View, to_numpy

INDEX, PROBABILITY = "index", "probability"

# The page's parts that the arguments change each rerun on their own (fragments with keys),
# and each argument's widget reruns, through its callback, only the parts that show it: the
# label_smoothing slider the results, the code and an open mistake, not the controls or the
# parts that hang on the batch alone (the batch is page-wide: it reruns the page).
ARGUMENTS, RESULTS, MISTAKES, CODE = "pt_arguments", "pt_results", "pt_mistakes", "pt_code"
READ_ARGUMENTS = "pt_read_arguments"  # the arguments as the controls last read them
SMOOTHING = "pt_smoothing"  # the slider's key: read where it is shown, not by the controls
MISTAKE_SWITCH = "pt_mistake_{}"


# ---------------------------------------------------------------------------- arguments


def shown_parts(*, controls: bool) -> list[str]:
    """The keys of the fragments that show the arguments' values (``controls``: and the
    controls, which read every argument but the slider). A closed mistake shows only its
    switch: the mistakes rerun only while one is open."""
    opened = any(st.session_state.get(MISTAKE_SWITCH.format(key)) for key in reference.MISTAKE_KEYS)
    return [*([ARGUMENTS] if controls else []), RESULTS, *([MISTAKES] if opened else []), CODE]


def _rerun_controls_and_results() -> None:
    st.rerun(shown_parts(controls=True))


def _rerun_results() -> None:
    st.rerun(shown_parts(controls=False))


def current_arguments() -> dict | None:
    """explain's keywords, as the controls last read them, with the slider's value; None
    when the controls have not read them (they failed)."""
    read = st.session_state.get(READ_ARGUMENTS)
    return None if read is None else read | {"label_smoothing": st.session_state[SMOOTHING]}


def _editor_key(name: str, batch: Batch) -> str:
    """A new batch (or shape) gets a fresh editor; the same batch keeps the learner's edits."""
    n_rows, n_classes = batch.logits.shape
    return f"pt_{name}_{batch.key}_{n_rows}x{n_classes}"


def probability_editor(batch: Batch) -> pd.DataFrame:
    """(N, C) class probabilities, starting as the one-hot rows of the batch's targets."""
    n_rows, n_classes = batch.logits.shape
    one_hot = to_numpy(ce_core.one_hot(batch.targets, n_classes))
    # Columns by position, labelled with the classes' names: a keyed editor is known by its
    # columns, and a change of language renames the classes (it would lose the edits)
    columns = [f"c{c}" for c in range(n_classes)]
    frame = pd.DataFrame(one_hot, columns=columns)
    return st.data_editor(
        frame, key=_editor_key("probs", batch), num_rows="fixed",
        column_config={column: st.column_config.NumberColumn(name, min_value=0.0, step=0.01,
                                                             format="%.4f")
                       for column, name in zip(columns, batch.class_names, strict=True)},
        height=min(36 * n_rows + 40, 320), on_change=_rerun_controls_and_results,
    )  # fmt: skip


def weight_editor(batch: Batch) -> pd.DataFrame:
    """One weight per class, starting at 1."""
    # Columns with fixed names, labelled in the learner's language, and the classes in a
    # read-only column: a keyed editor is known by its columns and index (a change of
    # language would otherwise lose the edits)
    frame = pd.DataFrame({"class": list(batch.class_names),
                          "weight": np.ones(len(batch.class_names))})  # fmt: skip
    edited = st.data_editor(
        frame, key=_editor_key("weight", batch), num_rows="fixed", hide_index=True,
        column_config={
            "class": st.column_config.TextColumn(t("figure.class"), disabled=True),
            "weight": st.column_config.NumberColumn(
                t("pytorch.weight_column"), min_value=0.0, step=0.1, format="%.3f",
                help=t("pytorch.weight_help"),
            ),
        },
        height=min(36 * len(batch.class_names) + 40, 320), on_change=_rerun_controls_and_results,
    )  # fmt: skip
    return edited[["weight"]]


@st.fragment(key=ARGUMENTS)
@boundary.guarded  # a fragment reruns alone, outside app.py's boundary
def show_arguments(batch: Batch, reduction: str) -> None:
    """The controls for every argument of nn.CrossEntropyLoss but the reduction (the
    sidebar's); stores explain's keywords but label_smoothing for ``current_arguments``."""
    st.session_state.pop(READ_ARGUMENTS, None)  # until read again: nothing stale is shown
    n_rows = len(batch.targets)
    changed = _rerun_controls_and_results
    kind = st.radio(
        t("pytorch.target_kind"), (INDEX, PROBABILITY), key="pt_target_kind", horizontal=True,
        format_func=lambda k: t(f"pytorch.target_kind_{k}"), help=t("pytorch.target_kind_help"),
        on_change=changed,
    )  # fmt: skip
    ignore_index = int(
        st.number_input(
            "ignore_index", value=-100, step=1, min_value=-(2**31), max_value=2**31 - 1,
            key="pt_ignore_index", help=t("pytorch.ignore_index_help"), on_change=changed,
        )
    )  # fmt: skip
    target: object = batch.targets
    if kind == PROBABILITY:
        st.caption(t("pytorch.probs_caption"))
        target = probability_editor(batch).to_numpy(dtype=float)
        st.caption(t("pytorch.ignore_not_for_probs"))
    else:
        ignored_rows = st.multiselect(
            t("pytorch.ignore_rows"), list(range(n_rows)), key="pt_ignore_rows",
            format_func=lambda r: f"idx {r} ({batch.class_names[int(batch.targets[r])]})",
            help=t("pytorch.ignore_rows_help"), on_change=changed,
            placeholder=t("app.choose_rows"),
        )  # fmt: skip
        target = np.where(np.isin(np.arange(n_rows), ignored_rows), ignore_index, batch.targets)
    weight = None
    if st.toggle(t("pytorch.use_weight"), key="pt_use_weight", help=t("pytorch.weight_help"),
                 on_change=changed):  # fmt: skip
        weight = weight_editor(batch).iloc[:, 0].to_numpy(dtype=float)
    st.slider(
        "label_smoothing", 0.0, 1.0, 0.0, 0.01, key=SMOOTHING, help=t("pytorch.smoothing_help"),
        on_change=_rerun_results,
    )  # fmt: skip
    st.caption(t("pytorch.reduction_from_sidebar", reduction=reduction))
    st.session_state[READ_ARGUMENTS] = {"target": target, "weight": weight,
                                        "ignore_index": ignore_index}  # fmt: skip


# ---------------------------------------------------------------------------- results


def _value_text(value: torch.Tensor | None) -> str:
    if value is None:
        return "—"
    values = to_numpy(value).reshape(-1)
    shown = ", ".join(number(v, 6) for v in values[:4])
    return shown + (t("pytorch.more_values", n=len(values)) if len(values) > 4 else "")


def section_routes(stages: ce_core.Stages) -> None:
    """The three routes (and the module), ce_core's number, and their distance."""
    st.subheader(t("pytorch.routes_header"))
    routes = reference.pytorch_routes(stages)
    diff_column = t("pytorch.distance")
    rows = [{t("pytorch.route"): "ce_core.explain", t("pytorch.value"): _value_text(stages.loss),
             diff_column: "0", t("pytorch.note"): ""}]  # fmt: skip
    for route in routes:
        diff = "—"
        if route.value is not None:
            diff = f"{ce_core.max_abs_diff(stages.loss, route.value):.2e}"
        reason = route.not_applicable.render() if route.not_applicable else ""
        rows.append(
            {t("pytorch.route"): t(f"pytorch.route_{route.key}"),
             t("pytorch.value"): _value_text(route.value), diff_column: diff,
             t("pytorch.note"): reason}
        )  # fmt: skip
    st.dataframe(
        pd.DataFrame(rows), hide_index=True,
        column_config={t("pytorch.note"): st.column_config.TextColumn(width="large")},
    )  # fmt: skip
    diff = reference.routes_max_abs_diff(stages, routes)
    st.caption(t("pytorch.routes_check", diff=diff, device=stages.device, dtype=stages.dtype))
    st.caption(t("pytorch.fastai_note"))


def ask_what_the_mean_divides_by() -> None:
    """Predict, then reveal: the book's batch with rows 0 and 1 ignored."""
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    targ[:2] = -100  # ignore_index's default
    mean = float(ce_core.cross_entropy(acts, targ))
    total = float(ce_core.cross_entropy(acts, targ, reduction="sum"))
    predict.ask("pytorch_ignored", 1, t("predict.pytorch_ignored_why", mean=mean, total=total,
                                         by_all=total / len(targ)))  # fmt: skip


def section_formula(stages: ce_core.Stages) -> None:
    """The formula for these options, the denominator in words, and the edge cases."""
    st.subheader(t("pytorch.formula_header"))
    ask_what_the_mean_divides_by()
    st.latex(formula.per_sample_latex(stages))
    st.latex(formula.reduction_latex(stages))
    kind = formula.denominator_kind(stages)
    st.markdown(t(f"pytorch.denominator_{kind}", n=stages.n_rows))
    if formula.all_ignored(stages) and stages.reduction == "mean":
        st.warning(t("pytorch.all_ignored"))
    if stages.label_smoothing > 0:
        st.markdown(t("pytorch.smoothing_note", eps=stages.label_smoothing,
                      share=stages.label_smoothing / stages.n_classes))  # fmt: skip
    if stages.target_kind == PROBABILITY and stages.weight is not None:
        st.markdown(t("pytorch.probs_weight_note"))


def section_contributions(view: View) -> None:
    reduced = float(view.loss) if view.reduction != "none" else None
    show_picture(
        make_weighted_losses(
            view.losses, view.target_weight, view.ignored, view.target, view.class_names,
            reduced, loss_label=t("pytorch.losses_y"), reduced_label=view.reduction,
            ignored_label=t("pytorch.ignored"), alt=t("pytorch.losses_alt", rows=view.n_rows),
        ),
        title=t("pytorch.losses_title"), code=t("pytorch.losses_code"),
    )  # fmt: skip


def mistake_text(key: str, n_classes: int) -> str:
    """The mistake's explanation; a double softmax's with its cap for these classes."""
    if key != "double_softmax":
        return t(f"pytorch.mistake_{key}_text")
    bound = ce_core.double_softmax_bound(n_classes)
    return t("pytorch.mistake_double_softmax_text", bound=bound, classes=n_classes,
             floor=-math.log(bound))  # fmt: skip


def section_mistakes(stages: ce_core.Stages, mistakes: list[reference.Mistake]) -> None:
    """Each mistake a toggle: its wrong number next to the right one."""
    st.header(t("pytorch.mistakes_header"))
    st.markdown(t("pytorch.mistakes_intro"))
    for mistake in mistakes:
        key = mistake.key
        if not st.toggle(t(f"pytorch.mistake_{key}"), key=MISTAKE_SWITCH.format(key)):
            continue
        with st.container(border=True):
            if mistake.wrong is None:
                st.info(t("pytorch.mistake_not_applicable",
                          reason=mistake.not_applicable.render()))  # fmt: skip
                continue
            wrong_col, right_col = st.columns(2)
            if mistake.comparable:
                delta = number(mistake.wrong - mistake.right, signed=True)
                wrong_col.metric(t("pytorch.wrong"), number(mistake.wrong), delta,
                                 delta_color="off")  # fmt: skip
                right_col.metric(t("pytorch.right"), number(mistake.right))
            else:  # two different losses: side by side, no difference
                wrong_col.metric(t("pytorch.mse_value"), number(mistake.wrong))
                right_col.metric(t("pytorch.ce_value"), number(mistake.right))
            if mistake.dropped:
                st.caption(t("pytorch.mistake_drops", options=", ".join(
                    f"`{option}`" for option in mistake.dropped)))  # fmt: skip
            st.markdown(mistake_text(key, stages.n_classes))
            st.code(t(f"pytorch.mistake_{key}_code"), language="python")
    if st.toggle(t("pytorch.mistake_get_preds"), key=MISTAKE_SWITCH.format("get_preds")):
        with st.container(border=True):
            raw_sums, prob_sums = reference.raw_output_row_sums(stages)
            shown = min(stages.n_rows, 8)
            frame = pd.DataFrame(
                {"idx": range(shown),
                 t("pytorch.raw_sum"): to_numpy(raw_sums)[:shown],
                 t("pytorch.raw_min"): to_numpy(stages.logits.amin(1))[:shown],
                 t("pytorch.prob_sum"): to_numpy(prob_sums)[:shown]}
            )  # fmt: skip
            st.dataframe(
                frame, hide_index=True,
                column_config={c: st.column_config.NumberColumn(format="%.4f")
                               for c in frame.columns[1:]},
            )  # fmt: skip
            st.markdown(t("pytorch.mistake_get_preds_text"))
            st.code(t("pytorch.mistake_get_preds_code"), language="python")


def section_log_rounding(batch: Batch) -> None:
    """The book's two routes printed side by side: they differ in the last digits (in
    float32, whatever the sidebar's dtype: the book's printout)."""
    st.header(t("pytorch.rounding_header"))
    rounding = reference.log_rounding(torch.as_tensor(batch.logits))
    st.markdown(t("pytorch.rounding_text", row=rounding.row,
                  cls=escape_markdown(batch.class_names[rounding.column])))  # fmt: skip
    routes = {
        "torch.log(sm_acts)": rounding.via_log,
        "torch.log_softmax(acts, dim=1)": rounding.via_log_softmax,
        t("pytorch.rounding_exact"): rounding.exact,
    }
    # a static table: three short rows wrap to a phone's width instead of scrolling
    st.table(
        pd.DataFrame({
            t("pytorch.rounding_route"): list(routes),
            t("pytorch.rounding_value"): [f"{v:.7e}" for v in routes.values()],
            t("pytorch.rounding_error"): [f"{v - rounding.exact:+.1e}" for v in routes.values()],
        }).set_index(t("pytorch.rounding_route"))
    )  # fmt: skip
    if batch.key == "3-vs-7":
        st.caption(t("pytorch.rounding_note"))


def section_code(stages: ce_core.Stages, batch_key: str) -> None:
    st.header(t("pytorch.code_header"))
    st.markdown(t("pytorch.code_text"))
    st.code(pytorch_code(stages), language="python")
    csv = stages_frame(stages).to_csv(index=False).encode()
    st.download_button(
        t("pytorch.csv_button"), csv, file_name="cross_entropy_stages.csv", mime="text/csv",
        key="pt_csv", help=t("pytorch.csv_help"),
    )  # fmt: skip
    notebook.download_button(stages, batch_key, key="pt_notebook")


def warn_unnormalized(stages: ce_core.Stages) -> None:
    """PyTorch accepts probability rows that do not sum to 1, silently; the page does not."""
    if stages.target_kind != PROBABILITY:
        return
    rows = ce_core.unnormalized_rows(stages.target)
    if rows:
        sums = to_numpy(stages.target.sum(1))
        listed = ", ".join(f"idx {r} ({significant(sums[r], 4)})" for r in rows[:8])
        st.warning(t("pytorch.unnormalized", rows=listed, more=len(rows) - min(len(rows), 8)))


def current_view(batch: Batch, options: sidebar.Options, *, say_why: bool) -> View | None:
    """The batch with the current arguments (``current_arguments``); None when the controls
    have not read them or the arguments cannot be computed (``say_why``: after showing what
    is wrong, as the results do; the parts under them show nothing instead)."""
    loss = current_arguments()
    if loss is None:
        return None
    try:
        return compute.explain_batch(batch, options, require_normalized=False, **loss)
    except ce_core.InputError as error:
        if say_why:
            message = escape_markdown(error.message.render().rstrip("."))
            st.error(t("pytorch.error", message=message))
            st.caption(t("pytorch.error_keep"))
        return None


@st.fragment(key=RESULTS)
@boundary.guarded
def show_results(batch: Batch, options: sidebar.Options) -> None:
    """What the arguments give: the routes, the formula, each sample's share."""
    view = current_view(batch, options, say_why=True)
    if view is None:
        return
    warn_unnormalized(view.stages)
    mistakes = reference.common_mistakes(view.stages)
    double_softmax = next(m for m in mistakes if m.key == "double_softmax")
    predict.ask("pytorch_input", 1, t("predict.pytorch_input_why", double=double_softmax.wrong,
                                      right=double_softmax.right))  # fmt: skip
    section_routes(view.stages)
    section_formula(view.stages)
    section_contributions(view)


@st.fragment(key=MISTAKES)
@boundary.guarded
def show_mistakes(batch: Batch, options: sidebar.Options) -> None:
    view = current_view(batch, options, say_why=False)
    if view is not None:
        section_mistakes(view.stages, reference.common_mistakes(view.stages))


@st.fragment(key=CODE)
@boundary.guarded
def show_code(batch: Batch, options: sidebar.Options) -> None:
    view = current_view(batch, options, say_why=False)
    if view is not None:
        section_code(view.stages, batch.key)


def render() -> None:
    st.title(t("pytorch.title"))
    path.notice("pytorch")
    st.markdown(t("pytorch.intro"))
    options = sidebar.options()
    controls, shown = st.columns([2, 3], gap="large")
    with controls:
        st.header(t("pytorch.arguments_header"))
        batch = batch_picker("pt_source")
        show_arguments(batch, options.reduction)
    with shown:
        st.header(t("pytorch.results_header"))
        show_results(batch, options)
    section_log_rounding(batch)
    show_mistakes(batch, options)
    show_code(batch, options)


entry.require_entrypoint()
render()
path.next_step("pytorch")
