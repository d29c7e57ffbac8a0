from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from backend.outbox.models import JobStatus, OutboxJob
from tests.support.waiting import eventually


@pytest.fixture(autouse=True)
async def _jobs_finish_within_the_test(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Let every thumbnail job a test caused finish before its tables are emptied: outbox
    ids restart after each test, and a late job must not finish a later test's job."""
    yield
    if "worker" in request.fixturenames:
        await eventually(
            lambda: OutboxJob.filter(status=JobStatus.PENDING).count(),
            lambda unfinished: unfinished == 0,
            within=60,
        )
