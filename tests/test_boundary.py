"""ui.boundary: an unexpected exception becomes an apology; Streamlit's control flow passes."""

from __future__ import annotations

import pytest
from apptest_helpers import ROOT
from streamlit.testing.v1 import AppTest

from ui.boundary import STRICT_ENV


def failing_app() -> None:
    import streamlit as st

    from ui import boundary

    def broken() -> None:
        st.write("before the failure")
        raise ValueError("a bug the tests did not catch")

    pages = [st.Page(broken, title="broken", default=True)]
    with st.sidebar:
        st.write("sidebar still here")
    boundary.run_page(st.navigation(pages))


@pytest.fixture
def lenient(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STRICT_ENV, raising=False)


def test_an_unexpected_exception_becomes_an_apology(lenient):
    at = AppTest.from_function(failing_app, default_timeout=60)
    at.run()
    assert not at.exception
    assert "before the failure" in [m.value for m in at.markdown]
    assert len(at.error) == 1 and at.error[0].value.startswith("Sorry, something went wrong")
    assert "reference **" in at.error[0].value
    assert "a bug" not in at.error[0].value  # no message, no traceback on the page
    assert "sidebar still here" in [m.value for m in at.sidebar.markdown]


def test_a_broken_fragment_is_contained(lenient):
    def app() -> None:
        import streamlit as st

        from ui import boundary

        @st.fragment
        @boundary.guarded
        def broken_fragment() -> None:
            raise RuntimeError("a bug in a fragment")

        broken_fragment()
        st.write("the page goes on")

    at = AppTest.from_function(app, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("Sorry")
    assert "the page goes on" in [m.value for m in at.markdown]


def test_stop_and_rerun_pass_through_the_boundary(lenient):
    def app() -> None:
        import streamlit as st

        from ui import boundary

        def page() -> None:
            st.session_state.runs = st.session_state.get("runs", 0) + 1
            if st.session_state.runs == 1:
                st.rerun()
            st.write(f"runs: {st.session_state.runs}")
            st.stop()
            st.write("never shown")

        boundary.run_page(st.navigation([st.Page(page, title="p")]))

    at = AppTest.from_function(app, default_timeout=60)
    at.run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == ["runs: 2"]


def test_under_test_the_boundary_re_raises():
    at = AppTest.from_function(failing_app, default_timeout=60)
    at.run()
    assert at.exception and "a bug the tests did not catch" in at.exception[0].message


def test_production_config_hides_error_details():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "minimal"
