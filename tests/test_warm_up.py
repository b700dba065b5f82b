"""The server's warm-up (ui/warm_up.py) and app.py's two roles."""

from __future__ import annotations

import asyncio
import gc
import logging
import subprocess
import sys
import threading
import weakref
from pathlib import Path

from streamlit import delta_generator
from streamlit.web.server.app_discovery import discover_asgi_app

from ui import warm_up

ROOT = Path(__file__).resolve().parents[1]


def test_streamlit_run_serves_app_py_through_its_st_app():
    """`streamlit run app.py` finds the st.App (and so runs the warm-up); the script
    role is checked by every AppTest of the app."""
    found = discover_asgi_app(ROOT / "app.py")
    assert found.is_asgi_app and found.app_name == "app"


WARMED = ("torch", "ce_core", "figures", "pyarrow",
          "streamlit.emojis", "pandas.io.formats.style")  # fmt: skip


def test_the_warm_up_imports_what_the_first_page_view_needs():
    """In a fresh interpreter: none of them is imported before, every one after."""
    code = (
        "import sys\n"
        "from ui import warm_up\n"
        f"names = {WARMED!r}\n"
        "before = [n for n in names if n in sys.modules]\n"
        "warm_up.warm_up()\n"
        "print(before, [n for n in names if n not in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=300).stdout  # fmt: skip
    assert out.strip() == "[] []"


def test_the_warm_up_keeps_nothing():
    """It leaves its module as it found it (no cache, nothing for sessions to share) and
    runs again."""
    before = dict(vars(warm_up))
    assert isinstance(warm_up.warm_up(), float)
    assert dict(vars(warm_up)) == before
    assert isinstance(warm_up.warm_up(), float)


def test_the_lifespan_does_not_wait_for_the_warm_up(monkeypatch):
    interval = sys.getswitchinterval()
    started, release, seen = threading.Event(), threading.Event(), {}

    def slow_warm_up() -> float:
        seen["interval"] = sys.getswitchinterval()
        seen["thread"] = threading.current_thread()
        started.set()
        release.wait(timeout=60)  # still warming while the server already serves
        return 1.0

    monkeypatch.setattr(warm_up, "warm_up", slow_warm_up)
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)

    async def serve() -> None:
        async with warm_up.lifespan(None):
            pass  # the server would serve here

    # In a thread of its own: other tests (Playwright's) may leave an event loop running in
    # this one. It returns although the warm-up has not finished.
    server = threading.Thread(target=asyncio.run, args=(serve(),))
    server.start()
    server.join(timeout=60)
    assert not server.is_alive()
    assert delta_generator._use_warning_has_been_displayed  # set before any session came
    assert started.wait(timeout=60) and not release.is_set()
    release.set()
    seen["thread"].join(timeout=60)
    assert seen["thread"].name == "warm-up" and seen["thread"].daemon
    assert seen["interval"] == warm_up.WARM_UP_SWITCH_INTERVAL_S  # while warming
    assert sys.getswitchinterval() == interval  # and restored after


def test_a_failing_warm_up_is_logged_not_raised(monkeypatch, caplog):
    interval = sys.getswitchinterval()

    def broken() -> float:
        raise RuntimeError("no torch today")

    monkeypatch.setattr(warm_up, "warm_up", broken)
    warm_up.LOG.propagate = True  # let caplog see Streamlit's non-propagating logger
    try:
        with caplog.at_level(logging.WARNING, logger=warm_up.LOG.name):
            warm_up._warm_up_logged()
    finally:
        warm_up.LOG.propagate = False
    assert "warm-up failed" in caplog.text and "no torch today" in caplog.text
    assert sys.getswitchinterval() == interval


def test_after_the_warm_up_a_full_collection_leaves_what_stays_out(monkeypatch):
    """What is alive when the warm-up ends (the imports) is frozen: Streamlit's collection
    after every run walks what came later only, and a cycle made later is still freed."""
    monkeypatch.setattr(warm_up, "warm_up", lambda: 0.0)
    try:
        warm_up._warm_up_logged()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # pytest's, torch's, Streamlit's objects here
        assert len(gc.get_objects()) < frozen / 10  # what a full collection still walks

        class Node:
            pass

        node = Node()
        node.self = node  # a cycle: only the collector frees it
        alive = weakref.ref(node)
        del node
        gc.collect(2)
        assert alive() is None
    finally:
        gc.unfreeze()


def test_the_warm_ups_young_garbage_is_collected_not_frozen():
    class Node:
        pass

    node = Node()
    node.self = node  # a cycle the warm-up left behind
    alive = weakref.ref(node)
    del node
    try:
        warm_up.freeze_what_stays()
        assert alive() is None
    finally:
        gc.unfreeze()
