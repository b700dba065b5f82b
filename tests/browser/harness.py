"""A real `streamlit run` server and Debian's Chromium, driven by Playwright.

Shared by the browser tests and bench/bench_browser.py. Waits the way Streamlit's own
tests do: poll /_stcore/health, then wait until the app says its script is not running,
no skeleton is left and (Plotly's bundle loads lazily) the charts are drawn.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_process(
    script: Path = ROOT / "app.py", timeout: float = 90.0, poll: float = 0.3
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start ``streamlit run script`` on a free port; yield its base URL and its process
    (the benchmarks read its memory); stop it after. ``poll``: seconds between health
    checks (the cold-start benchmark polls finely)."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    (ROOT / "artifacts").mkdir(exist_ok=True)  # git-ignored: absent from a fresh clone
    log = open(ROOT / "artifacts" / f"streamlit-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}; see {log.name}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response,
            ):
                if response.read().strip() == b"ok":
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not answer /_stcore/health in {timeout} s")
            time.sleep(poll)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextlib.contextmanager
def streamlit_server(script: Path = ROOT / "app.py", timeout: float = 90.0) -> Iterator[str]:
    """Start ``streamlit run script`` on a free port; yield its base URL; stop it after."""
    with streamlit_process(script, timeout) as (base, _):
        yield base


PLOTLY_CHART = ".js-plotly-plot .main-svg"
PICTURE = "[data-testid='stImage'] img"


def wait_idle(page, charts: bool = True, timeout: float = 60_000) -> None:
    """The script has finished, nothing is loading, and (if asked) a chart is drawn: a Plotly
    chart or a picture (figures/bar_picture.py)."""
    # The state flips to "running" shortly after an input; give it a moment to start.
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0",
        timeout=timeout,
    )
    if charts:
        page.wait_for_selector(f"{PLOTLY_CHART}, {PICTURE}", timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)


EDITOR_SETTLE_MS = 300
ROW_HEIGHT = 35  # st.data_editor's default row (and header) height, in CSS pixels


def select_cell(page, grid, row: int, col: int) -> None:
    """Select the grid cell (row, col), col counted with the index column as 0.

    The grid is a canvas with an accessible twin (a table of ``td#glide-cell-COL-ROW``).
    A click on the row's read-only index cell gives the grid the keyboard; focusing the
    twin's cell then selects exactly that cell (clicking around in the canvas would open
    the editor of a cell clicked twice).
    """
    grid.scroll_into_view_if_needed()  # a click lands only inside the viewport
    box = grid.bounding_box()
    index_cell = grid.locator(f"td#glide-cell-0-{row}")
    for _ in range(3):  # a click that only moves the focus into the grid selects nothing
        page.mouse.click(box["x"] + 10, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2)
        if _selected(page, index_cell, timeout=2_000):
            break
    cell = grid.locator(f"td#glide-cell-{col}-{row}")
    cell.focus()
    if not _selected(page, cell, timeout=5_000):
        raise AssertionError(f"could not select cell ({row}, {col})")


def _selected(page, cell, timeout: float) -> bool:
    try:
        page.wait_for_function(
            "cell => cell.getAttribute('aria-selected') === 'true'",
            arg=cell.element_handle(),
            timeout=timeout,
        )
    except PlaywrightTimeout:
        return False
    return True


def type_into_cell(page, grid, row: int, col: int, text: str) -> None:
    """DESIGN.md's recipe: select, Enter opens the editor, select all, type, Enter."""
    select_cell(page, grid, row, col)
    page.keyboard.press("Enter")
    page.wait_for_selector("input.gdg-input, textarea.gdg-input", timeout=5_000)
    page.wait_for_timeout(EDITOR_SETTLE_MS)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.wait_for_function(
        "text => document.querySelector('.gdg-input')?.value === text", arg=text, timeout=5_000
    )
    # The grid commits its own copy of the value, which follows the input a moment later:
    # an Enter pressed at once can commit nothing. A person never types that fast.
    page.wait_for_timeout(EDITOR_SETTLE_MS)
    page.keyboard.press("Enter")


def clear_cell(page, grid, row: int, col: int) -> None:
    select_cell(page, grid, row, col)
    page.keyboard.press("Delete")


# Record, on every figure that has its own slider, when it moved and when each frame was
# drawn (``gd.__drag``).
LISTEN_TO_EXPLORATIONS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd.layout && gd.layout.sliders && gd.layout.sliders.length);
  plots.forEach(gd => {
    gd.__drag = {changed: [], drawn: []};
    if (gd.__listening) return;
    gd.__listening = true;
    gd.on('plotly_sliderchange', () => gd.__drag.changed.push(performance.now()));
    gd.on('plotly_animated', () => gd.__drag.drawn.push(performance.now()));
  });
  return plots.length;
}"""


# A drag of an exploration's slider (figures/explore.py), in the page: a press on the rail's
# left end, then one move per displayed frame (requestAnimationFrame, as a real pointer's
# moves arrive) up to ``fraction`` of the rail, then the release. Driven from Playwright
# instead, each move would cost a protocol round trip, and a drag would measure that.
DRAG_EXPLORATION = """async ([index, moves, fraction]) => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .filter(g => g.layout && g.layout.sliders && g.layout.sliders.length)[index];
  const rail = gd.querySelector('.slider-rail-touch-rect');
  const box = rail.getBoundingClientRect();
  const y = box.top + box.height / 2, left = box.left + 2, width = box.width - 4;
  const fire = (type, x, target) => target.dispatchEvent(new MouseEvent(type,
    {clientX: x, clientY: y, bubbles: true, cancelable: true, view: window, buttons: 1}));
  const n = moves || gd.layout.sliders[0].steps.length - 1;
  fire('mousedown', left, rail);
  gd.__drag = {changed: [], drawn: []};
  for (let k = 1; k <= Math.round(n * fraction); k++) {
    await new Promise(done => requestAnimationFrame(done));
    fire('mousemove', left + width * k / n, gd);
  }
  fire('mouseup', left + width * fraction, gd);
  await new Promise(done => setTimeout(done, 300));
  return gd.__drag;
}"""


def drag_exploration(page, index: int, *, moves: int | None = None, fraction: float = 1.0) -> dict:
    """Drag the slider of the page's ``index``-th figure that has one, from its left end to
    ``fraction`` of its rail, in ``moves`` moves (None: one per slider step). Returns the
    recorded event times ``{"changed": [...], "drawn": [...]}`` (ms, the page's clock)."""
    plots = page.locator(".js-plotly-plot").filter(has=page.locator(".slider-rail-rect"))
    plots.nth(index).scroll_into_view_if_needed()
    page.evaluate(LISTEN_TO_EXPLORATIONS)
    return page.evaluate(DRAG_EXPLORATION, [index, moves, fraction])
