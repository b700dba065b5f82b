"""The "Softmax & confidence" page through AppTest: sliders move numbers, extremes hold."""

from __future__ import annotations

import pytest
from apptest_helpers import APP, ROOT, run_script
from streamlit.testing.v1 import AppTest

PAGE = ROOT / "pages" / "softmax.py"


def run_page(view: str | None = None) -> AppTest:
    """The page, with the tab of ``view`` open (its label: tabs draw only while open)."""
    at = run_script(PAGE)
    if view is not None:
        at.session_state["sm_view"] = view
        at.run()
    return at


def texts(at: AppTest) -> str:
    return " ".join(
        [m.value for m in at.markdown] + [s.value for s in at.success]
        + [w.value for w in at.warning] + [i.value for i in at.info] + [c.value for c in at.caption]
        + [x.value for x in at.latex]
    )  # fmt: skip


def test_the_page_checks_the_three_claims_with_numbers():
    at = run_page()
    claims = [s.value for s in at.success]
    assert len(claims) == 3
    assert "above 0" in claims[0] and "below 1" in claims[1] and "1.000000000000" in claims[2]
    assert "12.1464" in texts(at)  # the spreadsheet's sum of exponentials
    # the open tab's row: three pictures (acts, exp, softmax), each with every number as text
    alts = [image.proto.imgs[0].alt for image in at.get("image")]
    assert [alt.split(":")[0] for alt in alts] == ["acts", "exp(acts)", "softmax"]
    assert "fish 2.07" in alts[0] and not at.get("plotly_chart")


@pytest.mark.parametrize(
    ("view", "header"),
    [("One class ahead", "A slightly larger activation wins big"),
     ("Temperature", "Temperature: dividing the activations by T"),
     ("Adding a constant", "Adding the same number to every activation changes nothing"),
     ("Sigmoid or softmax", "Softmax always picks a class")],
)  # fmt: skip
def test_each_tab_draws_its_view_only_while_open(view, header):
    at = run_page(view)
    headers = [h.value for h in at.header]
    assert header in headers and "One row: activations, exp, softmax" not in headers
    assert not at.exception


def test_an_activation_slider_moves_the_numbers():
    at = run_page()
    before = texts(at)
    at.slider(key="sm_act_0").set_value(5.0).run()
    assert not at.exception and texts(at) != before
    assert "e^{a_j}" in at.latex[0].value


@pytest.mark.parametrize("n_classes", [2, 10])
def test_class_count_extremes(n_classes):
    at = run_page()
    at.slider(key="sm_n").set_value(n_classes).run()
    assert not at.exception
    assert len([s for s in at.slider if s.key and s.key.startswith("sm_act_")]) == n_classes


def test_names_are_editable_and_made_unique():
    at = run_page()
    at.text_input(key="sm_names").input("a, a, b").run()
    assert not at.exception
    labels = [s.label for s in at.slider if s.key and s.key.startswith("sm_act_")]
    assert labels == ["a", "a (2)", "b", "3", "4"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("sm_shift", -50.0), ("sm_shift", 50.0), ("sm_act_0", -10.0), ("sm_act_0", 10.0),
     ("sm_largest", 1000.0), ("sm_largest", 0.0), ("sm_n", 2), ("sm_n", 10)],
)  # fmt: skip
def test_slider_extremes_do_not_break_the_page(key, value):
    at = run_page("Adding a constant" if key == "sm_shift" else None)
    at.slider(key=key).set_value(value).run()
    assert not at.exception


def test_shift_changes_nothing():
    at = run_page("Adding a constant")
    at.slider(key="sm_shift").set_value(50.0).run()
    shift_text = next(m.value for m in at.markdown if "differ by at most" in m.value)
    assert "e-1" in shift_text or "0.00e+00" in shift_text  # ~1e-16, or exactly 0


@pytest.mark.parametrize(("dtype", "largest"), [("float32", 100.0), ("float64", 800.0)])
def test_pushing_past_the_overflow(dtype, largest):
    at = run_page()
    at.session_state["dtype"] = dtype  # the sidebar's precision
    at.slider(key="sm_largest").set_value(largest).run()
    assert not at.exception
    warning = next(w.value for w in at.warning if "overflows to inf" in w.value)
    # [largest, 0, -1]: exp(largest) is inf, so inf / inf = nan there and 1 / inf = 0 twice
    assert "inf / inf: 1 of them" in warning and "inf: 2 of them" in warning
    assert "adds up to 1.000000" in warning
    assert any(f"Precision: {dtype}" in c.value for c in at.caption)


def test_softmax_picks_a_class_at_every_offset():
    at = run_page("Sigmoid or softmax")
    result = next(m.value for m in at.markdown if "softmax picks" in m.value)
    assert "from -10 to +5" in result and "**fish**" in result
    # softmax sees differences only: every offset changes it by rounding at most
    change = float(result.split("at most ")[1].split(". ")[0])
    assert change < 1e-12


def test_the_explorations_have_no_streamlit_slider():
    """Gap, temperature and the multi-label offset are the charts' own sliders now."""
    keys = set()
    for view in ("One class ahead", "Temperature", "Adding a constant", "Sigmoid or softmax"):
        at = run_page(view)
        keys |= {slider.key for slider in at.slider} | {s.key for s in at.select_slider}
    assert not keys & {"sm_gap", "sm_temperature", "sm_offset"}
    assert {"sm_n", "sm_shift", "sm_largest", "sm_act_0"} <= keys


def test_the_page_is_registered_in_the_app():
    at = run_script(APP)
    at.switch_page("pages/softmax.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Softmax & confidence"
