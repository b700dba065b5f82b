"""Every page of the app, registered explicitly (st.navigation does not auto-discover)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # the script, relative to the repository root
    title_key: str  # its title in the text catalog
    icon: str
    url_path: str  # "" for the home page
    default: bool = False


PAGES = (
    PageSpec("pages/pipeline.py", "nav.pipeline", ":material/timeline:", "", default=True),
    PageSpec("pages/softmax.py", "nav.softmax", ":material/bar_chart:", "softmax"),
)
