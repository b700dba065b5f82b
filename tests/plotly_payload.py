"""Reading back what a figure sends: Plotly's typed arrays, the maps that figures/raster.py
writes as PNG ``data:`` URIs, and the Gradients readout at one class count."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
from PIL import Image

from figures.gradients import PER_COUNT_STYLE

PREFIX = "data:image/png;base64,"


def values(array: list | dict) -> np.ndarray:
    """A trace's numbers: a list, or Plotly's typed array ({"dtype", "bdata", "shape"})."""
    if isinstance(array, dict):
        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
        shape = array.get("shape")
        return flat.reshape([int(n) for n in shape.split(",")]) if shape else flat
    return np.asarray(array)


def picture(source: str) -> np.ndarray:
    """The pixels of a layout image's ``source``: (H, W) palette indices or grey levels."""
    assert source.startswith(PREFIX), source[:40]
    with Image.open(io.BytesIO(base64.b64decode(source[len(PREFIX) :]))) as image:
        assert image.mode in ("P", "L"), image.mode
        return np.asarray(image)


def palette(source: str) -> list[tuple[int, int, int]]:
    """The colours of a palette picture, in index order."""
    with Image.open(io.BytesIO(base64.b64decode(source[len(PREFIX) :]))) as image:
        flat = image.getpalette() or []
    return [tuple(flat[i : i + 3]) for i in range(0, len(flat), 3)]


def at_class_count(readout: str, n_classes: int) -> str:
    """A Gradients readout as the page's style rule shows it at ``n_classes``
    (``figures.gradients.class_count_rule``): that count's numbers, no other count's."""
    marked = re.escape(PER_COUNT_STYLE) + r"(\d+)"

    def shown(match: re.Match) -> str:
        return match.group(2) if int(match.group(1)) == n_classes else ""

    return re.sub(rf'<span style="{marked}">([^<]*)</span>', shown, readout)
