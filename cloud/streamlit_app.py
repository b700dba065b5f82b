"""Streamlit Community Cloud's entrypoint: the same app, with its own requirements file.

Community Cloud looks for the dependency file next to the entrypoint before the
repository's root. ``cloud/requirements.txt`` takes torch's CPU build from PyTorch's index
(PyPI's Linux torch is a multi-GB CUDA build, too big for the smallest tier); the root
``requirements.txt``, which laptops, CI and these machines install, stays free of that
index, so nothing here waits on it. Community Cloud runs ``streamlit run`` from the
repository's root, so ``.streamlit/config.toml`` there applies.

    streamlit run cloud/streamlit_app.py     # what Community Cloud runs
"""

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # ce_core, figures, ui, i18n

runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
