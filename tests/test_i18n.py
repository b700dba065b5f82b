"""The text catalog: every key the code asks for exists, with the placeholders it passes, and
every text in it is asked for somewhere.

Keys are found statically in the sources: the first argument of ``t``, ``Message``,
``InputError`` (a code of the catalog's ``[error]`` section), the URL decoder's
``_BadParamError`` (``[url]``) and the paste parser's ``_error`` (``[error]``); a key built
with an f-string (``t(f"stage.{stage}_title")``) is a pattern that must match a key.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from apptest_helpers import APP_SOURCES, ROOT

from i18n import Message, catalog, t

KEY_CALLS = {"t": "", "Message": "", "InputError": "error.", "_BadParamError": "url.",
             "_error": "error."}  # fmt: skip


def _keys_in_sources() -> tuple[set[str], list[re.Pattern], set[str]]:
    """(literal keys, patterns of f-string keys, every string constant of the sources)."""
    literal, patterns, constants = set(), [], set()
    for path in APP_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in KEY_CALLS:
                continue
            first, prefix = node.args[0], KEY_CALLS[name]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                literal.add(prefix + first.value)
            elif isinstance(first, ast.JoinedStr):
                parts = [re.escape(part.value) if isinstance(part, ast.Constant) else r"[\w-]+"
                         for part in first.values]  # fmt: skip
                patterns.append(re.compile(re.escape(prefix) + "".join(parts) + "$"))
    return literal, patterns, constants


LITERAL, PATTERNS, CONSTANTS = _keys_in_sources()


def test_every_literal_key_exists():
    assert LITERAL - set(catalog()) == set()
    assert len(LITERAL) > 300  # the walk finds the calls


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.pattern)
def test_every_key_built_with_an_f_string_matches_a_key(pattern):
    assert any(pattern.match(key) for key in catalog()), pattern.pattern


def test_every_text_is_used():
    """A key no code asks for (literally, by a pattern, or named as a constant such as a
    page's title key) is a sentence nobody reads: remove it or use it."""
    unused = [
        key for key in catalog()
        if key not in LITERAL and key not in CONSTANTS and not any(p.match(key) for p in PATTERNS)
    ]  # fmt: skip
    assert unused == []


@pytest.mark.parametrize("stage", ["logits", "exp", "softmax"])
def test_the_matrix_stages_have_all_their_texts(stage):
    for part in ("title", "label", "code"):
        assert f"stage.{stage}_{part}" in catalog()


def test_placeholders_are_well_formed():
    for key, text in catalog().items():
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name]
        assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", name) for name in fields), key


def test_formatting():
    assert t("stage.check_caption", device="cpu", dtype="float32", diff=1e-7) == (
        "Computed on cpu in float32; largest |ce_core − PyTorch| = 1.00e-07."
    )
    with pytest.raises(KeyError):
        t("no.such_key")


def test_a_message_renders_its_parameters_and_nested_messages():
    dog = Message("error.class_named", {"name": "dog"})
    where = Message(
        "error.at_cell", {"what": Message("error.what_activations"), "row": 3, "cls": dog}
    )
    message = Message("error.cell_empty", {"where": where})
    assert str(message) == message.render("en") == "activations: row 3, class 'dog' is empty"


def test_pages_are_registered_under_their_file_names():
    from ui.navigation import PAGES

    assert PAGES[0].default and PAGES[0].url_path == ""
    for spec in PAGES[1:]:
        assert spec.url_path == Path(spec.path).stem  # see ui/entry.py
        assert (ROOT / spec.path).exists()
        assert spec.title_key in catalog()
