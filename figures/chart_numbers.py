"""The numbers a chart draws, as tables: what a screen reader or a keyboard reads instead of
the picture (``ui.charts.show_chart`` offers them under every chart).

Read from the figure itself, so a table can never disagree with its chart: a heatmap gives
its matrix (rows and columns by the axes' labels); bar and line traces that share their x
values give one table, x first, then one column per trace, named as in the legend. Traces
that only decorate (``hoverinfo="skip"``: outlines, shading) are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from i18n import t


def _values(values: object) -> list | None:
    if values is None:
        return None
    return values if isinstance(values, list) else np.asarray(values).tolist()


def _is_decoration(trace: go.BaseTraceType) -> bool:
    return trace.hoverinfo == "skip" or trace.visible is False


def _unique(names: Sequence[str]) -> list[str]:
    """``names`` with repeats numbered (a DataFrame's columns must differ to be shown)."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else t("figure.repeated", name=name, n=seen[name]))
    return unique


def _axis(figure: go.Figure, name: str) -> object | None:
    """The layout's axis ``name`` ("x", "y2", ...) or None."""
    return getattr(figure.layout, name[0] + "axis" + name[1:], None)


def _labels(figure: go.Figure, axis: str, positions: list) -> list[str]:
    """What the axis writes at each position: its tick text where it names the ticks (a
    heatmap's classes), the position itself otherwise."""
    layout_axis = _axis(figure, axis)
    named = {}
    if layout_axis is not None and layout_axis.tickvals is not None and layout_axis.ticktext:
        ticks = zip(layout_axis.tickvals, layout_axis.ticktext, strict=False)
        named = {str(value): str(text) for value, text in ticks}
    return [named.get(str(p), str(p)) for p in positions]


def _title(figure: go.Figure, axis: str) -> str:
    layout_axis = _axis(figure, axis)
    return (layout_axis.title.text or "") if layout_axis is not None else ""


def heatmap_table(figure: go.Figure, trace: go.Heatmap) -> pd.DataFrame:
    """(rows, columns) of a heatmap's z, indexed by its y labels, columns its x labels."""
    z = np.asarray(trace.z, dtype=float)
    rows = _values(trace.y) or list(range(z.shape[0]))
    columns = _values(trace.x) or list(range(z.shape[1]))
    table = pd.DataFrame(
        z,
        index=_labels(figure, trace.yaxis or "y", rows),
        columns=_unique(_labels(figure, trace.xaxis or "x", columns)),
    )
    table.index.name = _title(figure, trace.yaxis or "y")
    return table


def panel_titles(figure: go.Figure) -> dict[str, str]:
    """Each x axis's panel title: the text written above the middle of its domain
    (``figures.style.side_by_side`` puts a panel's title there), by axis name ("x2")."""
    titles = {}
    for name in ("x", *(f"x{k}" for k in range(2, 10))):
        axis = _axis(figure, name)
        if axis is None or axis.domain is None:
            continue
        low, high = axis.domain
        for note in figure.layout.annotations or ():
            if (
                note.xref == "paper"
                and note.yref == "paper"
                and note.y is not None
                and note.y >= 1.0
                and low <= (note.x or 0) <= high
                and note.text
            ):
                titles[name] = note.text
                break
    return titles


def chart_tables(figure: go.Figure) -> list[pd.DataFrame]:
    """Every table of ``figure``'s numbers, in the order of its traces (see the module)."""
    tables: list[pd.DataFrame] = []
    groups: dict[tuple, dict] = {}
    y_axes = {trace.yaxis or "y" for trace in figure.data if trace.type != "heatmap"}
    panels = panel_titles(figure)
    for index, trace in enumerate(figure.data):
        if _is_decoration(trace):
            continue
        if trace.type == "heatmap" and trace.z is not None:
            tables.append(heatmap_table(figure, trace))
            continue
        y = _values(getattr(trace, "y", None))
        if not y or all(v is None for v in y):  # a legend's entry only
            continue
        x = _values(getattr(trace, "x", None)) or list(range(len(y)))
        if len(x) != len(y):
            continue
        x_axis, y_axis = trace.xaxis or "x", trace.yaxis or "y"
        group = groups.setdefault(tuple(str(v) for v in x), {"x": x, "title": "", "columns": []})
        group["title"] = group["title"] or _title(figure, x_axis)
        name = trace.name or t("figure.series", index=index + 1)
        # the same run on two panels (its loss, its accuracy): named by its panel too
        panel = panels.get(x_axis) or _title(figure, y_axis)
        if len(y_axes) > 1 and panel and panel != name:
            name = t("figure.in_panel", name=name, panel=panel)
        group["columns"].append((name, y))
    for group in groups.values():
        names = _unique(
            [group["title"] or t("figure.x_column"), *(name for name, _ in group["columns"])]
        )
        values = [group["x"], *(y for _, y in group["columns"])]
        tables.append(pd.DataFrame(dict(zip(names, values, strict=True))))
    return tables
