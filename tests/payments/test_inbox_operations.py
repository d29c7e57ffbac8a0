"""Keeping the inbox: retention, re-driving stalled events, and the `digis stripe` commands."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import timedelta

import pytest
from tortoise import timezone

from backend.outbox.models import JobStatus, OutboxJob
from backend.payments import inbox
from backend.payments.models import StripeEvent
from tests.payments.stack import Stack, deliver
from tests.payments.support import (
    SMALL_TOKENS,
    credits,
    event,
    handled,
    pay,
    start_checkout,
    stored_unprocessed,
)
from tests.support.accounts import create_account
from tests.support.cli import digis
from tests.support.waiting import eventually
from tests.support.worker import Process
from tests.wallet.support import balance

pytestmark = [pytest.mark.usefixtures("database"), pytest.mark.worker]


async def stored_event(
    event_id: str, *, handled_days_ago: float | None, job: OutboxJob | None = None
) -> StripeEvent:
    now = timezone.now()
    return await StripeEvent.create(
        id=event_id,
        type="checkout.session.completed",
        payload={"id": event_id},
        stripe_created_at=now,
        handled_at=None if handled_days_ago is None else now - timedelta(days=handled_days_ago),
        outcome=None if handled_days_ago is None else "credited 100 tokens",
        job_id=job.id if job else None,
    )


async def test_handled_events_are_kept_30_days_and_unhandled_ones_always() -> None:
    await stored_event("evt_old", handled_days_ago=31)
    await stored_event("evt_recent", handled_days_ago=29)
    await stored_event("evt_unhandled", handled_days_ago=None)
    await StripeEvent.filter(id="evt_unhandled").update(
        received_at=timezone.now() - timedelta(days=90)
    )

    deleted = await inbox.prune_handled(timedelta(days=30))

    assert deleted == 1
    assert {row.id for row in await StripeEvent.all()} == {"evt_recent", "evt_unhandled"}


async def test_stalled_events_are_requeued_but_not_those_that_can_never_apply() -> None:
    waiting = await OutboxJob.create(  # a harmless job, should the sweeper publish it
        task="tests.record", args=[uuid.uuid4().hex], status=JobStatus.FAILED,
        last_error="EventNotReady: purchase 1 is not credited yet",
    )  # fmt: skip
    broken = await OutboxJob.create(
        task=inbox.PROCESS_EVENT, args=["evt_broken"], status=JobStatus.FAILED,
        last_error="PermanentJobError: UnusableEvent: amounts disagree",
    )  # fmt: skip
    done = await OutboxJob.create(
        task=inbox.PROCESS_EVENT, args=["evt_done"], status=JobStatus.FAILED, last_error="x"
    )
    await stored_event("evt_waiting", handled_days_ago=None, job=waiting)
    await stored_event("evt_broken", handled_days_ago=None, job=broken)
    await stored_event("evt_done", handled_days_ago=1, job=done)

    assert (await inbox.redrive_stalled(timedelta(hours=72))).requeued == 1

    assert (await OutboxJob.get(id=waiting.id)).status == JobStatus.PENDING
    assert (await OutboxJob.get(id=broken.id)).status == JobStatus.FAILED
    assert (await OutboxJob.get(id=done.id)).status == JobStatus.FAILED
    await OutboxJob.filter(id=waiting.id).update(status=JobStatus.FAILED)  # nothing to run


async def test_an_event_for_an_unknown_purchase_ends_given_up_and_stays_visible(
    recorder: Stack, worker: Process
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    await pay(recorder, checkout)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")
    stranger = copy.deepcopy(completed)  # about a purchase this Digis never started
    stranger["id"] = f"evt_unknown_{uuid.uuid4().hex[:12]}"
    stranger["data"]["object"]["metadata"]["purchase_id"] = str(uuid.uuid4())
    stranger["data"]["object"]["client_reference_id"] = None
    assert (await deliver(recorder.api, stranger, recorder.secret)).status_code == 200
    stored = await StripeEvent.get(id=stranger["id"])
    job = await eventually(  # retried with backoff until its retries ran out
        lambda: OutboxJob.get(id=stored.job_id), lambda j: j.status == JobStatus.FAILED, within=90
    )
    assert str(job.last_error).startswith("EventNotReady")
    await StripeEvent.filter(id=stranger["id"]).update(
        received_at=timezone.now() - timedelta(hours=73)
    )

    redriven = await inbox.redrive_stalled(timedelta(hours=72))

    assert (redriven.requeued, redriven.given_up) == (0, 1)
    given_up = await StripeEvent.get(id=stranger["id"])
    assert given_up.handled_at is None
    assert given_up.gave_up_at is not None
    assert str(given_up.outcome).startswith("gave up: EventNotReady")
    listed = json.loads((await digis("stripe", "events", "--unhandled", "--json")).stdout)
    assert [(r["id"], r["gave_up_at"] is not None) for r in listed] == [(stranger["id"], True)]
    assert "gave up: EventNotReady" in (await digis("stripe", "events", "--unhandled")).stdout
    # Terminal: the next redrives leave it alone.
    assert await inbox.redrive_stalled(timedelta(hours=72)) == inbox.Redriven(0, 0)
    assert (await OutboxJob.get(id=stored.job_id)).status == JobStatus.FAILED


async def test_the_stripe_commands_list_and_replay_unhandled_events(
    recorder: Stack, worker: Process
) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    await pay(recorder, checkout)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")
    await stored_unprocessed(completed, "EventNotReady: waited too long")

    listed = await digis("stripe", "events", "--unhandled", "--json")

    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["id"], row["job_status"], row["handled_at"]) == (completed["id"], "failed", None)
    assert row["last_error"] == "EventNotReady: waited too long"
    assert completed["id"] in (await digis("stripe", "events", "--unhandled")).stdout

    replayed = await digis("stripe", "replay", completed["id"])

    assert replayed.returncode == 0, replayed.stderr
    assert "queued for processing" in replayed.stdout
    await handled(completed["id"])
    assert await credits(checkout.purchase_id) == 1
    assert await balance(fan) == SMALL_TOKENS
    assert json.loads((await digis("stripe", "events", "--unhandled", "--json")).stdout) == []
    again = await digis("stripe", "replay", completed["id"])
    assert again.returncode == 0
    assert "already handled" in again.stdout
    # A redelivery now changes nothing either.
    assert (await deliver(recorder.api, completed, recorder.secret)).status_code == 200
    assert await credits(checkout.purchase_id) == 1
    assert (await digis("stripe", "replay", "evt_nope")).returncode != 0


async def test_a_redelivered_event_whose_job_is_gone_gets_a_new_one(recorder: Stack) -> None:
    fan = await create_account("fan")
    checkout = await start_checkout(recorder, fan)
    await pay(recorder, checkout)
    completed = await event(recorder, checkout.session_id, "checkout.session.completed")
    await StripeEvent.create(  # stored, but its job row was lost (deleted by hand, say)
        id=completed["id"], type=completed["type"], payload=completed,
        stripe_created_at=timezone.now(), job_id=None,
    )  # fmt: skip

    assert (await deliver(recorder.api, completed, recorder.secret)).status_code == 200

    stored = await handled(completed["id"])
    assert stored.job_id is not None
    assert stored.deliveries == 2
    assert await credits(checkout.purchase_id) == 1
