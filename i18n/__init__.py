"""Every sentence a user reads, per language: ``t("pipeline.intro")``.

The catalogs are TOML files beside this module (``en.toml`` now; ``zh-TW.toml`` is planned,
the seeds' author writes both). Keys are dotted: a section, then the text's name.
Placeholders use ``str.format``: ``t("check.caption", diff=1e-7)``.

Code below the UI (ce_core's errors, the URL decoder) does not write sentences: it returns a
``Message``, a key and its parameters, and the page renders it in the learner's language.
A parameter may itself be a ``Message`` (a class's name, where a cell is), rendered first.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_LANGUAGE = "en"
_HERE = Path(__file__).parent


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


def t(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key``, formatted with ``values``. A missing key is a bug: KeyError."""
    text = catalog(language)[key]
    return text.format(**values) if values else text


@dataclass(frozen=True)
class Message:
    """A sentence not yet rendered: its catalog key and parameters. ``str()`` is English."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, language: str = DEFAULT_LANGUAGE) -> str:
        values = {
            name: value.render(language) if isinstance(value, Message) else value
            for name, value in self.params.items()
        }
        return t(self.key, language, **values)

    def __str__(self) -> str:
        return self.render()
