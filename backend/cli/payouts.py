"""`digis payouts ...`: see creators' payouts and send a stuck one again."""

from __future__ import annotations

import uuid
from typing import Any

import click

from backend.cli.runner import (
    Finding,
    UsageProblem,
    emit,
    json_option,
    load_settings_or_exit,
    run_with_db,
)
from backend.outbox import service as outbox
from backend.outbox.models import OutboxJob
from backend.outbox.publisher import JobMessage, Publisher
from backend.payouts.models import Payout, PayoutStatus
from backend.payouts.service import SEND_PAYOUT
from backend.wallet.models import Movement

STATUSES = [status.value for status in PayoutStatus]


@click.group()
def payouts() -> None:
    """Creators' payouts (Stripe Connect)."""


@payouts.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only payouts in this status.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@json_option
def payouts_list(status: str | None, limit: int, as_json: bool) -> None:
    """Payouts, newest first: creator, tokens, money, status, and why a failed one failed."""

    async def listing() -> list[dict[str, Any]]:
        rows = Payout.all().prefetch_related("creator")
        if status is not None:
            rows = rows.filter(status=status)
        return [_summary(p) for p in await rows.order_by("-created_at").limit(limit)]

    emit(run_with_db(listing), as_json=as_json, human=_table)


@payouts.command("show")
@click.argument("payout_id", type=click.UUID)
@json_option
def payouts_show(payout_id: uuid.UUID, as_json: bool) -> None:
    """One payout: its Stripe ids, its ledger movements and its job. Exit 2 if unknown."""

    async def show() -> dict[str, Any]:
        payout = await _payout(payout_id)
        keys = [f"payout:{payout.id}", f"payout_return:{payout.id}"]
        movements = await Movement.filter(key__in=keys).order_by("id")
        job = await _job(payout.id)
        return {
            **_summary(payout),
            "stripe_account_id": payout.stripe_account_id,
            "transfer_id": payout.transfer_id,
            "stripe_payout_id": payout.stripe_payout_id,
            "movements": [{"id": m.id, "kind": m.kind.value, "key": m.key} for m in movements],
            "job": None if job is None else {
                "id": job.id, "status": job.status.value, "runs": job.run_attempts,
                "last_error": job.last_error,
            },
        }  # fmt: skip

    emit(run_with_db(show), as_json=as_json, human=_detail)


@payouts.command("retry")
@click.argument("payout_id", type=click.UUID)
@json_option
def payouts_retry(payout_id: uuid.UUID, as_json: bool) -> None:
    """Send a payout still `requested` again (its job failed, say while Stripe was out of
    reach); Stripe still makes one transfer. Exit 1 when the payout is past that (paid, in
    transit, or failed with its tokens returned: the creator requests a new one)."""

    async def retry() -> dict[str, Any]:
        payout = await _payout(payout_id)
        if payout.status != PayoutStatus.REQUESTED:
            raise Finding(
                f"payout {payout_id} is {payout.status.value}; there is nothing to send again"
                + (" (its tokens were returned)" if payout.return_movement_id else "")
            )
        job = await _job(payout.id)
        if job is None:
            raise Finding(f"payout {payout_id} has no job; see docs/runbooks/payout-failed.md")
        await outbox.requeue(job.id)
        publisher = Publisher(load_settings_or_exit())
        try:
            sent = await publisher.publish([JobMessage(job.id, job.task, list(job.args), None)])
        finally:
            publisher.close()
        return {"payout_id": str(payout_id), "job_id": job.id, "published": bool(sent)}

    emit(run_with_db(retry), as_json=as_json, human=_retried)


async def _payout(payout_id: uuid.UUID) -> Payout:
    payout = await Payout.get_or_none(id=payout_id).prefetch_related("creator")
    if payout is None:
        raise UsageProblem(f"no payout has id {payout_id}")
    return payout


async def _job(payout_id: uuid.UUID) -> OutboxJob | None:
    job: OutboxJob | None = (
        await OutboxJob.filter(task=SEND_PAYOUT, args__contains=[str(payout_id)])
        .order_by("-id")
        .first()
    )
    return job


def _summary(payout: Payout) -> dict[str, Any]:
    return {
        "id": str(payout.id),
        "creator": payout.creator.handle,
        "tokens": payout.tokens,
        "amount_cents": payout.amount_cents,
        "currency": payout.currency,
        "status": payout.status.value,
        "failure_code": payout.failure_code,
        "failure_message": payout.failure_message,
        "created_at": payout.created_at.isoformat(),
    }


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no payouts"
    return "\n".join(
        f"{r['id']}  @{r['creator']:<20} {r['tokens']:>8} tokens  "
        f"{r['amount_cents'] / 100:>10.2f} {r['currency']}  {r['status']:<10} "
        f"{r['failure_code'] or ''}"
        for r in rows
    )


def _detail(d: dict[str, Any]) -> str:
    lines = [
        f"payout {d['id']} of @{d['creator']}: {d['tokens']} tokens, "
        f"{d['amount_cents'] / 100:.2f} {d['currency']}, {d['status']}",
        f"stripe: account {d['stripe_account_id']}, transfer {d['transfer_id'] or '-'}, "
        f"bank payout {d['stripe_payout_id'] or '-'}",
        "ledger: " + (", ".join(f"{m['kind']} #{m['id']}" for m in d["movements"]) or "-"),
    ]
    if d["failure_code"]:
        lines.append(f"failed: {d['failure_code']}: {d['failure_message']}")
    if d["job"]:
        job = d["job"]
        error = job["last_error"] or ""
        lines.append(f"job {job['id']}: {job['status']}, {job['runs']} run(s) {error}")
    return "\n".join(lines)


def _retried(d: dict[str, Any]) -> str:
    if d["published"]:
        return f"payout {d['payout_id']}: job {d['job_id']} published again"
    return f"payout {d['payout_id']}: job {d['job_id']} requeued; the sweeper will publish it"
