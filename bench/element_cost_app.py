"""A one-slider page for ``bench/element_costs.py``: the slider reruns a fragment, and
``COUNT`` elements of one ``KIND`` are drawn ``WHERE`` (environment variables):

- ``changing``: in the fragment, each showing the slider's value (a move changes them;
  a slider keeps its own value);
- ``unchanged``: in the fragment, the same at every value (a move sends them again);
- ``outside``: after the fragment, drawn once (a move does not send them at all).

The kinds are the ones this app's pages are made of, at the sizes its pages use them.
"""

from __future__ import annotations

import os

import streamlit as st

KIND = os.environ.get("KIND", "none")
COUNT = int(os.environ.get("COUNT", "10"))
WHERE = os.environ.get("WHERE", "changing")

# As long as the Softmax row's formula: six aligned lines with fractions and numbers
FORMULA = (
    r"\begin{aligned}"
    + r" \\[3pt] ".join(
        rf"p_{{\text{{class {i}}}}} &= \frac{{e^{{VALUE}}}}{{\sum_j e^{{a_j}}}}"
        rf" = \tfrac{{VALUE}}{{22.5000}} = VALUE"
        for i in range(6)
    )
    + r"\end{aligned}"
)
# As long as the PyTorch page's code: 25 lines of Python with numbers
CODE = "\n".join(
    f"loss_{i} = F.cross_entropy(acts, targ, label_smoothing=VALUE)  # line {i}" for i in range(25)
)
PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160">'
    + "".join(
        f'<rect x="{i * 40}" y="HEIGHT" width="30" height="50" fill="#4c78a8"/>' for i in range(10)
    )
    + "</svg>"
)


def draw(index: int, value: float) -> None:
    """One element of ``KIND`` showing ``value``."""
    text = f"{value:.2f}"
    if KIND == "markdown":
        st.markdown(f"Paragraph {index}: the value is **{text}**, with `code` and words.")
    elif KIND == "formula":
        st.latex(FORMULA.replace("VALUE", text))
    elif KIND == "code":
        st.code(CODE.replace("VALUE", text), language="python")
    elif KIND == "plain_code":
        st.code(CODE.replace("VALUE", text), language=None)
    elif KIND == "grid":
        st.dataframe({"route": list("abcd"), "value": [value * k for k in range(1, 5)]})
    elif KIND == "table":
        st.table({"route": list("abcd"), "value": [value * k for k in range(1, 5)]})
    elif KIND == "picture":
        st.image(PICTURE.replace("HEIGHT", str(int(value * 100))), width=400)
    elif KIND == "slider":
        st.slider(f"class {index}", -10.0, 10.0, 1.0, 0.01, key=f"slider_{index}")  # as drawn
    elif KIND == "alert":
        st.success(f"Check {index}: the value {text} is fine.")


@st.fragment
def explore() -> None:
    value = st.slider("value", 0.0, 1.0, 0.5, 0.01)
    if WHERE != "outside":
        for index in range(COUNT if KIND != "none" else 0):
            draw(index, value if WHERE == "changing" else 0.5)


st.title("Element costs")
explore()
if WHERE == "outside":
    for index in range(COUNT if KIND != "none" else 0):
        draw(index, 0.5)
