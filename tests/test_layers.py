"""The layers point one way (DESIGN.md): ce_core computes and imports no UI; figures draw and
import no Streamlit; the pages and ui use ce_core through its public names only; the text
catalog imports nothing of the app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from apptest_helpers import APP_SOURCES, ROOT

import ce_core

# What each layer may not import (the first part of the module's dotted name)
FORBIDDEN = {
    "ce_core": {"streamlit", "plotly", "pandas", "figures", "ui", "pages"},
    "figures": {"streamlit", "ui", "pages", "torch"},
    "i18n": {"streamlit", "plotly", "torch", "ce_core", "figures", "ui", "pages"},
}
PUBLIC_MODULES = {"ce_core", "ce_core.reference", "ce_core.gradients", "ce_core.concepts",
                  "ce_core.training", "ce_core.information", "ce_core.calibration",
                  "ce_core.language_model"}  # fmt: skip


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for each import of a file (names empty for ``import x``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def layer(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


@pytest.mark.parametrize("path", APP_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_each_layer_imports_only_what_it_may(path):
    forbidden = FORBIDDEN.get(layer(path), set())
    assert [module for module, _ in imports(path) if module.split(".")[0] in forbidden] == []


def private_uses(path: Path) -> list[str]:
    """ce_core's modules and names that are not public, as a file uses them."""
    private = []
    for module, names in imports(path):
        if module.startswith("ce_core"):
            private += [module] if module not in PUBLIC_MODULES else []
            private += [f"{module}.{name}" for name in names if name.startswith("_")]
    for node in ast.walk(ast.parse(path.read_text())):  # ce_core.validate.x, ce_core._x
        attribute = node.attr if isinstance(node, ast.Attribute) else ""
        if getattr(getattr(node, "value", None), "id", None) == "ce_core" and (
            attribute.startswith("_") or attribute not in dir(ce_core)
        ):
            private.append(f"ce_core.{attribute}")
    return private


@pytest.mark.parametrize(
    "path", [p for p in APP_SOURCES if layer(p) in ("pages", "ui", "app.py")],
    ids=lambda p: str(p.relative_to(ROOT)),
)  # fmt: skip
def test_the_ui_uses_ce_core_through_its_public_names(path):
    assert private_uses(path) == []


def test_the_walk_finds_private_uses(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "import ce_core\nfrom ce_core.stages import _compute\nfrom ce_core import reference\n"
        "ce_core.validate.as_matrix([])\nce_core._secret\nce_core.explain\n"
    )
    assert sorted(private_uses(page)) == [
        "ce_core._secret", "ce_core.stages", "ce_core.stages._compute", "ce_core.validate",
    ]  # fmt: skip
