"""Fixtures for the real-browser layer: one streamlit server and one Chromium per session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from harness import CHROMIUM, CHROMIUM_ARGS, chromium_available, streamlit_server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.timeout(180))


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with streamlit_server() as base:
        yield base


@pytest.fixture(scope="session")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1100})
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()
