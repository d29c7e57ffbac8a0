from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from backend.outbox.models import JobStatus, OutboxJob
from tests.support.s3 import S3Target, s3_target
from tests.support.waiting import eventually

# Fixtures that run a worker whose jobs a test can cause.
WORKERS = {"worker", "s3_stack"}


@pytest.fixture(autouse=True)
async def _jobs_finish_within_the_test(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Let every thumbnail job a test caused finish before its tables are emptied: outbox
    ids restart after each test, and a late job must not finish a later test's job."""
    yield
    if WORKERS & set(request.fixturenames):
        await eventually(
            lambda: OutboxJob.filter(status=JobStatus.PENDING).count(),
            lambda unfinished: unfinished == 0,
            within=60,
        )


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Target]:
    """An S3 API for the session (moto's server, or S3_TEST_ENDPOINT's)."""
    with s3_target(tmp_path_factory.mktemp("s3")) as target:
        yield target


@pytest.fixture(scope="session")
def s3_prefix(s3: S3Target) -> Iterator[str]:
    """This session's own corner of the bucket, emptied at the end."""
    prefix = f"digis-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    s3.remove(prefix)
