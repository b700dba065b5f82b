"""Shared fixtures for the non-browser layers."""

from __future__ import annotations

import os

import pytest
import streamlit.config as streamlit_config
from hypothesis import settings
from torch_compare import DEVICES

# No per-example deadline: the first example pays for torch's lazy initialisation, and the
# machines are shared. 60 examples a property keeps the suite quick.
settings.register_profile("ci", max_examples=60, deadline=None)
settings.load_profile("ci")

# ui/boundary.py turns an unexpected exception into an apology; under test it re-raises, so
# that AppTest and the browser (whose server inherits this) still see it as a failure.
os.environ["CE_EXPLAINER_STRICT"] = "1"
# And show the real message of such a failure (production's config redacts it; an
# environment variable does not override .streamlit/config.toml for this option).
streamlit_config.set_option("client.showErrorDetails", "full")


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> str:
    return request.param
