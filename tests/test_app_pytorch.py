"""The "PyTorch" page through AppTest: every argument, the mistakes, and the shown code."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import APP, ROOT, run_script
from streamlit.testing.v1 import AppTest

import ce_core

PAGE = ROOT / "pages" / "pytorch.py"
PRESET = ce_core.PRESETS["3-vs-7"]
ACTS, TARG = torch.tensor(PRESET.logits), torch.tensor(PRESET.targets)
WEIGHT_KEY = "pt_weight_home_6x2"
PROBS_KEY = "pt_probs_home_6x2"


def run_page() -> AppTest:
    return run_script(PAGE)


def edit(at: AppTest, key: str, rows: dict) -> AppTest:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def table_with(at: AppTest, column: str):
    """The shown table that has ``column`` (editors are dataframes to AppTest too)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def route_values(at: AppTest) -> dict[str, str]:
    table = table_with(at, "route")
    return dict(zip(table["route"], table["value"], strict=True))


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += (
        [e.value for e in at.error] + [c.value for c in at.caption] + [x.value for x in at.latex]
    )
    return " ".join(parts)


def shown_code(at: AppTest) -> str:
    return next(c.value for c in at.code if "routes = {" in c.value)


def test_the_three_routes_give_the_books_number():
    at = run_page()
    values = route_values(at)
    assert set(values) == {"ce_core.explain", "softmax → log → nll_loss", "log_softmax → nll_loss",
                           "nn.CrossEntropyLoss", "F.cross_entropy"}  # fmt: skip
    assert set(values.values()) == {"1.779012"}
    assert r"\frac{10.6741}{6} = 1.7790" in texts(at)
    assert "N = 6" in texts(at)


@pytest.mark.parametrize(("reduction", "shown"), [("sum", "10.674"), ("none", "0.249")])
def test_the_sidebars_reduction_applies(reduction, shown):
    at = run_page()  # the first run reads the (empty) URL into the sidebar's keys
    at.session_state["reduction"] = reduction
    at.run()
    assert not at.exception
    assert all(v.startswith(shown) for v in route_values(at).values())


def test_class_weights_make_a_weighted_mean():
    at = run_page()
    at.toggle(key="pt_use_weight").set_value(True).run()
    edit(at, WEIGHT_KEY, {1: {"weight": 3.0}})
    expected = float(F.cross_entropy(ACTS, TARG, weight=torch.tensor([1.0, 3.0])))
    assert set(route_values(at).values()) == {f"{expected:.6f}"}
    assert "1 + 3 + 1 + 3 + 3 + 1 = 12" in texts(at)
    assert "weighted mean" in texts(at)


def test_a_cleared_weight_is_named_and_the_other_settings_stay():
    at = run_page()
    at.multiselect(key="pt_ignore_rows").set_value([2]).run()
    at.toggle(key="pt_use_weight").set_value(True).run()
    edit(at, WEIGHT_KEY, {0: {"weight": None}})
    assert not at.exception
    assert len(at.error) == 1 and "weight" in at.error[0].value and "'3'" in at.error[0].value
    assert at.multiselect(key="pt_ignore_rows").value == [2]
    edit(at, WEIGHT_KEY, {0: {"weight": 2.0}})
    assert not at.error
    expected = F.cross_entropy(ACTS, torch.tensor([0, 1, -100, 1, 1, 0]),
                               weight=torch.tensor([2.0, 1.0]))  # fmt: skip
    for value in route_values(at).values():  # float32: the routes may differ in the last digit
        assert float(value) == pytest.approx(float(expected), abs=2e-6)


def test_ignored_rows_leave_the_denominator():
    at = run_page()
    at.multiselect(key="pt_ignore_rows").set_value([1, 4]).run()
    expected = F.cross_entropy(ACTS, torch.tensor([0, -100, 0, 1, -100, 0]))
    assert set(route_values(at).values()) == {f"{float(expected):.6f}"}
    assert "not ignored" in texts(at)
    at.multiselect(key="pt_ignore_rows").set_value(list(range(6))).run()
    assert not at.exception
    assert set(route_values(at).values()) == {"nan"}
    assert any("0 / 0" in w.value for w in at.warning)


def test_ignore_index_set_to_a_class_ignores_that_class():
    at = run_page()
    at.number_input(key="pt_ignore_index").set_value(1).run()
    expected = F.cross_entropy(ACTS, TARG, ignore_index=1)
    assert set(route_values(at).values()) == {f"{float(expected):.6f}"}


def test_label_smoothing_leaves_the_nll_routes_out():
    at = run_page()
    at.slider(key="pt_smoothing").set_value(0.2).run()
    values = route_values(at)
    expected = f"{float(F.cross_entropy(ACTS, TARG, label_smoothing=0.2)):.6f}"
    assert values["F.cross_entropy"] == values["ce_core.explain"] == expected
    assert values["log_softmax → nll_loss"] == "—"
    assert "ε/C" in texts(at)
    at.run()  # the whole page: AppTest keeps only what the last rerun drew (below)
    at.slider(key="pt_smoothing").set_value(1.0).run()  # the extreme: a uniform target
    assert not at.exception


def test_the_slider_reruns_the_results_and_the_code_not_the_controls():
    """label_smoothing's callback reruns the fragments that show it (AppTest's tree then
    holds what that rerun drew): the results and the code, with its value; not the controls
    or the batch's own section, and the mistakes only while one is open."""
    at = run_page()
    at.slider(key="pt_smoothing").set_value(0.3).run()
    expected = f"{float(F.cross_entropy(ACTS, TARG, label_smoothing=0.3)):.6f}"
    assert route_values(at)["F.cross_entropy"] == expected
    assert "label_smoothing=0.3" in shown_code(at)
    drawn = {widget.key for widget in [*at.radio, *at.toggle, *at.slider]}
    assert not drawn & {"pt_target_kind", "pt_smoothing", "pt_mistake_no_log"}  # not again
    assert not at.table  # the batch's section (log rounding)
    at.run()
    at.toggle(key="pt_mistake_double_softmax").set_value(True).run()
    at.run()
    at.slider(key="pt_smoothing").set_value(0.1).run()
    double = F.cross_entropy(torch.softmax(ACTS, 1), TARG, label_smoothing=0.1)
    assert at.metric[0].value == f"{float(double):.4f}"
    assert "label_smoothing=0.1" in shown_code(at) and not at.table


def test_an_argument_of_the_controls_reruns_them_with_the_results():
    at = run_page()
    at.multiselect(key="pt_ignore_rows").set_value([0]).run()
    at.toggle(key="pt_use_weight").set_value(True).run()  # still drawn: the controls reran
    expected = f"{float(F.cross_entropy(ACTS[1:], TARG[1:])):.6f}"
    assert route_values(at)["F.cross_entropy"] == expected
    assert "weight" in shown_code(at)


def test_probability_targets_warn_when_rows_do_not_sum_to_one():
    at = run_page()
    at.radio(key="pt_target_kind").set_value("probability").run()
    assert set(route_values(at).values()) == {"1.779012"}  # one-hot rows: the same loss
    edit(at, PROBS_KEY, {0: {"c0": 0.5}, 2: {"c1": 1.0}})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "idx 0 (0.5)" in warning and "idx 2 (2)" in warning and "silently" in warning
    soft = torch.tensor(PRESET.logits).new_tensor(
        [[0.5, 0], [0, 1], [1, 1], [0, 1], [0, 1], [1, 0]]
    )
    expected = f"{float(F.cross_entropy(ACTS, soft)):.6f}"
    assert set(route_values(at).values()) == {expected}


def test_a_negative_or_empty_probability_is_an_error_naming_the_cell():
    at = run_page()
    at.radio(key="pt_target_kind").set_value("probability").run()
    edit(at, PROBS_KEY, {3: {"c1": -0.5}})
    assert "row 3, class '7'" in at.error[0].value and "negative" in at.error[0].value
    edit(at, PROBS_KEY, {3: {"c1": None}})
    assert "row 3, class '7'" in at.error[0].value
    assert not at.exception


@pytest.mark.parametrize(
    ("key", "wrong"),
    [("double_softmax", "0.8568"), ("no_log", "-0.3946"), ("no_minus", "-1.7790"),
     ("mse_one_hot", "0.4751")],
)  # fmt: skip
def test_each_mistake_shows_its_wrong_number_next_to_the_right_one(key, wrong):
    at = run_page()
    assert not at.metric
    at.toggle(key=f"pt_mistake_{key}").set_value(True).run()
    assert [m.value for m in at.metric] == [wrong, "1.7790"]
    if key == "mse_one_hot":  # two different losses: named, side by side, no difference
        assert [m.label for m in at.metric] == ["MSE on one-hot targets", "cross-entropy"]
        assert [m.proto.delta for m in at.metric] == ["", ""]
    else:
        assert at.metric[0].label == "the mistake gives" and at.metric[0].proto.delta


def test_a_double_softmax_states_its_cap_for_these_classes():
    at = run_page()
    at.toggle(key="pt_mistake_double_softmax").set_value(True).run()
    bound = math.e / (math.e + 1)  # C = 2
    assert f"**{bound:.4f}** for C = 2" in texts(at)
    assert f"never falls below **{-math.log(bound):.4f}**" in texts(at)


def test_a_mistake_that_drops_an_option_says_which():
    at = run_page()
    at.slider(key="pt_smoothing").set_value(0.2).run()
    at.run()  # the mistakes were closed: the slider's rerun did not draw them
    at.toggle(key="pt_mistake_no_log").set_value(True).run()
    at.toggle(key="pt_mistake_no_minus").set_value(True).run()
    drops = [c.value for c in at.caption if c.value.startswith("Both numbers leave out")]
    assert drops[0].startswith("Both numbers leave out `label_smoothing`:")
    # the right numbers beside the mistakes are those routes without smoothing
    right = f"{float(F.nll_loss(ACTS.log_softmax(1), TARG)):.4f}"
    assert [m.value for m in at.metric][1::2] == [right, right]


def test_log_of_softmax_and_log_softmax_side_by_side():
    at = run_page()
    table = next(t.value for t in at.table if "value (float32)" in t.value.columns)
    assert list(table.index)[:2] == ["torch.log(sm_acts)", "torch.log_softmax(acts, dim=1)"]
    via_log = float(torch.log(torch.softmax(ACTS, dim=1))[4, 0])
    assert table["value (float32)"].iloc[0] == f"{via_log:.7e}"
    assert "row 4, class 3" in texts(at) and "−4.4367e-03" in texts(at)
    assert "fastai" in texts(at) and "CrossEntropyLossFlat" in texts(at)


def test_the_get_preds_point_shows_raw_outputs_do_not_sum_to_one():
    at = run_page()
    at.toggle(key="pt_mistake_get_preds").set_value(True).run()
    table = table_with(at, "sum of the raw outputs")
    assert table.iloc[0, 1] == pytest.approx(-0.9916 - 2.2545, abs=1e-4)
    assert table.iloc[:, 3].tolist() == pytest.approx([1.0] * 6)


def run_printed(code: str) -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return dict(line.split(": ", 1) for line in out.strip().splitlines())


def test_the_shown_code_prints_the_numbers_on_the_page():
    at = run_page()
    at.toggle(key="pt_use_weight").set_value(True).run()
    edit(at, WEIGHT_KEY, {0: {"weight": 0.5}})
    at.multiselect(key="pt_ignore_rows").set_value([3]).run()
    page = route_values(at)
    printed = run_printed(shown_code(at))
    assert set(printed) == set(page) - {"ce_core.explain"}
    for name, value in printed.items():
        assert f"{float(value):.6f}" == page[name]


def test_a_csv_of_every_stage_is_offered():
    at = run_page()
    assert at.get("download_button")


@pytest.mark.parametrize("preset", list(ce_core.PRESETS))
def test_every_batch_with_every_kind_of_target(preset):
    at = run_page()
    at.selectbox(key="pt_source").set_value(preset).run()
    assert not at.exception
    at.radio(key="pt_target_kind").set_value("probability").run()
    assert not at.exception and not at.error
    assert all(not math.isnan(float(v.split(",")[0])) for v in route_values(at).values())


def test_the_page_inside_the_app():
    at = run_script(APP)
    at.switch_page("pages/pytorch.py").run()
    assert not at.exception
    assert at.title[0].value == "PyTorch's cross-entropy, argument by argument"
