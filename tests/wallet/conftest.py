from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.worker import Process
from tests.wallet.support import assert_ledger_consistent, jobs_finished


@pytest.fixture
def corrupts_ledger() -> None:
    """Requested by tests that break the ledger on purpose (to see reconciliation find it)."""


@pytest.fixture(autouse=True)
async def _ledger_stays_consistent(
    request: pytest.FixtureRequest, database: str, worker: Process, beat: Process
) -> AsyncIterator[None]:
    """Every test ends with its jobs run and every money invariant holding (checked before
    the tables are emptied). Jobs written by the test process itself, which publishes
    nothing, reach the worker through the beat sweeper."""
    yield
    await jobs_finished()
    if "corrupts_ledger" not in request.fixturenames:
        await assert_ledger_consistent()
