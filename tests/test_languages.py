"""Two languages, one app: the catalogs agree key for key and placeholder for placeholder,
the language is chosen in the sidebar and kept in the URL (?lang=zh-TW), every page renders
in Traditional Chinese with no English sentence left outside code, a bad cell is named in
Chinese, and English stays the default."""

from __future__ import annotations

import ast
import re
import string

import pytest
from apptest_helpers import APP, ROOT, run_script
from streamlit.testing.v1 import AppTest

import ce_core
from i18n import LANGUAGES, Message, catalog, t
from ui.navigation import PAGES
from ui.state import PageState, decode, encode

ZH = "zh-TW"
PLOTLY_TOKEN = re.compile(r"%\{[^}]*\}")
HTML_TAG = re.compile(r"</?[a-z]+[^>]*>")
CODE_SPAN = re.compile(r"`[^`\n]+`")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# three English words in a row, outside code: an untranslated label or sentence
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*){2,}")
# what stays English in Chinese text on purpose: the sentence the English model reads, a
# source's English title, the English term given after a Chinese one, code names in prose
KEPT_ENGLISH = {
    "the cat sat on the rug",
    "types, cross-entropy loss",
    "expected calibration error",
    "proper scoring rule",
    "reliability diagram",
    "temperature scaling",
    "acts, targ, reduction",
}


def placeholders(text: str) -> list[tuple[str, str]]:
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(text)
                  if name is not None)  # fmt: skip


def test_both_catalogs_have_the_same_keys():
    assert set(catalog("en")) == set(catalog(ZH))
    assert set(LANGUAGES) == {"en", ZH}


@pytest.mark.parametrize("key", sorted(catalog("en")))
def test_a_translation_keeps_every_placeholder_token_and_tag(key):
    en, zh = catalog("en")[key], catalog(ZH)[key]
    assert placeholders(zh) == placeholders(en)
    assert sorted(PLOTLY_TOKEN.findall(zh)) == sorted(PLOTLY_TOKEN.findall(en))
    assert sorted(HTML_TAG.findall(zh)) == sorted(HTML_TAG.findall(en))
    # every inline code span is kept as it is (a translation may add one)
    assert set(CODE_SPAN.findall(en)) <= set(CODE_SPAN.findall(zh))


def without_docstrings(code: str) -> str:
    tree = ast.parse(code)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
            getattr(body[0], "value", None), ast.Constant
        ) and isinstance(body[0].value.value, str):  # fmt: skip
            body[0] = ast.Pass()
    return ast.dump(tree)


CODE_KEYS = sorted(k for k, v in catalog("en").items() if "import torch" in v)


@pytest.mark.parametrize("key", CODE_KEYS)
def test_translated_code_is_the_same_code(key):
    """Only comments and docstrings change: the program is the same."""
    en, zh = catalog("en")[key], catalog(ZH)[key]
    try:
        ast.parse(en.format_map({}) if "{" not in en else en)
    except SyntaxError:  # a template with placeholders: compare its lines without comments
        strip = [re.sub(r"\s*#.*$", "", line) for line in en.splitlines()]
        assert strip == [re.sub(r"\s*#.*$", "", line) for line in zh.splitlines()]
        return
    assert without_docstrings(zh) == without_docstrings(en)


def test_chinese_terms_follow_the_glossary():
    zh = "\n".join(catalog(ZH).values())
    # "class" is 類別, never 課程: 課程 only where the English speaks of the course itself
    for key, text in catalog(ZH).items():
        if "課程" in text:
            assert re.search(r"course|lesson|spreadsheet|sheet", catalog("en")[key], re.I), key
    for term in ("交叉熵", "激活值", "機率", "對數概似", "獨熱編碼", "批次", "標籤平滑", "梯度",
                 "困惑度", "類別"):  # fmt: skip
        assert term in zh, term
    glossary = (ROOT / "docs" / "glossary.md").read_text()
    for term in ("交叉熵", "激活值", "類別", "困惑度"):
        assert term in glossary


def test_english_is_the_default_everywhere():
    assert t("nav.softmax") == "Softmax & confidence"
    assert str(Message("url.default_sample")) == "sample 0"
    assert ce_core.PRESETS["cat-vs-dog"].class_names == ("cat", "dog")
    assert "lang" not in encode(PageState())


def test_the_language_round_trips_through_the_url_and_a_bad_one_is_named():
    state, problems = decode({"lang": ZH})
    assert state.language == ZH and problems == []
    assert encode(state) == {"lang": ZH}
    state, problems = decode({"lang": "fr"})
    assert state.language == "en"
    (problem,) = problems
    assert problem.param == "lang" and "'fr' is not one of en, zh-TW" in problem.reason.render()


def test_the_app_opens_in_chinese_from_the_link_and_keeps_it():
    at = run_script(APP, {"lang": ZH})
    assert at.title[0].value == t("pipeline.title", ZH)
    assert at.radio(key="lang").value == ZH
    assert at.query_params["lang"] == [ZH] or at.query_params["lang"] == ZH
    # English again: the URL loses its parameter
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == t("pipeline.title", "en")
    assert "lang" not in at.query_params


def test_a_bad_language_in_the_link_falls_back_to_english_with_a_note():
    at = run_script(APP, {"lang": "klingon"})
    assert at.title[0].value == t("pipeline.title", "en")
    notes = [w.value for w in at.warning if "language" in w.value]
    assert notes == ["The link's language: 'klingon' is not one of en, zh-TW. Showing English."]


def visible_texts(at: AppTest) -> list[str]:
    """What a learner reads on the page, as AppTest sees it (code blocks left out)."""
    texts = []
    for kind in ("markdown", "caption", "header", "subheader", "title", "info", "warning",
                 "error", "success"):  # fmt: skip
        texts += [str(e.value) for e in at.get(kind)]
    texts += [m.label for m in at.metric] + [b.label for b in at.button]
    for kind in ("radio", "selectbox", "slider", "select_slider", "number_input", "text_area",
                 "toggle", "checkbox"):  # fmt: skip
        texts += [str(e.label) for e in at.get(kind)]
    for kind in ("radio", "selectbox", "multiselect", "select_slider"):
        texts += [str(option) for e in at.get(kind) for option in e.options]
    texts += [str(e.placeholder) for e in at.get("multiselect") if e.placeholder]
    texts += [str(e.label) for e in at.get("expandable")] + [str(e.label) for e in at.tabs]
    texts += [" | ".join(map(str, d.value.columns)) for d in at.dataframe]
    texts += [e.proto.label for e in at.get("download_button")]
    for kind in ("radio", "selectbox", "multiselect", "slider", "select_slider", "number_input",
                 "text_area", "toggle", "checkbox", "button"):  # fmt: skip
        texts += [str(e.help) for e in at.get(kind) if getattr(e, "help", None)]
    return texts


def is_words(run: str) -> bool:
    """English words, not a formula's symbols ("p log q", "B, T, V"): two of them are words of
    four letters or more."""
    return sum(len(word) >= 4 for word in re.findall(r"[A-Za-z'’-]+", run)) >= 2


def outside_code(text: str) -> str:
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    return re.sub(r"https?://\S+", " ", text)


def open_in_chinese(spec) -> AppTest:
    if spec.path == "pages/pipeline.py":  # the home page needs app.py's URL state
        return run_script(APP, {"lang": ZH})
    at = AppTest.from_file(str(ROOT / spec.path), default_timeout=90)
    at.session_state["lang"] = ZH
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_every_page_renders_in_chinese_with_no_english_sentence(spec):
    at = open_in_chinese(spec)
    texts = [outside_code(text) for text in visible_texts(at)]
    english = [run for text in texts for run in ENGLISH_RUN.findall(text)
               if is_words(run) and run.strip(" ,;:").lower() not in KEPT_ENGLISH]  # fmt: skip
    assert english == []
    letters = "".join(re.findall(r"[A-Za-z]|" + CJK.pattern, "".join(texts)))
    cjk_share = len(CJK.findall(letters)) / len(letters)
    assert cjk_share > 0.5, cjk_share  # most of what a learner reads is Chinese


def test_a_bad_cell_is_named_in_chinese():
    at = run_script(APP, {"lang": ZH})
    at.session_state["acts_editor"] = {"edited_rows": {1: {"7": None}}, "added_rows": [],
                                       "deleted_rows": []}  # fmt: skip
    at.run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "第 1 列" in errors and "7" in errors and CJK.search(errors), errors


@pytest.mark.parametrize(("page", "key"), [("training.py", "tr_run"),
                                           ("language_model.py", "lm_run")])  # fmt: skip
def test_switching_the_language_redraws_without_training_again(page, key):
    """The language changes the text, not the numbers: a kept run is drawn again."""
    at = run_script(ROOT / "pages" / page)
    kept = at.session_state[key]
    english = [m.label for m in at.metric]
    numbers = [m.value for m in at.metric]
    at.session_state["lang"] = ZH
    at.run()
    assert not at.exception and at.session_state[key] is kept
    chinese = [m.label for m in at.metric]
    assert [m.value for m in at.metric] == numbers
    assert chinese != english and all(CJK.search(label) for label in chinese), chinese


def test_a_notebook_built_outside_the_session_keeps_the_sessions_language():
    """Streamlit builds a deferred download in a worker thread with no session: the
    language is fixed when the button is drawn."""
    import json
    import threading

    from ui import notebook

    preset = ce_core.PRESETS["3-vs-7"]
    stages = ce_core.explain(preset.logits, preset.targets, class_names=preset.class_names)
    built: list[bytes] = []
    worker = threading.Thread(
        target=lambda: built.append(notebook.notebook_in(ZH, stages, "3-vs-7"))
    )
    worker.start()
    worker.join()
    cells = json.loads(built[0])["cells"]
    markdown = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert CJK.search(markdown) and t("notebook.title", ZH).split("{")[0][:4] in markdown
    assert t("nav.softmax") == "Softmax & confidence"  # outside the block: English again


def test_a_hostile_language_in_the_link_is_quoted_not_rendered():
    at = run_script(APP, {"lang": "**[click](https://example.com)**"})
    (note,) = [w.value for w in at.warning if "language" in w.value]
    assert "\\*\\*\\[click\\]" in note  # escaped: shown as typed, not as a link
