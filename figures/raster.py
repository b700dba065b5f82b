"""Maps drawn as pictures: a grid of values as a PNG for a Plotly layout image.

A heatmap whose values change from frame to frame must be redrawn with the whole figure (Plotly
animates scatter and bar geometry in place, not a heatmap's z); a layout image's ``source``
swaps without a redraw. The picture is the heatmap's colours, cell for cell, at one pixel a
cell: the browser scales it to the axes (``layout_image``).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
from PIL import Image


def hex_rgb(color: str) -> tuple[int, int, int]:
    """``"#0072B2"`` -> ``(0, 114, 178)``."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def png_uri(image: Image.Image) -> str:
    """The picture as a ``data:`` URI, the smallest PNG Pillow writes."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def class_picture(classes: np.ndarray, colors: Sequence[str]) -> str:
    """``classes`` (R, C) ints in [0, len(colors)): cell ``[i, j]`` in ``colors[classes[i, j]]``.

    Row 0 is the bottom row, as a heatmap's z: the picture is flipped, its first row on top.
    A palette PNG: one byte a cell."""
    picture = Image.fromarray(np.ascontiguousarray(classes[::-1]).astype(np.uint8), mode="P")
    picture.putpalette([channel for color in colors for channel in hex_rgb(color)])
    return png_uri(picture)


def grey_picture(values: np.ndarray, low: float, high: float) -> str:
    """``values`` (R, C) in [low, high] as greys, Plotly's reversed ``Greys`` colour scale:
    ``low`` white, ``high`` black. Row 0 is the bottom row, as a heatmap's z."""
    share = np.clip((np.asarray(values, dtype=np.float64) - low) / (high - low), 0.0, 1.0)
    level = np.round(255 * (1.0 - share)).astype(np.uint8)
    return png_uri(Image.fromarray(np.ascontiguousarray(level[::-1]), mode="L"))


def layout_image(
    source: str, xs: np.ndarray, ys: np.ndarray, *, panel: int, opacity: float
) -> dict:
    """A layout image covering the cells centred on ``xs`` (C,) and ``ys`` (R,) (evenly
    spaced, increasing) of subplot ``panel`` (0: x/y, 1: x2/y2), under the traces."""
    dx, dy = float(xs[1] - xs[0]), float(ys[1] - ys[0])
    suffix = "" if panel == 0 else str(panel + 1)
    return {
        "source": source, "xref": f"x{suffix}", "yref": f"y{suffix}",
        "x": float(xs[0]) - dx / 2, "y": float(ys[-1]) + dy / 2,
        "sizex": dx * len(xs), "sizey": dy * len(ys), "sizing": "stretch",
        "xanchor": "left", "yanchor": "top", "layer": "below", "opacity": opacity,
    }  # fmt: skip
