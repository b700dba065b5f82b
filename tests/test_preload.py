"""The hidden element that starts loading Plotly's, the grid's and KaTeX's browser code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from apptest_helpers import APP, run_script

from ui import accessibility, preload


def test_the_installed_streamlit_has_one_chunk_per_stem():
    # Fails after a Streamlit upgrade that renames or splits them: update CHUNK_STEMS
    # (the app still works then, only without the head start).
    names = preload.chunk_names()
    assert [name.split(".")[0] for name in names] == list(preload.CHUNK_STEMS)
    assert all((preload.STATIC_JS / name).is_file() for name in names)


@pytest.fixture
def static_js(tmp_path: Path) -> Path:
    for name in (
        "PlotlyChart.AbC_12-x.js",  # one chunk: kept
        "DataFrame.one.js",  # two chunks of one stem: which one the frontend uses is
        "DataFrame.two.js",  # not known here, so neither
        "PlotlyChartExtra.zzz.js",  # another stem that starts the same way: not Plotly's
    ):
        (tmp_path / name).write_text("export {};")
    # no rehype-katex chunk at all
    return tmp_path


def test_only_stems_with_exactly_one_chunk_are_preloaded(static_js: Path):
    assert preload.chunk_names.__wrapped__(static_js) == ("PlotlyChart.AbC_12-x.js",)


def test_a_file_name_that_could_break_out_of_the_script_is_never_used(tmp_path: Path):
    (tmp_path / "PlotlyChart.x'><img src=x onerror=alert(1)>.js").write_text("")
    (tmp_path / 'DataFrame.a"b.js').write_text("")
    assert preload.chunk_names.__wrapped__(tmp_path) == ()


def test_the_loader_imports_each_name_once_and_hides_its_container():
    names = ("PlotlyChart.AbC_12-x.js", "DataFrame.-f9-1zS0.js")
    html = preload.loader_html(names)
    (array,) = re.findall(r"for \(const name of (\[.*?\]).*?\)", html)
    assert json.loads(array) == list(names)
    assert html.count("<script>") == 1 and html.count("</script>") == 1
    assert f".st-key-{preload.CONTAINER_KEY}" in html and "display: none" in html
    assert "import(new URL(name, entry.src)" in html  # beside Streamlit's own index.js


def test_the_app_sends_the_loader_first_and_nothing_when_there_is_nothing_to_load(
    monkeypatch: pytest.MonkeyPatch,
):
    at = run_script(APP)
    first = at.main.children[0]  # before the page's title: sent before torch is needed
    assert first.key == preload.CONTAINER_KEY
    (loader,) = first.children.values()
    assert loader.type == "html" and loader.proto.unsafe_allow_javascript
    assert loader.value == preload.loader_html(preload.chunk_names())
    # the loader, the accessibility element (ui/accessibility.py) and the selected sample's
    # style (ui/highlight.py)
    assert len(at.html) == 3

    monkeypatch.setattr(preload, "chunk_names", lambda: ())
    at = run_script(APP)
    assert len(at.html) == 2  # no loader
    assert at.main.children[0].key == accessibility.CONTAINER_KEY  # then the page's title
    assert at.title[0].value == at.main.children[1].value
