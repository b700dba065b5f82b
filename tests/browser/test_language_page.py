"""Layer 5 for the Language models page: real Chromium, real server. A sentence typed and
scored, characters the model does not know named (the text kept), a 10,000-character paste
refused, the temperature's slider moved by keyboard, and a bigram trained with Train."""

from __future__ import annotations

import math

from harness import screenshot, wait_idle

EXCEPTION = "[data-testid='stException']"
ERROR = "[data-testid='stAlertContentError']"
SENTENCE = "textarea[aria-label='Sentence']"


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has=page.get_by_text(label, exact=True))
    return box.locator("[data-testid='stMetricValue']").inner_text()


def type_sentence(page, text: str) -> None:
    box = page.locator(SENTENCE)
    box.fill(text)
    box.press("Control+Enter")  # a text area submits with Ctrl+Enter (or on leaving it)
    page.wait_for_timeout(300)
    wait_idle(page)


def test_language_page_sentence_errors_sampling_and_training(page, server):
    page.goto(f"{server}/language_model")
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    first = metric(page, "Mean loss (nats per character)")
    perplexity = metric(page, "Perplexity")
    assert float(perplexity) == round(math.exp(float(first)), 2)
    type_sentence(page, "a dog is not a cat.")
    changed = metric(page, "Mean loss (nats per character)")
    assert changed != first
    # characters the model does not know: named, the typed text kept
    type_sentence(page, "the cat! 7")
    error = page.locator(ERROR).first
    error.wait_for(timeout=30_000)
    assert "the model does not know '!' '7'" in error.inner_text()
    assert page.locator(SENTENCE).input_value() == "the cat! 7"
    screenshot(page, "language-unknown-characters")
    # a paste of 10,000 characters: refused with the limit
    type_sentence(page, "a" * 10_000)
    assert "10,000 characters; the limit is 1,000" in page.locator(ERROR).first.inner_text()
    type_sentence(page, "a dog is not a cat.")
    assert metric(page, "Mean loss (nats per character)") == changed
    assert page.locator(ERROR).count() == 0
    # the temperature's slider, by keyboard: a new sample
    sample = page.locator("[data-testid='stCode']").nth(-2)
    before = sample.inner_text()
    slider = page.get_by_role("slider", name="Temperature")
    slider.focus()
    slider.press("ArrowLeft")
    page.wait_for_timeout(300)
    wait_idle(page)
    assert sample.inner_text() != before
    # a bigram, trained with Train: the page redraws its curves, ln 32 among the levels
    page.get_by_text("Bigram (a table of logits)").click()
    page.get_by_role("button", name="Train").click()
    page.wait_for_timeout(300)
    wait_idle(page)
    assert page.locator(EXCEPTION).count() == 0
    assert "ln 32 = 3.466" in page.locator(".js-plotly-plot").nth(1).inner_text()
    assert float(metric(page, "Training text (nats)")) < math.log(32)
