"""The path through the pages: "start here", what to notice, "Next", the sidebar's step."""

from __future__ import annotations

import pytest
from apptest_helpers import APP, ROOT, run_script

from i18n import t
from ui.navigation import PAGES


def page_links(at) -> list[tuple[str, str]]:
    """(label, url path) of every page link on the page."""
    return [(link.proto.label, link.proto.page) for link in at.get("page_link")]


def test_start_here_links_every_page_in_order():
    at = run_script(APP)
    links = page_links(at)
    steps = links[: len(PAGES)]
    assert [page for _, page in steps] == [spec.url_path for spec in PAGES]
    for step, ((label, _), spec) in enumerate(zip(steps, PAGES, strict=True), start=1):
        assert label.startswith(f"{step}. **{t(spec.title_key)}**: ")
    second = PAGES[1]
    label = t("path.next", title=t(second.title_key), teaches=t(f"path.teaches_{second.key}"))
    assert links[-1] == (label, second.url_path)
    assert at.info[0].value == t("path.notice_pipeline")
    assert at.expander[0].label == t("path.glossary_header")
    assert "**logits**" in at.expander[0].markdown[0].value
    assert at.sidebar.caption[0].value == t("path.sidebar_step", step=1, steps=len(PAGES))


@pytest.mark.parametrize("spec", PAGES[1:], ids=lambda spec: spec.key)
def test_every_page_says_what_to_notice_and_what_comes_next(spec):
    at = run_script(ROOT / spec.path)  # alone: no registered pages, so the next page is named
    assert at.info[0].value == t(f"path.notice_{spec.key}")
    step = PAGES.index(spec) + 1
    said = " ".join(m.value for m in at.markdown)
    if step < len(PAGES):
        following = PAGES[step]
        assert t("path.next", title=t(following.title_key),
                 teaches=t(f"path.teaches_{following.key}")) in said  # fmt: skip
    else:
        assert t("path.last") in said
        assert t("path.back_to_start", title=t(PAGES[0].title_key)) in said


def test_every_page_has_its_texts():
    for spec in PAGES:
        assert t(f"path.notice_{spec.key}").startswith("Notice: ")
        assert t(f"path.teaches_{spec.key}")
