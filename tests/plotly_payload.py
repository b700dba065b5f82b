"""Reading back what a figure sends: Plotly's typed arrays, and the maps that
figures/raster.py writes as PNG ``data:`` URIs."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

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
