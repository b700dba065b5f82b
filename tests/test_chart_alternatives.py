"""Every chart on every page has a text alternative (ui/charts.py): an accessible name that
ends with the numbers it shows, its title above it in the page, and its numbers in a table
a click away (or, for an exploration, the page's table of every position)."""

from __future__ import annotations

import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import APP
from streamlit.testing.v1 import AppTest

import ce_core
import figures
from i18n import t
from ui import keys
from ui.charts import _lift_title, show_chart
from ui.navigation import PAGES
from ui.text import escape_markdown


def opened(path: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list[tuple[dict, str]]:
    return [(json.loads(chart.proto.spec), chart.proto.alt) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.key)
def test_every_chart_is_named_titled_and_tabled(spec):
    at = opened(spec.path)
    labels = [expander.label for expander in at.expander]
    for figure, alt in charts(at):
        title = figure["layout"]["meta"]["title"]
        assert alt.strip(), f"{title}: no accessible name"
        assert not figure["layout"].get("title")  # written above the chart instead
        shown = escape_markdown(title)
        assert any(shown in m.value for m in at.markdown), f"{title}: no title in the page"
        if figure["layout"].get("sliders"):  # an exploration: its page tables every position
            assert t("explore.numbers") in labels, f"{title}: no table of its positions"
        else:
            said = alt.replace(title, "")  # the title's own digits ("5-7.") do not count
            assert re.search(r"\d", said), f"{title}: its name says no number: {alt}"
            assert t("a11y.chart_numbers", title=shown) in labels, f"{title}: no numbers' table"


def test_the_home_pages_numbers_table_is_the_matrix_pytorch_gives():
    book = ce_core.PRESETS["3-vs-7"]
    softmax = torch.softmax(torch.tensor(book.logits, dtype=torch.float32), dim=1).numpy()

    def softmax_tables(at: AppTest) -> list:
        return [d.value for d in at.dataframe if list(d.value.columns) == list(book.class_names)
                and np.allclose(d.value.to_numpy(), softmax, atol=1e-6)]  # fmt: skip

    at = opened("pages/pipeline.py")
    assert not softmax_tables(at)  # built only while open
    at.session_state["matrix_softmax_numbers"] = True  # the expander's key: opened
    at.run()
    (table,) = softmax_tables(at)
    assert len(table) == len(book.targets)


def test_the_loss_charts_name_is_the_books_sample_4():
    at = opened("pages/pipeline.py")
    (alt,) = [alt for figure, alt in charts(at) if figure["layout"].get("clickmode")
              or "5–7" in figure["layout"]["meta"]["title"]]  # fmt: skip
    assert (
        "Sample 4 has the largest loss, 5.4201, because its target's probability is 0.0044" in alt
    )


def test_show_chart_needs_a_name_and_a_key_for_its_numbers():
    figure = go.Figure(go.Bar(x=[0, 1], y=[1.0, 2.0]), layout={"title": {"text": "t"}})
    with pytest.raises(TypeError):
        show_chart(figure)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="key"):
        show_chart(figure, alt="two bars, 1 and 2")


def test_a_stale_figures_title_is_written_without_its_markup():
    figure = figures.make_row_sums(
        np.array([1.5, 2.0]), title="3. Row sums", value_label="sum", stale=True,
        stale_note="last valid input",
    )  # fmt: skip
    assert "<span" in figure.layout.title.text
    assert _lift_title(figure) == ("3. Row sums  (last valid input)", "")
    assert not figure.layout.title.text and figure.layout.meta["title"].endswith("input)")


def test_the_loss_charts_table_is_built_when_opened_and_agrees_with_pytorch():
    book = ce_core.PRESETS["3-vs-7"]
    losses = F.cross_entropy(
        torch.tensor(book.logits), torch.tensor(book.targets), reduction="none"
    ).numpy()

    def loss_tables(at: AppTest) -> list:
        return [d.value for d in at.dataframe if "targ" in d.value.columns
                and t("stage.loss_label") in d.value.columns]  # fmt: skip

    at = opened("pages/pipeline.py")
    assert not loss_tables(at)
    at.session_state[f"{keys.TARGET_LOSS_CHART}_numbers"] = True
    at.run()
    (table,) = loss_tables(at)
    np.testing.assert_allclose(table[t("stage.loss_label")], losses, rtol=1e-5)
    assert list(table["targ"]) == [book.class_names[k] for k in book.targets]


def test_the_coding_pictures_table_gives_p_and_an_infinite_length_as_they_are():
    at = opened("pages/entropy.py")
    at.session_state["en_coding_numbers"] = True
    at.run()
    (table,) = [d.value for d in at.dataframe if t("entropy.coding_q") in d.value.columns]
    assert np.isclose(table["p"].sum(), 1.0)  # the widths' p, not the bars' centres
    # the area of the picture, sum of p * -log q over the classes with p > 0, is the H(p, q)
    # its name gives
    p, q_lengths = table["p"].to_numpy(), table[t("entropy.coding_q")].to_numpy()
    (alt,) = [alt for figure, alt in charts(at) if figure["layout"]["meta"]["title"]
              == t("entropy.coding_title")]  # fmt: skip
    area = float(re.search(r"H\(p, q\) = ([0-9.]+)", alt).group(1))
    assert np.isclose((p[p > 0] * q_lengths[p > 0]).sum(), area, atol=5e-5)
