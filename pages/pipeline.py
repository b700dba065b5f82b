"""Pipeline (home): a batch of activations, every stage of cross-entropy, PyTorch's check.

Thin by design: inputs (ui.home_inputs) -> ui.compute -> the stages (ui.home_stages). State
and URL live in ``ui.session`` / ``ui.state``; every sentence in ``i18n``; every number in
``ce_core``.
"""

from __future__ import annotations

import streamlit as st

import ce_core
from i18n import t
from ui import compute, entry, home_inputs, home_stages, keys, path, session, sidebar
from ui.state import diff_edits
from ui.text import escape_markdown


def render() -> None:
    options = sidebar.options()
    st.title(t("pipeline.title"))
    path.notice("pipeline")
    st.markdown(t("pipeline.intro"))
    path.start_here()
    for problem in session.problems():
        st.warning(t(
            "pipeline.url_warning",
            param=problem.param,  # one of the known names: never the link's own text
            reason=escape_markdown(problem.reason.render()),  # quotes the link's value
            default=escape_markdown(problem.default.render()),
        ))  # fmt: skip

    inputs, stages_column = st.columns([2, 3], gap="large")
    with inputs:
        st.header(t("pipeline.inputs"))
        batch = home_inputs.source_picker(session.state().source)
        home_inputs.paste_box()
        acts, targets = home_inputs.activation_editor(batch)
    cell_edits, target_edits = diff_edits(batch, acts.tolist(), targets)
    session.update(
        cell_edits=cell_edits, target_edits=target_edits,
        device=options.device_choice, dtype=options.dtype, reduction=options.reduction,
    )  # fmt: skip

    with stages_column:
        st.header(t("pipeline.stages"))
        try:
            view, stale = compute.explain(acts, targets, batch.class_names, options), None
            st.session_state[keys.LAST_VALID_VIEW] = view
        except ce_core.InputError as error:
            message = escape_markdown(error.message.render().rstrip("."))  # may quote names
            st.error(t("pipeline.error_prefix", message=message))
            st.caption(t("pipeline.error_keep"))
            view, stale = st.session_state.get(keys.LAST_VALID_VIEW), t("pipeline.stale_note")
            if view is None:  # e.g. a shared link that opens on an error: the unedited batch
                view = compute.explain(batch.logits, batch.targets, batch.class_names, options)
                stale = t("pipeline.stale_note_source")
        source = session.state().source
        unedited = source.kind == "preset" and not cell_edits and not target_edits
        home_stages.show_stages(view, stale, unedited_preset=source.preset if unedited else None)
    session.sync_url(session.state())


entry.require_entrypoint()
render()
path.next_step("pipeline")
