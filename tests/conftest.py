"""Shared fixtures for the non-browser layers."""

from __future__ import annotations

import pytest
from torch_compare import DEVICES


@pytest.fixture(params=DEVICES)
def device(request: pytest.FixtureRequest) -> str:
    return request.param
