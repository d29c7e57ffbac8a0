"""`digis ledger ...` and `digis stripe ...`: check the money, see and replay Stripe events."""

from __future__ import annotations

from dataclasses import asdict
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
from backend.outbox.models import OutboxJob
from backend.outbox.publisher import JobMessage, Publisher
from backend.payments import inbox
from backend.reconcile import reconcile_all
from backend.wallet.reconcile import Report


@click.group()
def ledger() -> None:
    """The token ledger."""


@ledger.command("reconcile")
@json_option
def ledger_reconcile(as_json: bool) -> None:
    """Check every money invariant; exit 1 listing each violation."""
    report = run_with_db(reconcile_all)
    emit(report.as_dict(), as_json=as_json, human=lambda _: _describe(report))
    if not report.clean:
        raise SystemExit(Finding.exit_code)


def _describe(report: Report) -> str:
    counted = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    if report.clean:
        return f"ledger is consistent ({counted})"
    lines = [f"{len(report.violations)} violation(s) ({counted}):"]
    lines += [f"  [{v.check}] {v.subject}: {v.detail}" for v in report.violations]
    return "\n".join(lines)


@click.group()
def stripe() -> None:
    """Stripe events received by the webhook."""


@stripe.command("events")
@click.option("--unhandled", is_flag=True, help="Only events not applied yet.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 10_000))
@json_option
def stripe_events(unhandled: bool, limit: int, as_json: bool) -> None:
    """Received events, newest first, with their outcome or their job's last error."""

    async def listing() -> list[dict[str, Any]]:
        return [asdict(event) for event in await inbox.listing(unhandled=unhandled, limit=limit)]

    emit(run_with_db(listing), as_json=as_json, human=_events_table)


def _events_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "no events"
    return "\n".join(
        f"{r['id']}  {r['type']:<42} deliveries={r['deliveries']}  " + _state(r) for r in rows
    )


def _state(row: dict[str, Any]) -> str:
    if row["handled_at"]:
        return f"handled: {row['outcome']}"
    if row["gave_up_at"]:
        return f"unhandled, {row['outcome']}"
    error = f"  {row['last_error']}" if row["last_error"] else ""
    return f"unhandled, job {row['job_status']}{error}"


@stripe.command("replay")
@click.argument("event_id")
@json_option
def stripe_replay(event_id: str, as_json: bool) -> None:
    """Process a stored event that is not handled yet (it still takes effect once).

    Exit 0 when queued or already handled (the output says which), 2 when the event is not
    in the inbox.
    """

    async def replay() -> dict[str, Any]:
        try:
            requeued = await inbox.requeue(event_id)
        except inbox.UnknownEvent:
            raise UsageProblem(f"event {event_id} is not in the inbox") from None
        if requeued is None:
            return {"event_id": event_id, "handled": True, "published": False}
        published = await _publish(requeued.job)
        return {"event_id": event_id, "handled": False, "published": published}

    result = run_with_db(replay)
    emit(result, as_json=as_json, human=_replayed)


def _replayed(result: dict[str, Any]) -> str:
    if result["handled"]:
        return f"event {result['event_id']} is already handled; nothing to do"
    if result["published"]:
        return f"event {result['event_id']} queued for processing"
    return (
        f"event {result['event_id']} queued; the broker is unreachable, the sweeper will publish it"
    )


async def _publish(job: OutboxJob) -> bool:
    publisher = Publisher(load_settings_or_exit())
    try:
        sent = await publisher.publish(
            [JobMessage(job.id, job.task, list(job.args), job.request_id)]
        )
    finally:
        publisher.close()
    return bool(sent)
