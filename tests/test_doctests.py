"""The examples in ce_core's docstrings run and print what they say (the book's numbers)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ce_core

MODULES = sorted(name for _, name, _ in pkgutil.iter_modules(ce_core.__path__, "ce_core."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0


def test_the_examples_exist():
    examples = sum(doctest.testmod(importlib.import_module(name)).attempted for name in MODULES)
    assert examples >= 8
