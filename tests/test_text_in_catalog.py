"""Every sentence a user reads comes from the text catalog (i18n), never from a literal in code.

A static walk of the app's sources: every string literal that reads like words (two or more
words in a row) must be a docstring, a message for an operator's log or a programmer's
exception, or one of the commented exceptions below, each of which no user reads as text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from apptest_helpers import APP_SOURCES, ROOT

# Two words in a row, neither part of an identifier, a dotted name, a call or a placeholder
PROSE = re.compile(r"(?<![\w.\\{%$])[A-Za-z][a-z]+(?:'[a-z]+)?\s+[a-z]{2,}(?![\w(\[])")
LOGGERS = {"LOG", "logging", "logger"}
DEFINITIONS = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# (file, the literal's start): why no user reads it as a sentence
NOT_SENTENCES = {
    ("ui/preload.py", "(() => {const entry"): "JavaScript the browser runs",
    ("ui/accessibility.py", "\n(() => {\n  const settings"): "JavaScript the browser runs",
    ("ui/reproduce.py", "import torch"): "the generated program's code",
    ("ui/reproduce.py", "for name, loss in"): "the generated program's code",
    ("figures/log.py", "top left"): "a Plotly textposition",
    ("figures/log.py", "bottom left"): "a Plotly textposition",
    ("figures/information.py", "top left"): "a Plotly textposition",
    ("figures/information.py", "bottom left"): "a Plotly textposition",
    ("figures/information.py", "bottom right"): "a Plotly textposition",
    ("figures/information.py", "bottom center"): "a Plotly textposition",
    ("figures/style.py", "  <span style="): "HTML markup around a catalog text",
    ("figures/gradients.py", "<svg xmlns="): "the SVG markup of a picture of curves",
    ("figures/gradients.py", '<span style="'): "HTML markup around a number",
    ("figures/bar_picture.py", "<svg xmlns="): "the SVG markup of a bar picture",
    ("figures/bar_picture.py", '"><rect width="'): "the SVG markup of a bar picture",
    ("figures/bar_picture.py", "<text transform="): "the SVG markup of a bar picture",
    ("figures/bar_picture.py", '<rect class="bar"'): "the SVG markup of a bar picture",
    ("figures/bar_picture.py", "<defs><pattern"): "the SVG markup of a bar picture",
}


def _skipped(tree: ast.AST) -> set[int]:
    """Docstrings, log messages and programmers' exceptions (not ce_core.InputError)."""
    skipped = set()
    for node in ast.walk(tree):
        first = getattr(node, "body", [None])[0] if isinstance(node, DEFINITIONS) else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            skipped.add(id(first.value))
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and getattr(func.value, "id", None) in LOGGERS:
            skipped |= {id(n) for arg in node.args for n in ast.walk(arg)}
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
            if name != "InputError":
                skipped |= {id(n) for n in ast.walk(node.exc)}
    return skipped


def literal_sentences(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    skipped = _skipped(tree)
    relative = str(path.relative_to(root))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in skipped and PROSE.search(node.value)
        and not any(relative == f and node.value.startswith(s) for f, s in NOT_SENTENCES)
    ]  # fmt: skip


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sentence_is_written_in_code(path):
    assert literal_sentences(path) == []


def test_the_walk_finds_sentences(tmp_path):
    """The check itself: a sentence in a label, an f-string or an InputError is found; a
    docstring, a log message and a programmer's exception are not."""
    source = tmp_path / "page.py"
    source.write_text(
        '"""A docstring is prose."""\n'
        'st.header("Where the loss comes from")\n'
        'title = f"{n} samples of the batch"\n'
        'LOG.info("warm-up done in %.2f s")\n'
        'raise TypeError("not for a learner")\n'
        'raise InputError("cell_nan", where="row 3")\n'
        'x = {"key": "sm_acts[idx, targ]", "code": "torch.softmax(acts, dim=1)"}\n'
    )
    found = [text for _, text in literal_sentences(source, root=tmp_path)]
    assert found == ["Where the loss comes from", " samples of the batch"]


def test_every_exception_is_still_in_the_sources():
    """An entry of NOT_SENTENCES that no longer matches anything is stale: remove it."""
    for relative, start in NOT_SENTENCES:
        tree = ast.parse((ROOT / relative).read_text())
        texts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
        assert any(isinstance(text, str) and text.startswith(start) for text in texts), start
