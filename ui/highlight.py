"""What a figure already drawn shows, chosen by a style rule: no redraw.

Moving the sample on the home page would otherwise redraw the matrices and the bars just to
move a frame (a Plotly figure redrawn costs the browser more than everything else a move
changes: docs/benchmarks.md). Instead every figure is drawn once with what the rule needs —
a hidden frame for each row of a matrix (``figures.make_matrix_heatmap(frame_rows=True)``),
one bar per sample — and the fragment that owns the sample slider writes one ``<style>``
that shows the selected sample's frame and outlines its bars. Each chart is found by its
Streamlit key (Streamlit gives a keyed element the class ``st-key-<key>``).

``write_rule`` writes any such rule: the Gradients page's shows one class count's parts of a
figure that holds them all (``figures.gradients.class_count_rule``).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from figures.style import SELECTED


def selected_sample_rule(sample: int, *, matrices: Sequence[str], bars: Sequence[str]) -> str:
    """CSS that frames row ``sample`` of the ``matrices`` charts and outlines bar ``sample``
    of every bar trace of the ``bars`` charts (charts named by their keys)."""
    frames = ", ".join(f'.st-key-{key} .shapelayer path[data-index="{sample}"]' for key in matrices)
    outlines = ", ".join(
        f".st-key-{key} .barlayer .points .point:nth-child({sample + 1}) path" for key in bars
    )
    rules = []
    if frames:
        rules.append(f"{frames} {{ stroke: {SELECTED} !important; stroke-opacity: 1 !important; }}")
    if outlines:
        rules.append(
            f"{outlines} {{ stroke: {SELECTED} !important; stroke-opacity: 1 !important;"
            " stroke-width: 4px !important; }"
        )
    return "\n".join(rules)


def mark_selected_sample(sample: int, *, matrices: Sequence[str], bars: Sequence[str]) -> None:
    """Write the rule into the page."""
    write_rule(selected_sample_rule(sample, matrices=matrices, bars=bars))


def write_rule(rule: str) -> None:
    """A style rule into the page (a ``<style>`` element takes no space). Every rule is built
    from chart keys (constants) and numbers the app chose, never from text a user typed."""
    st.html(f"<style>{rule}</style>")
