"""Every sentence a user reads, per language: ``t("pipeline.intro")``.

The catalogs are TOML files beside this module (``en.toml`` now; ``zh-TW.toml`` is planned,
the seeds' author writes both). Keys are dotted: a section, then the text's name.
Placeholders use ``str.format``: ``t("check.caption", diff=1e-7)``.
"""

from __future__ import annotations

import functools
import tomllib
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
