"""Reading the app's SVG pictures (figures/bar_picture.py) back in tests: the bars, the
texts, and the y axis as the drawn tick labels say."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from figures.bar_picture import LEFT

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def text_of(element: ET.Element) -> str:
    """A text element's words, its lines (tspans) joined by newlines."""
    spans = list(element.iter(f"{SVG}tspan"))
    return "\n".join(span.text for span in spans) if spans else element.text


def texts_of(root: ET.Element) -> list[str]:
    return [text_of(t) for t in root.iter(f"{SVG}text")]


def ticks_of(root: ET.Element) -> dict[float, float]:
    """Tick value -> its y, read from the labels at the axis (right-aligned left of it)."""
    labels = [t for t in root.iter(f"{SVG}text") if t.get("x") == f"{LEFT - 8:.1f}"]
    return {float(t.text.replace("−", "-")): float(t.get("y")) - 4 for t in labels}


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]


def axis_map(root: ET.Element):
    """The y of a value, as the drawn tick labels say (a straight line through them)."""
    ticks = ticks_of(root)
    (v0, y0), (v1, y1) = min(ticks.items()), max(ticks.items())
    return lambda value: y0 + (value - v0) * (y1 - y0) / (v1 - v0)
