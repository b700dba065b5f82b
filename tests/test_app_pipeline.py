"""Layer 4: the home page through Streamlit's AppTest (fast, no browser)."""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import APP, run_script
from streamlit.testing.v1 import AppTest

import ce_core
from ui.navigation import PAGES


def shown(markdown: str) -> str:
    """What a markdown source reads as on the page: ui.text's escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def run_app(query: dict[str, str] | None = None) -> AppTest:
    return run_script(APP, query)


CHECKS = ("ce_core", "F.cross_entropy", "nn.CrossEntropyLoss")
GUESSING = ("guessing: ln C", "this batch: mean loss", "perplexity: e^loss")


def metrics(at: AppTest, labels: tuple[str, ...] = CHECKS) -> dict[str, str]:
    """The page's metrics with these labels: by default ce_core's loss and PyTorch's two."""
    return {m.label: m.value for m in at.metric if m.label in labels}


def edit(at: AppTest, edited_rows: dict) -> AppTest:
    """Simulate typing into the editor: its key holds the delta, as in the browser."""
    at.session_state["acts_editor"] = {
        "edited_rows": edited_rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    return at


def expected_loss(acts, targ, **kwargs) -> str:
    return f"{float(F.cross_entropy(torch.tensor(acts), torch.tensor(targ), **kwargs)):.4f}"


def test_home_shows_the_books_number_three_ways():
    at = run_app()
    assert metrics(at) == {
        "ce_core": "1.7790",
        "F.cross_entropy": "1.7790",
        "nn.CrossEntropyLoss": "1.7790",
    }
    assert not at.error and not at.warning
    assert at.title[0].value == "From activations to cross-entropy loss"
    assert any("0.7795" in latex.value for latex in at.latex)  # sample 0 written out
    assert dict(at.query_params) == {}  # the default state: a bare link


def test_home_compares_the_loss_with_guessing():
    at = run_app()  # the book's 3 vs 7: 1.7790, worse than guessing between 2 classes
    loss = float(F.cross_entropy(*ce_core.PRESETS["3-vs-7"].tensors()))
    guess = float(F.cross_entropy(torch.zeros(6, 2), torch.tensor([0, 1, 0, 1, 1, 0])))
    assert f"{guess:.4f}" == f"{math.log(2):.4f}" == "0.6931"
    assert metrics(at, GUESSING) == {"guessing: ln C": "0.6931", "this batch: mean loss": "1.7790",
                                     "perplexity: e^loss": f"{math.exp(loss):.4f}"}  # fmt: skip
    text = " ".join(m.value for m in at.markdown)
    assert "ln C = ln 2 = **0.6931**" in text and "worse than guessing" in text
    assert f"1 / 5.92 = {math.exp(-loss):.4f}" in text  # the geometric mean of p(targ)
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    picked = torch.softmax(acts, dim=1)[range(6), targ]  # the book's sm_acts[idx, targ]
    assert float(picked.prod() ** (1 / 6)) == pytest.approx(math.exp(-loss), rel=1e-5)


def test_the_4th_digit_note_is_for_the_unedited_printed_presets_only():
    note = "the book prints 0.7434 and 0.1667"
    at = run_app()
    assert any(note in c.value for c in at.caption)
    edit(at, {0: {"3": 1.0}})  # edited: the note no longer describes these numbers
    assert not any(note in c.value for c in at.caption)
    at = run_app({"p": "pet-batch"})
    assert not any("4th digit" in c.value for c in at.caption)
    at = run_app({"p": "three-classes"})
    assert any("they print the losses 3.9384 and 1.3451" in c.value for c in at.caption)


def test_a_confident_right_batch_is_better_than_guessing():
    at = run_app()
    edit(at, {i: {"3": 8.0} if t == 0 else {"7": 8.0} for i, t in
              enumerate([0, 1, 0, 1, 1, 0])})  # fmt: skip
    assert any("better than guessing" in m.value for m in at.markdown)


@pytest.mark.parametrize("key", list(ce_core.PRESETS))
def test_every_preset(key):
    at = run_app()
    at.selectbox(key="source_choice").set_value(key).run()
    assert not at.exception and not at.error
    preset = ce_core.PRESETS[key]
    expected = expected_loss(preset.logits, preset.targets)
    assert set(metrics(at).values()) == {expected}


def test_editing_a_cell_moves_the_loss_and_the_url():
    at = edit(run_app(), {0: {"3": 5.0}})
    acts = [list(row) for row in ce_core.PRESETS["3-vs-7"].logits]
    acts[0][0] = 5.0
    expected = expected_loss(acts, [0, 1, 0, 1, 1, 0])
    assert expected != "1.7790" and set(metrics(at).values()) == {expected}
    assert at.query_params["e"] == "0_0_5"


def test_changing_a_target_in_the_table():
    at = edit(run_app(), {0: {"__targ__": "7"}})
    expected = expected_loss(ce_core.PRESETS["3-vs-7"].logits, [1, 1, 0, 1, 1, 0])
    assert set(metrics(at).values()) == {expected}
    assert at.query_params["te"] == "0_1"


def test_a_cleared_cell_names_the_cell_and_keeps_the_other_edits():
    at = edit(run_app(), {1: {"7": 2.5}})
    edited = metrics(at)["ce_core"]
    at = edit(at, {1: {"7": 2.5}, 3: {"3": None}})
    assert len(at.error) == 1
    assert "row 3, class '3' is empty" in shown(at.error[0].value)
    # the other edit is still there, and the figures show the last valid input
    assert at.query_params["e"] == "1_1_2.5~3_0_"
    assert metrics(at)["ce_core"] == edited
    # fixing the cell brings the live numbers back
    at = edit(at, {1: {"7": 2.5}, 3: {"3": 0.0}})
    assert not at.error and metrics(at)["ce_core"] != edited


def test_a_cleared_target_is_named():
    at = edit(run_app(), {2: {"__targ__": None}})
    assert "the target of row 2 is empty" in shown(at.error[0].value)


def test_a_shared_link_restores_the_view():
    at = run_app({"p": "cat-vs-dog", "i": "2", "dt": "float64", "red": "sum", "e": "0_1_0.1"})
    assert at.selectbox(key="source_choice").value == "cat-vs-dog"
    assert at.slider(key="sample").value == 2
    assert at.radio(key="dtype").value == "float64"
    assert at.radio(key="reduction").value == "sum"
    acts = [list(row) for row in ce_core.PRESETS["cat-vs-dog"].logits]
    acts[0][1] = 0.1
    expected = expected_loss(acts, [0, 0, 1], reduction="sum")
    assert set(metrics(at).values()) == {expected}
    assert any("Sample 2" in h.value for h in at.subheader)


def test_a_link_that_opens_on_an_error_still_shows_the_batch():
    at = run_app({"e": "0_0_"})
    assert "row 0, class '3' is empty" in shown(at.error[0].value)
    assert metrics(at)["ce_core"] == "1.7790"  # the unedited batch, dimmed and labelled


def test_a_malformed_link_warns_and_falls_back():
    at = run_app({"p": "nope", "i": "99", "red": "avg", "utm": "x"})
    warnings = " ".join(w.value for w in at.warning)
    assert "`p`" in warnings and "`i`" in warnings and "`red`" in warnings and "utm" not in warnings
    assert metrics(at)["ce_core"] == "1.7790"
    at.run()  # the warnings are shown once, not on every rerun
    assert not at.warning


def test_random_batch_controls():
    at = run_app()
    at.selectbox(key="source_choice").set_value("random").run()
    at.slider(key="random_rows").set_value(10).run()
    at.slider(key="random_classes").set_value(5).run()
    assert not at.exception
    batch = ce_core.random_preset(10, 5, 42)
    assert set(metrics(at).values()) == {expected_loss(batch.logits, batch.targets)}
    assert at.query_params["r"] == "10x5"
    at.number_input(key="random_seed").set_value(7).run()
    batch = ce_core.random_preset(10, 5, 7)
    assert set(metrics(at).values()) == {expected_loss(batch.logits, batch.targets)}


def test_pasting_a_printout():
    at = run_app()
    at.text_area(key="paste_acts").input(
        "tensor([[ 3.8538,  2.9746, -0.9948],\n"
        "        [ 0.8792, -1.5163,  2.1566]], device='cuda:0')"
    )
    at.text_area(key="paste_targets").input("TensorCategory([0, 1])")
    at.button[0].click().run()
    assert not at.exception and not at.error
    expected = expected_loss([[3.8538, 2.9746, -0.9948], [0.8792, -1.5163, 2.1566]], [0, 1])
    assert set(metrics(at).values()) == {expected}
    assert at.selectbox(key="source_choice").value == "pasted"
    assert at.query_params["m"] == "3.8538_2.9746_-0.9948~0.8792_-1.5163_2.1566"


def test_a_bad_paste_says_why_and_changes_nothing():
    at = edit(run_app(), {0: {"3": 1.0}})
    before = metrics(at)
    at.text_area(key="paste_acts").input("tensor([[1, 2], [3, oops]])")
    at.button[0].click().run()
    assert "'oops', which is not a number" in shown(at.error[0].value)
    assert metrics(at) == before and at.query_params["e"] == "0_0_1"
    at.text_area(key="paste_acts").input("tensor([[1., inf], [3., 4.]])")
    at.button[0].click().run()
    assert "row 0, class 1 is +infinite" in shown(at.error[0].value)
    assert metrics(at) == before


def set_sidebar(at: AppTest, **values: str) -> AppTest:
    """Sidebar widgets through their session-state keys: AppTest drops the sidebar from its
    element tree on reruns of an st.navigation app (the browser tests see it stay)."""
    for key, value in values.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_reduction_and_dtype_in_the_sidebar():
    at = set_sidebar(run_app(), reduction="sum")
    acts, targ = ce_core.PRESETS["3-vs-7"].logits, [0, 1, 0, 1, 1, 0]
    assert set(metrics(at).values()) == {expected_loss(acts, targ, reduction="sum")}
    assert at.query_params["red"] == "sum"
    at = set_sidebar(at, reduction="none")
    assert set(metrics(at).values()) == {"6 values"}
    at = set_sidebar(at, dtype="float64")
    assert any("in float64" in c.value for c in at.caption)


def test_the_sidebar_has_device_dtype_and_reduction():
    at = run_app()
    assert at.sidebar.selectbox(key="device").options == list(ce_core.DEVICE_CHOICES)
    assert at.sidebar.radio(key="dtype").value == "float32"
    assert at.sidebar.radio(key="reduction").value == "mean"
    captions = [c.value for c in at.sidebar.caption]
    # the path comes first, under the pages' list; the compute settings below it
    assert (
        captions[0] == f"The pages above are the path, in order. You are on step 1 of {len(PAGES)}."
    )
    assert "Computed on **cpu** in **float32**." in captions[-1]


@pytest.mark.skipif(torch.cuda.is_available(), reason="cuda is available here")
def test_an_unavailable_device_falls_back_to_cpu_with_a_note():
    at = run_app({"dev": "cuda"})
    assert "cuda is not available here" in at.sidebar.warning[0].value
    assert "Computed on **cpu**" in at.sidebar.caption[-1].value
    assert metrics(at)["ce_core"] == "1.7790"


def test_moving_the_sample_slider_rewrites_the_sample():
    at = run_app()
    at.slider(key="sample").set_value(4).run()
    assert any("Sample 4" in h.value for h in at.subheader)
    assert any("0.0044" in latex.value for latex in at.latex)
    assert at.query_params["i"] == "4"


def test_pasted_csv_with_class_names():
    at = run_app()
    at.text_area(key="paste_acts").input("cat,dog,fish\n0.5,1.5,-1\n2,0,0")
    at.text_area(key="paste_targets").input("fish cat")
    at.button[0].click().run()
    assert not at.exception and not at.error
    expected = expected_loss([[0.5, 1.5, -1.0], [2.0, 0.0, 0.0]], [2, 0])
    assert set(metrics(at).values()) == {expected}
    assert at.query_params["n"] == "cat~dog~fish" and at.query_params["t"] == "2_0"
    at.text_area(key="paste_acts").input("a~b,c\n1,2")
    at.button[0].click().run()
    assert "cannot contain '~'" in shown(at.error[0].value)


def test_the_books_table_is_printed_in_full_while_small_and_a_grid_when_not():
    at = run_app()
    (table,) = at.table  # 3-vs-7: six rows, like the book's printout
    shown = table.value
    assert list(shown.columns) == ["3", "7", "targ", "idx", "sm_acts[idx, targ]", "-log(p)"]
    assert float(shown["-log(p)"].iloc[4]) == pytest.approx(5.4201, abs=1e-4)
    big = run_app({"p": "pet-batch"})  # 64 x 37: a scrolling grid instead
    assert not big.table
    assert any("sm_acts[idx, targ]" in frame.value.columns for frame in big.dataframe)


def test_the_code_toggle_shows_code_that_prints_the_pages_loss():
    at = run_app()
    assert not at.code  # off by default: nothing to draw (or highlight) until asked
    at.toggle(key="show_code").set_value(True).run()
    (code,) = at.code
    namespace: dict = {}
    exec(compile(code.value, "<shown code>", "exec"), namespace)  # the page's own text
    loss = F.cross_entropy(namespace["acts"], namespace["targ"])
    assert f"{float(loss):.4f}" == metrics(at)["ce_core"] == "1.7790"


def test_the_server_computes_with_one_torch_thread():
    """ui.compute.use_one_thread: the browser shares the cores (bench/torch_threads.py).
    Each script run is a thread of its own, and a new thread takes torch's setting."""
    import threading

    def threads_of_a_new_thread() -> int:
        seen = []
        thread = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
        thread.start()
        thread.join()
        return seen[0]

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        assert threads_of_a_new_thread() == 2
        at = run_app()
        assert not at.exception
        assert threads_of_a_new_thread() == 1
    finally:
        torch.set_num_threads(before)
