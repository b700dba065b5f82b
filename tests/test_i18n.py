"""Every sentence the pages ask for is in the catalog, with the placeholders they pass."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from i18n import catalog, t

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*ROOT.glob("*.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_]+)["']""")
DYNAMIC_KEY = re.compile(r"""\bt\(\s*f["']([a-z_]+)\.\{""")


def used_keys() -> set[str]:
    return {key for path in SOURCES for key in LITERAL_KEY.findall(path.read_text())}


def test_every_literal_key_exists():
    missing = used_keys() - set(catalog())
    assert not missing, missing
    assert len(used_keys()) > 40  # the scan finds the calls


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


def test_pages_are_registered_under_their_file_names():
    from ui.navigation import PAGES

    assert PAGES[0].default and PAGES[0].url_path == ""
    for spec in PAGES[1:]:
        assert spec.url_path == Path(spec.path).stem  # see ui/entry.py
        assert (ROOT / spec.path).exists()
        assert spec.title_key in catalog()
