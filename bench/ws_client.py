"""A protocol-level Streamlit client: many sessions over the app's own websocket, no browser.

Each session connects to ``/_stcore/stream`` as a browser does, asks for a first run of the
home page (``?p=pet-batch``), finds the "Selected sample (idx)" slider in the elements the
server sends, then moves it ``moves`` times, sending the new value as the browser would
(a fragment rerun when the slider lives in a fragment, as on the home page). A rerun is
timed from the message that asks for it to the server's ``script_finished``. Errors: a
connection that fails or drops, an exception element, a run that does not finish.

Used by ``bench_load.py websocket``; the sessions run concurrently on one asyncio loop.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time

import websockets
from bench_ship import APP, BASELINE, rss_mb, server
from reruns import FINISHED
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import DoubleArray
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

SLIDER_LABEL = "Selected sample (idx)"
RUN_TIMEOUT_S = 120.0


class Session:
    def __init__(self, url: str, query: str) -> None:
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.origin = url
        self.query = query
        self.slider: tuple[str, str] | None = None  # (widget id, fragment id)
        self.page_hash = ""
        self.exceptions = 0

    async def run(self, ws, widgets: list[WidgetState], fragment_id: str = "") -> float:
        """Ask for a rerun; read messages until the script finishes; seconds taken."""
        state = ClientState(query_string=self.query, page_script_hash=self.page_hash,
                            widget_states=WidgetStates(widgets=widgets),
                            fragment_id=fragment_id)  # fmt: skip
        start = time.perf_counter()
        await ws.send(BackMsg(rerun_script=state).SerializeToString())
        while True:
            raw = await asyncio.wait_for(ws.recv(), RUN_TIMEOUT_S)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    self.exceptions += 1
                elif which == "slider" and element.slider.label == SLIDER_LABEL:
                    self.slider = (element.slider.id, msg.delta.fragment_id)
            elif kind == "script_finished":
                if msg.script_finished not in FINISHED:
                    raise RuntimeError(f"run ended with {msg.script_finished}")
                return time.perf_counter() - start

    async def drive(self, moves: int, times: list[float], errors: list[str]) -> None:
        try:
            async with websockets.connect(
                self.ws_url, subprotocols=["streamlit"], origin=self.origin, max_size=None,
                open_timeout=60, ping_interval=None,
            ) as ws:  # fmt: skip
                await self.run(ws, [])  # the first run, as a page load
                if self.slider is None:
                    raise RuntimeError("no sample slider in the first run")
                widget_id, fragment_id = self.slider
                for move in range(moves):
                    value = DoubleArray(data=[float(move % 2 + 1)])
                    widget = WidgetState(id=widget_id, double_array_value=value)
                    times.append(await self.run(ws, [widget], fragment_id))
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}"[:200])
        if self.exceptions:
            errors.append(f"{self.exceptions} exception element(s)")


def peak_rss(pid: int, stop: threading.Event, out: list[float]) -> None:
    while not stop.is_set():
        out.append(rss_mb(pid))
        time.sleep(0.2)


async def load(url: str, query: str, sessions: int, moves: int) -> tuple[list, list]:
    times: list[float] = []
    errors: list[str] = []
    clients = [Session(url, query) for _ in range(sessions)]
    await asyncio.gather(*(client.drive(moves, times, errors) for client in clients))
    return times, errors


def websocket_load(sessions: int, moves: int) -> None:
    rows = []
    for name, script, query in (("home page (pet-batch)", APP, "p=pet-batch"),
                                ("floor page", BASELINE, "")):  # fmt: skip
        with server(script) as (url, process):
            stop, rss = threading.Event(), []
            sampler = threading.Thread(target=peak_rss, args=(process.pid, stop, rss))
            sampler.start()
            started = time.perf_counter()
            times, errors = asyncio.run(load(url, query, sessions, moves))
            elapsed = time.perf_counter() - started
            stop.set()
            sampler.join()
            rows.append((name, times, errors, max(rss), elapsed))
    print(f"{sessions} websocket sessions at once, {moves} slider moves each (no rendering)")
    print(f"{'server':<24} {'reruns':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} "
          f"{'peak RSS MB':>12} {'wall s':>7}")  # fmt: skip
    for name, times, errors, peak, elapsed in rows:
        p50 = statistics.median(times) * 1e3 if times else float("nan")
        p95 = statistics.quantiles(times, n=20)[-1] * 1e3 if len(times) > 1 else float("nan")
        print(f"{name:<24} {len(times):7d} {p50:8.0f} {p95:8.0f} {len(errors):7d} "
              f"{peak:12.0f} {elapsed:7.1f}")  # fmt: skip
        for error in sorted(set(errors))[:5]:
            print(f"    {error}")
