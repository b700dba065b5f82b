"""Predict, then reveal: the concept pages' questions, from the text catalog.

A question ``key`` is ``predict.<key>`` (its prompt), ``predict.<key>_0``, ``_1``, ... (its
choices) and ``predict.<key>_why`` (the explanation shown after the reveal, formatted with
the numbers the page computed). The widget is ``ui.quiz.predict_then_reveal``.
"""

from __future__ import annotations

import itertools

from i18n import catalog, current_language, t
from ui import quiz


def choices_of(key: str) -> list[str]:
    """The question's choices, in the catalog's order."""
    texts = catalog(current_language())
    keys = (f"predict.{key}_{i}" for i in itertools.count())
    return [texts[choice] for choice in itertools.takewhile(texts.__contains__, keys)]


def ask(key: str, answer: int, why: str, **prompt_values: object) -> None:
    """Ask the catalog's question ``key``; ``answer`` is the right choice's index.

    ``why``: the explanation, rendered by the page with its numbers (usually
    ``t("predict.<key>_why", ...)``); ``prompt_values`` fill the prompt's placeholders.
    """
    quiz.predict_then_reveal(key, t(f"predict.{key}", **prompt_values), choices_of(key), answer,
                             why)  # fmt: skip
