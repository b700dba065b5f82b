"""Layer 4, hardening: 200 random and hostile query strings against the whole app.

None may raise, none may reach the page as markup: every malformed parameter becomes a
warning that quotes it escaped (ui.text), and the app falls back to the default.
"""

from __future__ import annotations

import random
import re
import string
from urllib.parse import parse_qsl, urlencode

import pytest
from apptest_helpers import APP
from streamlit.testing.v1 import AppTest

from ui.state import MAX_ROWS, decode
from ui.text import escape_markdown

PARAMS = ("p", "r", "seed", "m", "t", "n", "e", "te", "i", "dev", "dt", "red", "zz")
HOSTILE = [
    "9" * 400, "-1", "-999999999999999999999", "nan", "NaN", "inf", "-inf", "1e309", "-0",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "![pixel](http://evil.example/p.png)", "[click](javascript:alert(1))", ":red[boo]",
    "$\\href{http://evil.example}{x}$", "`code`", "**bold**", "# heading", "| a | b |",
    "\x00", "%00", "'\"", "\\", "x" * 10_000, "1x1", "0x0", "64x41", "65x2", "-3x-3",
    "6x3", "999999999x999999999", "6x3_2", "~~~", "_", "__", "0_0_", "0_0_nan", "0_0_1e999",
    "99999_0_1", "0_99999_1", "-1_-1_-1", "0_0_1~" * 3000, "1,2;3", "[[1,2],[3]]",
    "[[nan, 1]]", "tensor([[1e999, 2]])", "3-vs-7", "pet-batch", "cuda", "mps", "float16",
    "none", "MEAN", "\u202e\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "🎯" * 50, " ", "",
]  # fmt: skip


def random_value(rng: random.Random) -> str:
    alphabet = string.printable + "~_-.😀<>[]()!$:`\u00e9\u4e2d"
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(HOSTILE)
    if kind < 0.5:
        return str(rng.choice([-1, 0, 1, 2**31, 2**63, -(2**63), 10**100]) + rng.randint(-3, 3))
    if kind < 0.7:  # edit-shaped items, plausible and not
        values = ["", "1.5", "x", "nan", "1e400"]
        items = [f"{rng.randint(-5, 70)}_{rng.randint(-5, 45)}_{rng.choice(values)}"
                 for _ in range(rng.randint(1, 8))]  # fmt: skip
        return "~".join(items)
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300)))


def hostile_queries(count: int = 200, seed: int = 20261122) -> list[str]:
    """Query strings: one to four parameters, some repeated, with hostile values."""
    rng = random.Random(seed)
    queries = []
    for _ in range(count):
        pairs = [(rng.choice(PARAMS), random_value(rng)) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.2:  # a repeated key, as ?p=a&p=b
            pairs.append((pairs[0][0], random_value(rng)))
        queries.append(urlencode(pairs))
    return queries


QUERIES = hostile_queries()


def as_streamlit_reads_it(query: str) -> dict[str, str]:
    """``st.query_params.to_dict()``: a repeated key keeps its last value."""
    return dict(parse_qsl(query, keep_blank_values=True))


def test_there_are_200_queries_and_they_differ():
    assert len(QUERIES) == 200 and len(set(QUERIES)) > 190


@pytest.mark.parametrize("query", QUERIES)
def test_decoding_never_raises_and_stays_in_bounds(query):
    state, problems = decode(as_streamlit_reads_it(query))
    batch = state.source.batch()  # the state always describes a batch the app can show
    n_rows, n_classes = batch.shape
    assert 1 <= n_rows <= MAX_ROWS and n_classes >= 2
    assert 0 <= state.sample < n_rows
    assert all(0 <= r < n_rows and 0 <= c < n_classes for r, c in state.cell_edits)
    for problem in problems:
        assert len(escape_markdown(problem.reason)) < 700


UNESCAPED_MARKUP = re.compile(r"(?<!\\)(<[a-zA-Z/]|\]\(|!\[|:red\[|\$)")


@pytest.mark.parametrize("query", QUERIES)
def test_the_app_survives_every_query_and_echoes_no_markup(query):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(as_streamlit_reads_it(query))
    at.run()
    assert not at.exception, query
    assert at.title[0].value == "From activations to cross-entropy loss"
    for element in [*at.warning, *at.error, *at.info]:
        assert not UNESCAPED_MARKUP.search(element.value), (query, element.value)
        assert len(element.value) < 1500


@pytest.mark.parametrize(
    ("query", "quoted"),
    [
        ("p=<script>alert(1)</script>", r"\<script\>alert(1)\<"),
        ("p=![pixel](http://e.vil/p.png)", r"\!\[pixel\](http\://e.vi"),  # cut at 20
        ("i=99999999999999999999", "is not a whole number"),
        ("i=7", "between 0 and 5"),
        ("dt=:red[boo]", r"\:red\[boo\]"),
    ],
)
def test_a_hostile_value_is_quoted_escaped_and_the_default_used(query, quoted):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(as_streamlit_reads_it(query))
    at.run()
    assert len(at.warning) == 1 and quoted in at.warning[0].value
    assert at.title[0].value == "From activations to cross-entropy loss"


def test_escaping_reads_back_as_typed():
    text = "![pixel](http://e.vil/p.png) <b>x</b> :red[y] $z$ `c` *e* ~s~ |t| \\"
    escaped = escape_markdown(text)
    assert re.sub(r"\\(.)", r"\1", escaped) == text
    assert not UNESCAPED_MARKUP.search(escaped)
    assert escape_markdown("a\nb") == "a b" and len(escape_markdown("x" * 10_000)) == 300
