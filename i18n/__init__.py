"""Every sentence a user reads, per language: ``t("pipeline.intro")``.

The catalogs are TOML files beside this module, one per language (``en.toml``,
``zh-TW.toml``), with the same keys and placeholders. Keys are dotted: a section, then the
text's name. Placeholders use ``str.format``: ``t("check.caption", diff=1e-7)``.

Which language: ``t`` and ``Message.render`` take one, or use the current one, which the
UI supplies (``set_language_source``: the learner's choice in the session); without a UI
it is English. ``str(message)`` is always English (library users, tests, logs).

Code below the UI (ce_core's errors, the URL decoder) does not write sentences: it returns a
``Message``, a key and its parameters, and the page renders it in the learner's language.
A parameter may itself be a ``Message`` (a class's name, where a cell is), rendered first.
"""

from __future__ import annotations

import contextlib
import functools
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_LANGUAGE = "en"
# The languages a learner can choose: code (as in the URL's ?lang=) -> its own name
LANGUAGES = {"en": "English", "zh-TW": "繁體中文"}
_HERE = Path(__file__).parent
_source: Callable[[], str] = lambda: DEFAULT_LANGUAGE  # noqa: E731


def set_language_source(source: Callable[[], str]) -> None:
    """Where ``current_language`` comes from (the UI installs the learner's choice)."""
    global _source
    _source = source


_fixed: ContextVar[str | None] = ContextVar("i18n_language", default=None)


def current_language() -> str:
    """The language of the texts now: the one ``using`` fixed, or the source's, if it is one
    of LANGUAGES."""
    language = _fixed.get() or _source()
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


@contextlib.contextmanager
def using(language: str) -> Iterator[None]:
    """Texts in ``language`` inside the block, whatever the source says: for work the UI
    defers to a thread without the session (a download built when it is clicked)."""
    token = _fixed.set(language)
    try:
        yield
    finally:
        _fixed.reset(token)


@functools.cache
def catalog(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The flattened catalog of one language: {"section.name": text}."""
    with open(_HERE / f"{language}.toml", "rb") as file:
        nested = tomllib.load(file)
    return {
        f"{section}.{name}": text
        for section, texts in nested.items()
        for name, text in texts.items()
    }


def t(key: str, language: str | None = None, **values: object) -> str:
    """The text for ``key`` in ``language`` (the current one if None), formatted with
    ``values``. A missing key is a bug: KeyError."""
    text = catalog(language or current_language())[key]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Message:
    """A sentence not yet rendered: its catalog key and parameters. ``str()`` is English."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: str | None = None) -> str:
        """The sentence in ``language`` (the current one if None)."""
        language = language or current_language()
        values = {
            name: value.render(language) if isinstance(value, Message) else value
            for name, value in self.params.items()
        }
        return t(self.key, language, **values)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)
