"""The "Check yourself" page through AppTest: right and wrong answers, the score, bad typing,
new numbers; and ui.quiz's widgets on their own (predict_then_reveal, parse_number)."""

from __future__ import annotations

import pytest
from apptest_helpers import APP, ROOT, run_script
from streamlit.testing.v1 import AppTest

from ce_core import exercises
from i18n import t
from ui import quiz

PAGE = ROOT / "pages" / "check_yourself.py"
ANSWERS = {"pieces": 1, "guarantees": 3, "when_not": 2, "where": 0, "log_neg": 3,
           "why_log": 2, "nll": 0, "ce_input": 1}  # fmt: skip


def run_page() -> AppTest:
    return run_script(PAGE)


def score(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Score this session"))


def infos(at: AppTest) -> list[str]:
    """The answers' st.info boxes (not the page's "Notice" at the top)."""
    return [i.value for i in at.info if i.value != t("path.notice_check")]


def choose(at: AppTest, key: str, index: int) -> AppTest:
    at.radio(key=f"quiz_{key}_choice").set_value(index)
    at.button(key=f"quiz_{key}_check").click().run()
    assert not at.exception, at.exception
    return at


def type_number(at: AppTest, key: str, text: str) -> AppTest:
    at.text_input(key=f"quiz_{key}_typed").input(text)
    at.button(key=f"quiz_{key}_check").click().run()
    assert not at.exception, at.exception
    return at


def test_the_page_draws_every_question_without_exception():
    at = run_page()
    assert [title.value for title in at.title] == [t("check.title")]
    assert len(at.radio) == 9  # 8 of the chapter's questions + "which row"
    assert len(at.text_input) == 4  # softmax by hand, loss, bumped loss, mean
    assert len(at.get("plotly_chart")) == 1
    assert score(at).startswith("Score this session: 0 right of 0 answered")
    assert not at.success and not at.error


def test_a_right_choice_shows_success_and_counts():
    at = choose(run_page(), "pieces", 1)
    assert len(at.success) == 1 and at.success[0].value.startswith("**Right.**")
    assert t("check.pieces_explanation") in at.success[0].value
    assert score(at).startswith("Score this session: 1 right of 1 answered")


def test_a_wrong_choice_gets_its_own_feedback_then_the_answer():
    at = choose(run_page(), "pieces", 3)
    assert at.error[0].value == t("quiz.wrong", feedback=t("check.pieces_feedback_3"))
    assert "takes no log" in at.error[0].value  # aimed at the nll_loss mistake
    assert infos(at)[0].startswith(f"**The answer: {t('check.pieces_choice_1')}.**")
    assert score(at).startswith("Score this session: 0 right of 1 answered")
    # a second answer changes the feedback, not the score: each question counts once
    at = choose(at, "pieces", 1)
    assert at.success and not at.error
    assert score(at).startswith("Score this session: 0 right of 1 answered")


def test_every_choice_of_every_question_gets_its_feedback():
    at = run_page()
    for key, right in ANSWERS.items():
        for choice in range(4):
            at = choose(at, key, choice)
            if choice == right:
                expected, boxes = t(f"check.{key}_explanation")[:30], at.success
            else:
                expected, boxes = t(f"check.{key}_feedback_{choice}")[:30], at.error
            assert any(expected in box.value for box in boxes), (key, choice)
    # each question counted on its first answer, choice 0: right only where it is the answer
    assert score(at).startswith("Score this session: 2 right of 8 answered")


def test_check_without_a_choice_asks_for_one():
    at = run_page()
    at.button(key="quiz_guarantees_check").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == [t("quiz.choose_first")]
    assert score(at).startswith("Score this session: 0 right of 0 answered")


def test_the_quoted_numbers_are_computed():
    at = choose(run_page(), "why_log", 0)
    explanation = infos(at)[0]
    for quoted in ("0.01005", "0.0010005", "about 10 times", "is 0 in float32", "6.2e-61",
                   "-138.63"):  # fmt: skip
        assert quoted in explanation
    at = choose(at, "ce_input", 0)
    assert "0.6178" in at.error[-1].value and "0.1054" in at.error[-1].value


def test_a_right_number_shows_success_with_the_numbers():
    batch = exercises.exercise_batch(0)
    row = batch.loss_row
    value = exercises.row_loss_answer(batch, row).value
    at = type_number(run_page(), "check_batch_seed0_loss", f"{value:.4f}")
    message = next(s.value for s in at.success)
    assert message.startswith(f"**Right: {value:.4f}.**")
    p = f"{float(batch.target_prob[row]):#.4g}"  # p(targ) to 4 significant digits
    assert f"= {p}, and the loss is $-\\ln {p} \\approx {value:.4f}$" in message
    assert score(at).startswith("Score this session: 1 right of 1 answered")


@pytest.mark.parametrize("code", ["prob", "no_minus", "log10", "neg_activation"])
def test_a_common_wrong_number_gets_feedback_aimed_at_it(code):
    batch = exercises.exercise_batch(0)
    answer = exercises.row_loss_answer(batch, batch.loss_row)
    typed = f"{answer.mistake_value(code):.4f}"
    assert answer.check(float(typed)) == exercises.Verdict(False, code)  # the premise
    at = type_number(run_page(), "check_batch_seed0_loss", typed)
    error = at.error[0].value
    assert error.startswith(f"**Not quite: {typed}.**")
    first_words = t(f"check.loss_{code}", p=0, loss=0, pmax=0, pred=0, act=0, row=0, targ=0)[:12]
    assert first_words in error
    assert infos(at)[0].startswith(f"**The answer: {answer.value:.4f}.**")
    assert score(at).startswith("Score this session: 0 right of 1 answered")


def test_the_bumped_loss_says_which_way_it_went():
    batch = exercises.exercise_batch(0)
    bump = exercises.bumped_loss_answer(batch, batch.bump_row, batch.bump_class)
    at = type_number(run_page(), "check_batch_seed0_bump", f"{bump.old_loss:.4f}")
    assert "the loss before the change" in at.error[0].value
    went = "It falls" if batch.bump_class == bump.target else "It rises"
    assert went in infos(at)[0] and f"{bump.change:+.4f}" in infos(at)[0]
    at = type_number(at, "check_batch_seed0_bump", f"{bump.new_loss:.4f}")
    assert went in at.success[0].value


def test_the_mean_and_the_sum():
    batch = exercises.exercise_batch(0)
    answer = exercises.mean_loss_answer(batch)
    at = type_number(run_page(), "check_batch_seed0_mean", f"{answer.mistake_value('sum'):.4f}")
    assert "sum of the rows' losses" in at.error[0].value
    at = type_number(at, "check_batch_seed0_mean", f"{answer.value:.4f}")
    assert at.success and score(at).startswith("Score this session: 0 right of 1 answered")


def test_the_least_sure_row_gets_its_own_feedback():
    batch = exercises.exercise_batch(0)
    choice = exercises.largest_loss_answer(batch)
    least_sure = next(r for r, code in choice.mistakes.items() if code == "least_sure")
    at = choose(run_page(), "check_batch_seed0_largest", least_sure)
    assert "least sure" in at.error[0].value and "probability of the target" in at.error[0].value
    at = choose(at, "check_batch_seed0_largest", min(choice.rows))
    assert at.success


@pytest.mark.parametrize(
    ("typed", "words"),
    [("", "is empty"), ("   ", "is empty"), ("abc", "“abc” is not a number"), ("nan", "nan is not"),
     ("inf", "is infinite"), ("-1e999", "is infinite"), ("1..2", "not a number"),
     ("![x](http://e.vil)", "not a number")],
)  # fmt: skip
def test_typing_no_number_gives_a_message_naming_the_field(typed, words):
    at = run_page()
    row = exercises.exercise_batch(0).loss_row
    at = type_number(at, "check_batch_seed0_loss", typed)
    warning = at.warning[0].value
    assert f"“{t('check.loss_field', row=row)}”" in warning and words in warning
    assert "![x](" not in warning  # the typed text is escaped, never markup
    assert not at.error and not at.success
    assert score(at).startswith("Score this session: 0 right of 0 answered")


def test_a_decimal_comma_and_the_printed_minus_are_understood():
    batch = exercises.exercise_batch(0)
    value = exercises.row_loss_answer(batch, batch.loss_row).value
    at = type_number(run_page(), "check_batch_seed0_loss", f"{value:.4f}".replace(".", ","))
    assert at.success


def test_new_numbers_draws_another_batch_and_starts_its_questions_afresh():
    at = choose(run_page(), "check_batch_seed0_largest", 0)
    assert at.success or at.error
    table = at.table[0].value.to_string()
    at.button(key="check_new_batch").click().run()
    assert not at.exception
    assert at.table[0].value.to_string() != table
    assert "manual_seed(1)" in " ".join(c.value for c in at.caption)
    assert at.radio(key="quiz_check_batch_seed1_largest_choice").value is None
    assert not at.success and not at.error  # the old batch's feedback is gone
    assert "quiz_check_batch_seed0_largest_result" not in at.session_state
    assert score(at).endswith("1 answered (each question counts once, on its first answer).")
    # and the new batch is exercise_batch(1)
    batch = exercises.exercise_batch(1)
    value = exercises.row_loss_answer(batch, batch.loss_row).value
    at = type_number(at, "check_batch_seed1_loss", f"{value:.4f}")
    assert at.success


def test_other_activations_for_the_hand_question():
    row = exercises.hand_softmax(0)
    at = type_number(run_page(), "check_hand_seed0_softmax", f"{row.answer.value:.4f}")
    assert at.success and "$e^{" in at.success[0].value
    at.button(key="check_new_hand").click().run()
    assert not at.exception and not at.success
    row = exercises.hand_softmax(1)
    exp_only = f"{row.answer.mistake_value('exp_only'):.4f}"
    at = type_number(at, "check_hand_seed1_softmax", exp_only)
    assert "before the division" in at.error[0].value


def test_reset_forgets_the_answers_and_the_score():
    at = choose(run_page(), "pieces", 1)
    at = choose(at, "guarantees", 0)
    assert score(at).startswith("Score this session: 1 right of 2 answered")
    at.button(key=quiz.RESET).click().run()
    assert not at.exception
    assert score(at).startswith("Score this session: 0 right of 0 answered")
    assert at.radio(key="quiz_pieces_choice").value is None and not at.success


def test_the_page_inside_the_app():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("pages/check_yourself.py").run()
    assert not at.exception
    assert [title.value for title in at.title] == [t("check.title")]


# ------------------------------------------------------------------ predict_then_reveal


def prediction_app() -> None:
    from ui import quiz

    quiz.predict_then_reveal(
        "demo", "What does softmax([0, 0]) give?", ["[0, 0]", "[0.5, 0.5]", "[1, 0]"], 1,
        "Equal activations share equally: 0.5 each.",
    )  # fmt: skip


def reveal_app() -> AppTest:
    at = AppTest.from_function(prediction_app, default_timeout=30)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(("prediction", "right"), [(1, True), (2, False)])
def test_predict_then_reveal(prediction, right):
    at = reveal_app()
    reveal = at.button(key="quiz_predict-demo_reveal")
    assert reveal.disabled  # nothing predicted yet
    at.radio(key="quiz_predict-demo_choice").set_value(prediction).run()
    at.button(key="quiz_predict-demo_reveal").click().run()
    assert not at.exception
    if right:
        assert at.success[0].value.startswith("**You predicted [0.5, 0.5]: right.**")
        assert "0.5 each" in at.success[0].value
    else:
        assert at.error[0].value == "**You predicted [1, 0]; the answer is [0.5, 0.5].**"
        assert infos(at)[0] == "Equal activations share equally: 0.5 each."
    assert at.radio(key="quiz_predict-demo_choice").disabled  # locked once revealed
    assert "quiz__score" not in at.session_state  # a prediction is not scored
    at.button(key="quiz_predict-demo_again").click().run()
    assert not at.exception and not at.success and not at.error
    assert at.radio(key="quiz_predict-demo_choice").value is None


def test_a_question_key_must_be_plain():
    with pytest.raises(ValueError, match="key"):
        quiz._state_key("Bad key", "result")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.4076", 0.4076), (" -1.25 ", -1.25), ("1e-3", 0.001), ("−0.5", -0.5), ("0,25", 0.25),
     ("+2", 2.0)],
)  # fmt: skip
def test_parse_number(text, expected):
    assert quiz.parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), (" ", "empty"), ("abc", "text"), ("1,2,3", "text"), ("1.2.3", "text"),
     ("nan", "nan"), ("NaN", "nan"), ("inf", "inf"), ("-Infinity", "inf"), ("1e999", "inf")],
)  # fmt: skip
def test_parse_number_refuses(text, code):
    with pytest.raises(quiz.NumberError) as refused:
        quiz.parse_number(text)
    assert refused.value.code == code
    assert "“Loss”" in refused.value.message("Loss")
