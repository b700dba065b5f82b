"""Shared fixtures for the non-browser layers."""

from __future__ import annotations

import pytest
from hypothesis import settings
from torch_compare import DEVICES

# No per-example deadline: the first example pays for torch's lazy initialisation, and the
# machines are shared. 60 examples a property keeps the suite quick.
settings.register_profile("ci", max_examples=60, deadline=None)
settings.load_profile("ci")


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> str:
    return request.param
