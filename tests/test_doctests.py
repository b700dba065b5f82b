"""The examples in ce_core's docstrings run and print what they say (the book's numbers)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ce_core

# ce_core's modules, and the UI's pure text helpers
MODULES = sorted(name for _, name, _ in pkgutil.iter_modules(ce_core.__path__, "ce_core."))
MODULES += ["ui.text"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0


# The contract's functions (shared DESIGN.md) and the concepts the pages teach: each shows
# its numbers in an example, which the test above runs.
SHOWN_BY_EXAMPLE = (
    "softmax", "log_softmax", "nll_loss", "cross_entropy", "explain", "resolve_device",
    "softmax_naive", "log_softmax_naive", "sigmoid", "softmax_temperature", "entropy",
    "entropy_by_temperature", "confidence_curve", "negative_log", "one_hot", "one_hot_log_loss",
    "one_hot_vs_lookup", "product_and_log_sum", "softmax_parts", "exp_overflow_threshold",
)  # fmt: skip


@pytest.mark.parametrize("name", SHOWN_BY_EXAMPLE)
def test_the_function_has_an_example(name):
    tests = doctest.DocTestFinder().find(getattr(ce_core, name), name)
    assert sum(len(test.examples) for test in tests) >= 1
