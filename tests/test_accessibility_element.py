"""The element every page sends for accessibility (ui/accessibility.py): the document's
language, captions and focus colours with enough contrast, and nothing that could end its
script early."""

from __future__ import annotations

import json
import re

import pytest
from apptest_helpers import APP
from streamlit.testing.v1 import AppTest

from i18n import LANGUAGES, t, using
from ui import accessibility
from ui.navigation import PAGES


def luminance(color: str) -> float:
    channels = [int(color[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("color", [accessibility.CAPTION_COLOR, accessibility.FOCUS_COLOR])
@pytest.mark.parametrize("background", ["#FFFFFF", "#F2F5F9"])  # the page, the sidebar
def test_captions_and_the_focus_ring_meet_wcag_aa_contrast(color, background):
    assert contrast(color, background) >= 4.5


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_element_sets_the_language_and_names_the_scrolling_boxes(language):
    with using(language):
        labels = {"formula": t("a11y.formula_region"), "code": t("a11y.code_region")}
    html = accessibility.page_html(language, labels)
    settings = json.loads(re.search(r"const settings = (\{.*?\});", html).group(1))
    assert settings == {"lang": language, "labels": labels,
                        "minScale": accessibility.MIN_FORMULA_SCALE,
                        "minReadout": accessibility.MIN_READOUT_PX,
                        "settleMs": accessibility.SETTLE_MS}  # fmt: skip
    script = html.split("<script>", 1)[1]
    assert script.count("</") == 1 and script.endswith("</script>")  # nothing ends it early


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.key)
def test_every_page_sends_the_element_once(spec):
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page(spec.path).run()
    assert not at.exception
    sent = [h for h in at.get("html") if "__ceAccessibility" in h.proto.body]
    assert len(sent) == 1
    assert '"lang": "en"' in sent[0].proto.body
