"""Every test here follows creators through the API, which queues follow notices: the
session's worker runs them, around each test (see `settled_jobs`)."""

from __future__ import annotations

import pytest

from tests.creators.support import settled_jobs

__all__ = ["settled_jobs"]


@pytest.fixture(autouse=True)
def _settled(settled_jobs: None) -> None:
    """Applies `settled_jobs` to every test of this folder."""
