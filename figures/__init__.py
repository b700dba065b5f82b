"""Plotly figures for every stage: one module per family, one public ``make_*`` each.

Builders take numpy arrays (a ``ui.view.View``'s, or ce_core's) and return ``go.Figure``;
they never call Streamlit and never recompute a number: everything shown comes from
``ce_core``. Their own words (axis titles, hover texts) come from the text catalog.
"""

from figures.bars import (
    make_row_sums,
    make_target_and_loss,
)
from figures.matrices import make_matrix_heatmap
from figures.tables import make_book_table, make_loss_table, make_sample_table

__all__ = [
    "make_book_table",
    "make_loss_table",
    "make_matrix_heatmap",
    "make_row_sums",
    "make_sample_table",
    "make_target_and_loss",
]
