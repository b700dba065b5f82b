"""Layer 5 for the path through the pages and the "predict, then reveal" questions: real
Chromium, real server. The links are Streamlit's page links: they keep the session."""

from __future__ import annotations

from harness import screenshot, wait_idle

from i18n import t
from ui.navigation import PAGES

EXCEPTION = "[data-testid='stException']"
PAGE_LINK = "[data-testid='stPageLink-NavLink']"


def test_start_here_and_next_walk_the_path(page, server):
    page.goto(server)
    wait_idle(page)
    start = (
        page.locator("[data-testid='stVerticalBlock']")
        .filter(has_text=t("path.start_header"))
        .first
    )
    assert start.locator(PAGE_LINK).count() >= 7
    start.locator(PAGE_LINK).filter(has_text=t("nav.softmax")).first.click()
    page.wait_for_url(f"{server}/softmax")
    wait_idle(page)
    assert page.locator("h1").first.inner_text().startswith(t("softmax.title"))
    assert page.get_by_text(t("path.notice_softmax")).count() == 1
    # the last element of the page: a link to the next one on the path
    following = page.locator(PAGE_LINK).filter(has_text=f"Next: {t('nav.log')}")
    following.scroll_into_view_if_needed()
    following.click()
    page.wait_for_url(f"{server}/log_likelihood")
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    assert page.get_by_text(t("path.sidebar_step", step=3, steps=len(PAGES))).count() == 1


def predict(page, question: str, choice: str) -> None:
    """Choose ``choice`` in the predict box of ``question`` and press Reveal."""
    box = page.locator("[data-testid='stVerticalBlock']").filter(has_text=question).last
    box.scroll_into_view_if_needed()
    box.get_by_text(choice, exact=True).click()
    wait_idle(page, charts=False)
    box.get_by_role("button", name=t("quiz.reveal")).click()
    wait_idle(page, charts=False)


def test_a_prediction_revealed_right_and_wrong(page, server):
    page.goto(f"{server}/softmax")
    wait_idle(page)
    page.get_by_role("tab", name=t("softmax.view_temperature")).click()  # drawn while open
    page.get_by_text(t("predict.softmax_temperature")).wait_for(timeout=30_000)
    wait_idle(page)
    question = t("predict.softmax_temperature")
    predict(page, question, t("predict.softmax_temperature_0"))  # 1 / C: wrong
    alert = page.locator("[data-testid='stAlertContentError']").filter(has_text="You predicted")
    assert t("predict.softmax_temperature_2") in alert.inner_text()  # the answer: 1
    # the explanation carries the page's numbers: the top class at T = 0.1 takes nearly all
    explanation = page.locator("[data-testid='stAlertContentInfo']").filter(has_text="T = 0.1")
    assert "fish" in explanation.inner_text()
    screenshot(page, "predict_wrong")
    page.get_by_role("button", name=t("quiz.predict_again")).first.click()
    wait_idle(page)
    predict(page, question, t("predict.softmax_temperature_2"))
    right = page.locator("[data-testid='stAlertContentSuccess']").filter(has_text="You predicted")
    assert ": right." in right.inner_text()
    assert page.locator(EXCEPTION).count() == 0
