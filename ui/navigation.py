"""Every page of the app, registered explicitly (st.navigation does not auto-discover), in
the order of the path through them (ui/path.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # the script, relative to the repository root
    title_key: str  # its title in the text catalog
    icon: str
    # "" for the home page; otherwise the file's name, which Streamlit's older pages/ mode
    # also uses, so that a deep link reaching a fresh server finds the page (ui/entry.py)
    url_path: str
    default: bool = False

    @property
    def key(self) -> str:
        """The page's short name: its title key without the section (``nav.softmax``)."""
        return self.title_key.removeprefix("nav.")


PAGES = (
    PageSpec("pages/pipeline.py", "nav.pipeline", ":material/timeline:", "", default=True),
    PageSpec("pages/softmax.py", "nav.softmax", ":material/bar_chart:", "softmax"),
    PageSpec("pages/log_likelihood.py", "nav.log", ":material/functions:", "log_likelihood"),
    PageSpec("pages/pytorch.py", "nav.pytorch", ":material/code:", "pytorch"),
    PageSpec("pages/gradients.py", "nav.gradients", ":material/trending_down:", "gradients"),
    PageSpec("pages/training.py", "nav.training", ":material/model_training:", "training"),
    PageSpec("pages/entropy.py", "nav.entropy", ":material/insights:", "entropy"),
    PageSpec("pages/language_model.py", "nav.language", ":material/text_fields:", "language_model"),
    PageSpec("pages/check_yourself.py", "nav.check", ":material/quiz:", "check_yourself"),
)
