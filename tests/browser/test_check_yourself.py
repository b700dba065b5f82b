"""Layer 5 for the "Check yourself" page: a learner answers one question right and one wrong
in real Chromium, and sees both feedbacks and the score."""

from __future__ import annotations

from harness import screenshot, wait_idle

from ce_core import exercises
from i18n import t

EXCEPTION = "[data-testid='stException']"
FORM = "[data-testid='stForm']"
SUCCESS = "[data-testid='stAlertContentSuccess']"
ERROR = "[data-testid='stAlertContentError']"


def test_one_answer_right_and_one_wrong(page, server):
    page.goto(f"{server}/check_yourself")
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    # Part A, right: the two pieces of cross-entropy
    pieces = page.locator(FORM).filter(has_text=t("check.pieces_prompt"))
    pieces.locator("label").filter(has_text=t("check.pieces_choice_1")).click()
    pieces.get_by_role("button", name=t("quiz.check")).click()
    page.locator(SUCCESS).first.wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(SUCCESS).first.inner_text().startswith("Right.")
    # Part B, wrong: p(targ) typed as the loss of row i (the log forgotten)
    batch = exercises.exercise_batch(0)  # a fresh session starts at seed 0
    row = batch.loss_row
    answer = exercises.row_loss_answer(batch, row)
    typed = f"{answer.mistake_value('prob'):.4f}"
    loss = page.locator(FORM).filter(has_text=t("check.loss_field", row=row))
    loss.get_by_role("textbox").fill(typed)
    loss.get_by_role("button", name=t("quiz.check")).click()
    page.locator(ERROR).first.wait_for(timeout=30_000)
    wait_idle(page)
    error = page.locator(ERROR).first.inner_text()
    assert error.startswith(f"Not quite: {typed}.") and "That is p(targ)" in error
    assert f"The answer: {answer.value:.4f}." in page.get_by_text("The answer:").inner_text()
    assert page.get_by_text("Score this session: 1 right of 2 answered").count() == 2
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "check-yourself-answered")
