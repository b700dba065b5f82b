"""One look across every figure: template, fonts, palettes and the two highlight colours.

- one colour per class, the same class the same colour on every page (``class_color``);
- the target is always outlined (never colour alone), in ``TARGET_OUTLINE``;
- the selected sample is framed in ``SELECTED``;
- logits use a diverging scale centred on 0, probabilities a sequential one.
"""

from __future__ import annotations

from i18n import t

# Latin first; then a Traditional Chinese face on each system, for the zh-TW texts: the
# browser draws every chart, so these are the learner's fonts (docs/deploy.md): PingFang TC
# (macOS, iOS), Microsoft JhengHei (Windows), Noto Sans CJK TC / Noto Sans TC (Linux,
# Android, ChromeOS)
FONT_FAMILY = (
    "Source Sans Pro, Inter, Helvetica, Arial, PingFang TC, Microsoft JhengHei, "
    "Noto Sans CJK TC, Noto Sans TC, sans-serif"
)
MONO_FAMILY = "Source Code Pro, Menlo, Consolas, monospace"

# Okabe & Ito's colour-blind-safe palette, then Paul Tol's muted one for more classes.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
TOL_MUTED = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499",
)  # fmt: skip
CLASS_PALETTE = OKABE_ITO + TOL_MUTED

TARGET_OUTLINE = "#111111"  # the target cell / bar: a black outline
SELECTED = "#D55E00"  # the selected sample: vermillion frame
NEUTRAL = "#8C8C8C"
TEXT = "#262730"
REFERENCE_LINE = "#444444"

DIVERGING_SCALE = "RdBu_r"  # logits: blue negative, red positive, white at 0
SEQUENTIAL_SCALE = "Blues"  # probabilities and exponentials: light to dark

STALE_OPACITY = 0.35  # figures of the last valid input, while the current one has an error


def class_color(index: int) -> str:
    """The colour of class ``index``, identical on every page."""
    return CLASS_PALETTE[index % len(CLASS_PALETTE)]


GRID = "#E6E9EF"
AXIS_LINE = "#B8BEC9"


def _axis(title: str) -> dict:
    return {
        "title": {"text": title},
        "automargin": True,
        "gridcolor": GRID,
        "zerolinecolor": AXIS_LINE,
        "linecolor": AXIS_LINE,
        "showline": True,
        "ticks": "outside",
        "tickcolor": AXIS_LINE,
    }


def base_layout(
    title: str,
    x_title: str,
    y_title: str,
    height: int,
    *,
    code: str | None = None,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    **more: object,
) -> dict:
    """Layout shared by every figure: fonts, colours, both axis titles, a height.

    ``code`` is the PyTorch expression for the stage, shown under the title in a monospace
    font. ``xaxis`` / ``yaxis`` add to the shared axis style; ``more`` adds layout properties.
    Figures are built in one ``go.Figure({...})`` call: each ``update_layout`` afterwards
    costs milliseconds of Plotly's property machinery.

    Set property by property on the empty "none" template: assigning a full Plotly template
    costs milliseconds per figure in validation (docs/benchmarks.md), on every rerun.
    Pages draw with ``theme=None`` so that this is the look on every page.
    """
    return {
        "template": "none",
        "font": {"family": FONT_FAMILY, "size": 13, "color": TEXT},
        "title": {
            "text": title,
            "font": {"size": 16},
            "x": 0.0,
            "xanchor": "left",
            "subtitle": {"text": code or "", "font": {"family": MONO_FAMILY, "size": 12}},
        },
        "margin": {"l": 70, "r": 20, "t": 84 if code else 60, "b": 70},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": MONO_FAMILY, "size": 12}},
        "colorway": list(CLASS_PALETTE),
        "xaxis": _axis(x_title) | (xaxis or {}),
        "yaxis": _axis(y_title) | (yaxis or {}),
        "height": height,
        **more,
    }


def reference_line(
    y: float, text: str, *, yref: str = "y", side: str = "right"
) -> tuple[dict, dict]:
    """A dashed horizontal line across the plot at ``y`` and its label (shape, annotation).

    A plain shape: ``add_hline`` does the same through Plotly's update machinery, at several
    times the cost.
    """
    line = {
        "type": "line", "xref": "paper", "yref": yref, "x0": 0, "x1": 1, "y0": y, "y1": y,
        "line": {"color": REFERENCE_LINE, "dash": "dash", "width": 2},
    }  # fmt: skip
    note = {
        "xref": "paper", "yref": yref, "x": 1 if side == "right" else 0, "y": y,
        "xanchor": side, "yanchor": "bottom", "text": text, "showarrow": False,
        "font": {"color": REFERENCE_LINE}, "bgcolor": "rgba(255,255,255,0.8)",
    }  # fmt: skip
    return line, note


def current_point(x: float, y: float, *, name: str, hovertemplate: str) -> dict:
    """The slider's current value on a curve: a diamond in the highlight colour."""
    return {
        "type": "scatter", "x": [x], "y": [y], "mode": "markers", "name": name,
        "marker": {"color": SELECTED, "size": 13, "symbol": "diamond",
                   "line": {"color": TARGET_OUTLINE, "width": 1}},
        "hovertemplate": hovertemplate,
    }  # fmt: skip


def stale_title(title: str, stale: bool, note: str = "") -> str:
    """The title of a figure that shows the last valid input, marked with ``note``."""
    note = note or t("figure.stale_note")
    return f"{title}  <span style='color:{SELECTED}'>({note})</span>" if stale else title


def side_by_side(
    titles: list[str],
    x_titles: list[str],
    y_titles: list[str],
    *,
    gap: float = 0.08,
    shared_y: bool = False,
) -> dict:
    """Layout entries for panels in one row: ``xaxis``, ``xaxis2``, ... and their titles.

    What ``make_subplots`` builds, written as one dict: building through make_subplots and
    ``add_trace(row=, col=)`` costs tens of milliseconds a figure in Plotly's validation.
    Trace ``k`` (0-based) of a panel refers to it with ``xaxis="x{k+1}"``, ``yaxis="y{k+1}"``
    ("x" for 1). With ``shared_y`` the panels share the first panel's y axis. A panel after
    the first whose y title is its panel's title leaves the axis unnamed (it is named above).
    """
    n = len(titles)
    width = (1 - gap * (n - 1)) / n
    layout: dict = {"annotations": []}
    for k in range(n):
        suffix = "" if k == 0 else str(k + 1)
        left = k * (width + gap)
        x_axis = _axis(x_titles[k]) | {"domain": [left, left + width], "anchor": f"y{suffix}"}
        layout[f"xaxis{suffix}"] = x_axis
        # A panel right of another names its y axis only if its title above does not: in
        # the gap between panels the rotated title runs into the panel on its left on a
        # phone-wide chart
        y_title = "" if k > 0 and y_titles[k] == titles[k] else y_titles[k]
        y_axis = _axis(y_title) | {"anchor": f"x{suffix}"}
        if shared_y and k > 0:
            y_axis |= {"matches": "y", "showticklabels": False, "title": {"text": ""}}
        layout[f"yaxis{suffix}"] = y_axis
        layout["annotations"].append(
            {"text": titles[k], "xref": "paper", "yref": "paper", "x": left + width / 2,
             "y": 1.0, "xanchor": "center", "yanchor": "bottom", "showarrow": False,
             "font": {"size": 14}}
        )  # fmt: skip
    return layout


def panel_axes(k: int) -> dict:
    """The axis references of panel ``k`` (0-based), for a trace dict."""
    suffix = "" if k == 0 else str(k + 1)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
