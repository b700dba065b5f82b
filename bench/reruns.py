"""When did a browser page's rerun finish? Read off Streamlit's websocket, not the DOM.

A rerun that takes a few milliseconds on the server can reach the browser as one batch of
messages, which React renders once: a watch of the app's ``data-test-script-state``
attribute may never see "running" and wait forever (what happened to the earlier load
runs: docs/benchmarks.md). The server's ``script_finished`` message is sent once per run,
whatever the browser renders. It is a private Streamlit message (``streamlit.proto``): a
benchmark's concern, never the app's (docs/app.md, "Streamlit internals").
"""

from __future__ import annotations

import time

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# A whole-script run or a fragment's (the sample slider reruns a fragment)
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


class RerunWatch:
    """Counts a page's finished script runs, with the driver's clock at each.

    Create it before ``page.goto``: the page opens its websocket while loading.
    """

    def __init__(self, page) -> None:
        self.page = page
        self.finished: list[float] = []  # perf_counter() when each run's end arrived
        self.opened: float | None = None  # perf_counter() when the session's first message came
        self.failed: list[int] = []  # the script_finished status of runs that did not succeed
        # Plotly charts the server sent, in full or as a reference to one the browser keeps
        # (Streamlit sends a large element it sent before as its hash): either way the
        # browser draws the chart element again
        self.charts_sent = 0
        self._chart_hashes: set[str] = set()  # a reference names its element by this hash
        self.elements: list[str] = []  # the type of every element sent, in order
        page.on("websocket", self._attach)

    def _attach(self, websocket) -> None:
        websocket.on("framereceived", self._frame)

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        kind = message.WhichOneof("type")
        if kind == "new_session" and self.opened is None:
            self.opened = time.perf_counter()
        element = None
        if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element.WhichOneof("type")
            self.elements.append(element)
        if element == "plotly_chart":
            self._chart_hashes.add(message.hash)
        if element == "plotly_chart" or (
            kind == "ref_hash" and message.ref_hash in self._chart_hashes
        ):
            self.charts_sent += 1
        if kind == "script_finished":
            self.finished.append(time.perf_counter())
            if message.script_finished not in FINISHED:
                self.failed.append(message.script_finished)

    def count(self) -> int:
        return len(self.finished)

    def wait_after(self, count: int, timeout_s: float = 60.0) -> float | None:
        """Wait until more than ``count`` runs have finished; the time the next one ended,
        or None after ``timeout_s``. (Playwright delivers the page's events while the driver
        waits in any Playwright call, here ``wait_for_timeout``.)"""
        deadline = time.monotonic() + timeout_s
        while len(self.finished) <= count:
            if time.monotonic() > deadline:
                return None
            self.page.wait_for_timeout(5)
        return self.finished[count]
