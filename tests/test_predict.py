""" "Predict, then reveal" on the concept pages: at least two per page, each answer right by
the page's own numbers, and the feedback for a right and a wrong prediction."""

from __future__ import annotations

import math
import re

import pytest
import torch
import torch.nn.functional as F
from apptest_helpers import APP, ROOT, run_script
from streamlit.testing.v1 import AppTest

import ce_core
from i18n import catalog, t
from ui.predict import choices_of

# page -> (question key, the right choice's index), in the page's order
QUESTIONS = {
    APP: [("pipeline_largest", 1), ("pipeline_zeros", 1)],
    ROOT / "pages" / "softmax.py": [("softmax_temperature", 2), ("softmax_shift", 3)],
    ROOT / "pages" / "log_likelihood.py": [("log_scale", 1), ("log_product", 2)],
    ROOT / "pages" / "pytorch.py": [("pytorch_input", 1), ("pytorch_ignored", 1)],
    ROOT / "pages" / "gradients.py": [("gradients_row_sum", 2), ("gradients_wrong", 3)],
    ROOT / "pages" / "training.py": [("training_after", 1), ("training_unsure", 2)],
    ROOT / "pages" / "entropy.py": [("entropy_one_hot", 2), ("entropy_smoothing", 2)],
    ROOT / "pages" / "language_model.py": [("language_untrained", 2), ("language_padding", 1)],
}
CASES = [(page, key, answer) for page, questions in QUESTIONS.items() for key, answer in questions]


# The Softmax page's questions sit in tabs that draw only while open
TABS = {"softmax_temperature": "Temperature", "softmax_shift": "Adding a constant"}


def open_page(page, key: str) -> AppTest:
    at = run_script(page)
    if key in TABS:
        at.session_state["sm_view"] = TABS[key]
        at.run()
    return at


def radio_key(key: str) -> str:
    return f"quiz_predict-{key}_choice"


def reveal(at: AppTest, key: str, choice: int) -> AppTest:
    at.radio(key=radio_key(key)).set_value(choice).run()
    at.button(key=f"quiz_predict-{key}_reveal").click().run()
    assert not at.exception, at.exception
    return at


def test_every_question_of_the_catalog_is_asked():
    asked = {key for questions in QUESTIONS.values() for key, _ in questions}
    in_catalog = {k.split(".")[1] for k in catalog()
                  if k.startswith("predict.") and not re.search(r"_(\d+|why.*)$", k)}  # fmt: skip
    assert asked == in_catalog
    for questions in QUESTIONS.values():
        assert len(questions) >= 2
    # the right answer is not always in the same place
    assert len({answer for _, _, answer in CASES}) >= 3


@pytest.mark.parametrize(("page", "key", "answer"), CASES, ids=[c[1] for c in CASES])
def test_a_right_and_a_wrong_prediction(page, key, answer):
    at = open_page(page, key)
    choices = choices_of(key)
    assert at.radio(key=radio_key(key)).options == choices
    wrong = (answer + 1) % len(choices)
    reveal(at, key, wrong)
    said = [e.value for e in at.error if "You predicted" in e.value]
    assert said == [t("quiz.predicted_wrong", prediction=choices[wrong], answer=choices[answer])]
    at.button(key=f"quiz_predict-{key}_again").click().run()
    reveal(at, key, answer)
    right = next(s.value for s in at.success if "You predicted" in s.value)
    assert right.startswith(f"**You predicted {choices[answer]}: right.**")


def explanation(page, key: str, answer: int) -> str:
    at = reveal(open_page(page, key), key, answer)
    return next(s.value for s in at.success if "You predicted" in s.value)


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]


def test_the_temperature_answer_holds_for_the_default_row():
    text = explanation(ROOT / "pages" / "softmax.py", "softmax_temperature", 2)
    sliders = [round(a, 2) for a in ce_core.PRESETS["five-classes"].logits[0]]  # the defaults
    acts = torch.tensor(sliders, dtype=torch.float64)
    top = torch.softmax(acts / 0.1, dim=0).max()
    assert "fish" in text and f"{float(top):.4f} at T = 0.1" in text
    assert float(top) > 0.99  # towards 1 as T -> 0


def test_the_ignored_rows_answer_is_pytorchs_mean():
    text = explanation(ROOT / "pages" / "pytorch.py", "pytorch_ignored", 1)
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    targ[:2] = -100
    mean = F.cross_entropy(acts, targ)
    total = F.cross_entropy(acts, targ, reduction="sum")
    assert float(mean) == pytest.approx(float(total) / 4)
    assert f"gives {float(mean):.4f}" in text and f"{float(total) / 6:.4f}" in text


def test_the_double_softmax_numbers_are_the_books_batch():
    text = explanation(ROOT / "pages" / "pytorch.py", "pytorch_input", 1)
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    double = F.cross_entropy(torch.softmax(acts, dim=1), targ)
    assert f"{float(double):.4f} instead of 1.7790" in text


def test_the_underflow_answer_is_float32s():
    text = explanation(ROOT / "pages" / "log_likelihood.py", "log_product", 2)
    assert float(torch.full((500,), 0.1).prod()) == 0.0
    assert "The product is 0:" in text
    assert f"{500 * math.log(0.1):.2f}" in text


def test_the_gradient_rows_sum_to_zero_and_ce_pushes_hardest():
    page = ROOT / "pages" / "gradients.py"
    assert max(abs(v) for v in numbers(explanation(page, "gradients_row_sum", 2))) < 1e-6
    text = explanation(page, "gradients_wrong", 3)
    assert "= -0.9900" in text and "about 101 times" in text


def test_the_largest_loss_is_the_least_likely_target():
    text = explanation(APP, "pipeline_largest", 1)
    acts, targ = ce_core.PRESETS["3-vs-7"].tensors()
    losses = F.cross_entropy(acts, targ, reduction="none")
    assert int(losses.argmax()) == 4 and "sample 4" in text
    p = float(torch.softmax(acts, dim=1)[4, 1])  # 4 significant digits, not 0.0044
    assert f"{float(losses[4]):.4f}" in text and f"p ≈ {p:.4g}," in text


def test_the_training_answers_use_the_run():
    page = ROOT / "pages" / "training.py"
    text = explanation(page, "training_after", 1)
    start, end = numbers(text.split("still fell, from")[1])[:2]
    assert end < start
    shown = next(m.value for m in run_script(page).metric if "cross-entropy" in m.label)
    assert f"its final {shown}" in text  # the accuracy the page shows above
    low, high = numbers(explanation(page, "training_unsure", 2).split("runs from")[1])[:2]
    assert low < 0.75 < high  # unsure on a boundary, sure elsewhere
