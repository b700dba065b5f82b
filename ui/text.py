"""Text a learner (or a link) can influence, made safe to show inside Streamlit markdown.

Streamlit never renders raw HTML unless a call asks for it (no call here does),
but markdown itself can still make an image request (``![](http://...)``), a link, a
coloured directive (``:red[...]``) or LaTeX (``$...$``). Every such character is escaped,
so the text reads back exactly as typed, and long values are cut.
"""

from __future__ import annotations

import re

MAX_ECHO_CHARS = 300
# What can turn into markup mid-sentence: emphasis and code (*_`~), links and images
# (![]), autolinks and tags (<>), Streamlit's directives (:red[...]: the brackets and the
# colon, which also stops a bare URL from becoming a link), LaTeX ($), tables (|) and the
# escape itself. Newlines are removed, so line-start markup (# - + 1.) cannot happen.
_SPECIAL = re.compile(r"([\\`*_{}\[\]!|<>~:$])")


def escape_markdown(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    r"""``text`` with every markdown special escaped and at most ``limit`` characters kept.

    >>> print(escape_markdown("![x](http://e.vil) <script>"))
    \!\[x\](http\://e.vil) \<script\>
    """
    text = str(text).replace("\r", " ").replace("\n", " ")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _SPECIAL.sub(r"\\\1", text)


def number(value: float, digits: int = 4, *, signed: bool = False) -> str:
    """A number as the app shows it: ``digits`` decimals (a sign always, if ``signed``),
    ``nan`` as nan, never "-0.0000".

    >>> number(-0.00001), number(1.77903), number(float("nan")), number(0.25, 2, signed=True)
    ('0.0000', '1.7790', 'nan', '+0.25')
    """
    value = float(value)
    if value != value:
        return "nan"
    text = f"{value:{'+' if signed else ''}.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def significant(value: float, digits: int = 6) -> str:
    """A number to ``digits`` significant digits, as printouts show very small or large ones.

    >>> significant(1.23456789e-30), significant(float("inf"))
    ('1.23457e-30', 'inf')
    """
    return f"{float(value):.{digits}g}"
