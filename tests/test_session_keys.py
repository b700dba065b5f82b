"""Each key of ``st.session_state`` is written once: a widget's own ``key=`` literal, or a
constant of ui/keys.py that every place reading or writing it names."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from apptest_helpers import APP_SOURCES

from ui import keys

STATE_METHODS = ("get", "pop", "setdefault")


def _is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def literal_keys(path: Path) -> list[tuple[str, int]]:
    """Keys written as string literals: ``key="..."``, ``session_state["..."]`` and
    ``session_state.get("...")``, with their lines."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Subscript) and _is_session_state(node.value):
            index = node.slice
            if isinstance(index, ast.Constant) and isinstance(index.value, str):
                found.append((index.value, node.lineno))
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg == "key" and isinstance(value, ast.Constant):
                found.append((value.value, node.lineno))
        func, first = node.func, node.args[0] if node.args else None
        state_call = isinstance(func, ast.Attribute) and _is_session_state(func.value)
        if state_call and func.attr in STATE_METHODS and isinstance(first, ast.Constant):
            found.append((first.value, node.lineno))
    return found


def test_no_key_is_written_twice():
    places = defaultdict(list)
    for path in APP_SOURCES:
        for key, line in literal_keys(path):
            places[key].append(f"{path.name}:{line}")
    assert {key: where for key, where in places.items() if len(where) > 1} == {}
    assert len(places) > 30  # the walk finds the widgets' keys


def test_the_shared_keys_are_distinct():
    values = [value for name, value in vars(keys).items() if name.isupper()]
    assert len(values) == len(set(values))


def test_the_walk_finds_a_repeated_key(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        'st.slider("x", key="sample")\nst.session_state["sample"] = 0\n'
        'st.session_state.get("other")\nst.session_state[keys.SAMPLE] = 1\n'
    )
    assert sorted(literal_keys(page)) == [("other", 3), ("sample", 1), ("sample", 2)]
