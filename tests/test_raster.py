"""figures/raster.py: maps as pictures, read back pixel by pixel."""

from __future__ import annotations

import numpy as np
import pytest
from plotly_payload import palette, picture

from figures.raster import class_picture, grey_picture, hex_rgb, layout_image
from figures.style import class_color


def test_a_class_map_is_one_palette_pixel_a_cell_top_row_first():
    classes = np.array([[0, 1, 2], [2, 2, 0]])  # row 0 is the bottom row, as a heatmap's z
    colors = [class_color(k) for k in range(3)]
    source = class_picture(classes, colors)
    np.testing.assert_array_equal(picture(source), classes[::-1])
    assert palette(source)[:3] == [hex_rgb(c) for c in colors]


def test_a_class_missing_from_the_map_keeps_every_index():
    """The pixels are class indices: a map without class 1 still means class 2 by 2."""
    classes = np.array([[0, 2], [2, 0]])
    source = class_picture(classes, [class_color(k) for k in range(3)])
    np.testing.assert_array_equal(picture(source), classes[::-1])


def test_greys_follow_plotlys_reversed_greys_scale():
    values = np.array([[0.25, 0.625], [1.0, 0.0]])  # below low is clipped to white
    levels = picture(grey_picture(values, 0.25, 1.0))
    # low -> 255 (white), high -> 0 (black), linear between; first row is the top row
    np.testing.assert_array_equal(levels, [[0, 255], [255, 128]])


def test_the_picture_covers_the_cells_exactly():
    xs, ys = np.linspace(-1.0, 1.0, 5), np.linspace(0.0, 2.0, 3)  # steps 0.5 and 1.0
    image = layout_image("data:", xs, ys, panel=1, opacity=0.5)
    assert (image["xref"], image["yref"]) == ("x2", "y2")
    assert image["x"] == pytest.approx(-1.25) and image["sizex"] == pytest.approx(2.5)
    assert image["y"] == pytest.approx(2.5) and image["sizey"] == pytest.approx(3.0)
    assert (image["xanchor"], image["yanchor"], image["sizing"]) == ("left", "top", "stretch")
    assert image["layer"] == "below" and image["opacity"] == 0.5


def test_hex_colours():
    assert hex_rgb("#0072B2") == (0, 114, 178)
