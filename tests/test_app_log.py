"""The "Log & likelihood" page through AppTest: the seeds' numbers, sliders, extremes."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import APP, ROOT, run_script
from streamlit.testing.v1 import AppTest

PAGE = ROOT / "pages" / "log_likelihood.py"


def run_page() -> AppTest:
    return run_script(PAGE)


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += [c.value for c in at.caption] + [x.value for x in at.latex]
    return " ".join(parts)


def test_picking_and_nll_loss_only_negates():
    at = run_page()
    table = at.dataframe[0].value
    assert list(table["sm_acts[idx, targ]"].round(4)) == [
        0.7795,
        0.1098,
        0.1517,
        0.4755,
        0.0044,
        0.8464,
    ]
    nll = table["F.nll_loss(sm_acts, targ, reduction='none')"]
    assert (nll + table["sm_acts[idx, targ]"]).abs().max() < 1e-6  # just the sign
    assert list(table["-log(sm_acts[idx, targ])"].round(4)) == [
        0.2491,
        2.2091,
        1.8857,
        0.7433,
        5.4201,
        0.1668,
    ]
    assert any(
        "does not take" in w.value or "only picks and negates" in w.value for w in at.warning
    )


WHERE = "torch.where(...)"


def test_torch_where_picks_like_indexing_for_two_classes():
    at = run_page()  # the book's 3 vs 7 batch
    table = table_with(at, WHERE)
    assert (table[WHERE] - table["sm_acts[idx, targ]"]).abs().max() == 0
    text = next(m.value for m in at.markdown if "mnist_loss`, the mean" in m.value)
    # the book's mnist_loss is the mean of 1 - p(targ); cross-entropy's the mean of -ln p(targ)
    p = [0.7795, 0.1098, 0.1517, 0.4755, 0.0044, 0.8464]
    assert f"**{sum(1 - q for q in p) / 6:.3f}" in text
    assert "**1.7790**" in text


def test_torch_where_fails_for_three_classes():
    at = run_page()
    at.selectbox(key="ll_source").set_value("three-classes").run()
    table = table_with(at, WHERE)
    wrong = table[WHERE] != table["sm_acts[idx, targ]"]
    assert list(table.loc[wrong, "targ"]) == ["class 2", "class 2"]  # targets [0,1,0,2,2,0]
    assert any("disagree on **2 of 6** rows" in m.value for m in at.markdown)


def test_0_99_and_0_999():
    text = all_text(run_page())
    assert "0.01005" in text and "0.0010005" in text and "10 times less" in text


def table_with(at: AppTest, column: str):
    """The page's table that has ``column``."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_spreadsheet_rows_and_excel_base_10():
    table = table_with(run_page(), "isCat")
    product = table["−Σ one-hot · ln p"]
    assert (product - table["−ln p[targ]"]).abs().max() < 1e-12
    # the sheet's IF column: the same numbers, written as a choice between two logs
    assert (table["IF(isCat, …)"] - product).abs().max() < 1e-12
    assert list(table["−log10 p[targ]"].round(2)) == [0.3, 0.01, 1.0]


@pytest.mark.parametrize(
    ("key", "value"),
    [("ll_a", 0.01), ("ll_b", 10.0), ("ll_n", 500), ("ll_n", 1), ("ll_why_p", 0.99),
     ("ll_why_p", 0.01)],
)  # fmt: skip
def test_slider_extremes(key, value):
    at = run_page()
    at.slider(key=key).set_value(value).run()
    assert not at.exception


def test_the_probability_is_the_charts_own_slider():
    at = run_page()
    assert "ll_p" not in [slider.key for slider in at.slider]  # no rerun to move p
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    (spec,) = [spec for spec in specs if spec["layout"].get("sliders")]
    steps = {step["value"]: step["label"] for step in spec["layout"]["sliders"][0]["steps"]}
    assert "−log p = 2.3026" in steps["0.100"]  # -ln 0.1
    assert "log p = -0.6931" in steps["0.500"]
    # every position's numbers, for a keyboard or a screen reader, in an expander
    assert any(e.label.startswith("The numbers at every position") for e in at.expander)


def test_underflow_is_reported():
    at = run_page()
    at.slider(key="ll_n").set_value(500).run()
    assert any("exactly 0: underflow" in w.value for w in at.warning)
    at.slider(key="ll_n").set_value(2).run()
    assert not any("underflow" in w.value for w in at.warning)


def test_every_preset_as_the_batch():
    at = run_page()
    for key in at.selectbox(key="ll_source").options:
        at.selectbox(key="ll_source").set_value(key).run()
        assert not at.exception


def test_the_home_pages_batch_is_offered_after_a_visit():
    at = run_script(APP)
    at.switch_page("pages/log_likelihood.py").run()
    assert not at.exception
    assert at.selectbox(key="ll_source").value == "home"
    assert at.title[0].value == "Log & likelihood"
