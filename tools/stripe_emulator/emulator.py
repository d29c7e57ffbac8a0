"""What happens to Stripe objects when a customer pays, a bank settles, or a merchant refunds,
and the events each step sends. The routes (`api`, `hosted`, `control`) only call into here.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Callable
from dataclasses import dataclass

import stripe
from loguru import logger

from tools.stripe_emulator import objects
from tools.stripe_emulator.config import EmulatorConfig
from tools.stripe_emulator.errors import invalid
from tools.stripe_emulator.objects import JSON, format_amount, new_id, now
from tools.stripe_emulator.store import EventRecord, SessionRecord, Store
from tools.stripe_emulator.webhooks import Deliverer

REFUND_REASONS = frozenset({"duplicate", "fraudulent", "requested_by_customer"})
DISPUTE_OUTCOMES = frozenset({"won", "lost"})
SETTLE_OUTCOMES = frozenset({"succeeded", "failed"})


@dataclass(frozen=True)
class Origin:
    """The API request that caused an event (Stripe's `event.request`); empty for events
    caused by the customer, the bank or the dashboard."""

    request_id: str | None = None
    idempotency_key: str | None = None


CUSTOMER = Origin()


class Emulator:
    def __init__(self, config: EmulatorConfig, *, api_version: str | None = None) -> None:
        self.config = config
        self.store = Store()
        self.deliverer = Deliverer(config)
        # Events are rendered in the version the installed SDK pins, as an account on it would.
        self.api_version = api_version or stripe.api_version
        self._sweeper: asyncio.Task[None] | None = None
        self._timers: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        """Start expiring sessions in the background (needs the running event loop)."""
        self._sweeper = asyncio.create_task(self._expire_forever())

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
            self._sweeper = None
        for timer in list(self._timers):
            timer.cancel()
        await asyncio.gather(*self._timers, return_exceptions=True)
        await self.deliverer.close()

    def later(self, delay: float, action: Callable[[], object], what: str) -> None:
        """Run `action` after `delay` seconds, as Stripe moves money on its own (a payout
        arriving). Timers still waiting when the emulator stops are dropped."""

        async def run() -> None:
            await asyncio.sleep(delay)
            try:
                action()
            except Exception:  # noqa: BLE001 - one failed step must not stop the others
                logger.exception("{} failed", what)

        timer = asyncio.create_task(run())
        self._timers.add(timer)
        timer.add_done_callback(self._timers.discard)

    # --- Checkout Sessions --------------------------------------------------------------

    def create_session(
        self,
        *,
        line_items: list[JSON],
        success_url: str | None,
        cancel_url: str | None,
        client_reference_id: str | None,
        customer_email: str | None,
        metadata: dict[str, str],
        intent_metadata: dict[str, str],
        intent_description: str | None,
        expires_at: int | None,
    ) -> SessionRecord:
        created = now()
        session = objects.checkout_session(
            base_url=self.config.base_url,
            currency=line_items[0]["currency"],
            amount_total=sum(item["amount_total"] for item in line_items),
            success_url=success_url,
            cancel_url=cancel_url,
            client_reference_id=client_reference_id,
            customer_email=customer_email,
            metadata=metadata,
            expires_at=expires_at or created + 24 * 3600,
            created=created,
        )
        record = SessionRecord(session, line_items, intent_metadata, intent_description)
        self.store.sessions[session["id"]] = record
        logger.info("checkout session {} created: {}", session["id"], self._amount(session))
        return record

    def pay(self, session_id: str) -> JSON:
        """The customer pays by card: the session completes and is paid at once."""
        record = self._open_session(session_id)
        intent = self._intent_for(record)
        method = new_id("pm_1")
        charge = self._new_charge(intent, record, "succeeded", method, objects.card_details)
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=charge["id"],
            last_payment_error=None,
            payment_method=method,
        )
        session = self._complete(record, payment_status="paid")
        self.emit("charge.succeeded", charge)
        self.emit("payment_intent.succeeded", intent)
        self.emit("checkout.session.completed", session)
        return session

    def decline(self, session_id: str) -> JSON:
        """The card is declined: a failed charge, an error on the intent; the session stays open."""
        record = self._open_session(session_id)
        intent = self._intent_for(record)
        method = new_id("pm_1")
        charge = self._new_charge(intent, record, "failed", method, objects.card_details)
        intent.update(
            status="requires_payment_method",
            latest_charge=charge["id"],
            last_payment_error=objects.card_declined_error(charge["id"], method),
            payment_method=None,
        )
        self.emit("charge.failed", charge)
        self.emit("payment_intent.payment_failed", intent)
        return record.session

    def pay_later(self, session_id: str) -> JSON:
        """A bank debit: the session completes unpaid; `settle` finishes it later."""
        record = self._open_session(session_id)
        intent = self._intent_for(record)
        method = new_id("pm_1")
        charge = self._new_charge(intent, record, "pending", method, objects.bank_account_details)
        intent.update(
            status="processing",
            latest_charge=charge["id"],
            last_payment_error=None,
            payment_method=method,
            processing=None,
        )
        session = self._complete(record, payment_status="unpaid")
        self.emit("charge.pending", charge)
        self.emit("payment_intent.processing", intent)
        self.emit("checkout.session.completed", session)
        return session

    def settle(self, session_id: str, outcome: str) -> JSON:
        """The bank debit of a `pay_later` session succeeds or fails."""
        if outcome not in SETTLE_OUTCOMES:
            raise invalid("outcome must be 'succeeded' or 'failed'.", param="outcome")
        record = self.store.session(session_id)
        session = record.session
        intent_id = session["payment_intent"]
        intent = self.store.payment_intents.get(intent_id) if intent_id else None
        if intent is None or intent["status"] != "processing":
            raise invalid(
                f"Checkout Session {session_id} has no payment waiting to settle "
                "(use pay-later first)."
            )
        charge = self.store.charge(intent["latest_charge"])
        if outcome == "succeeded":
            charge.update(status="succeeded", paid=True)
            intent.update(status="succeeded", amount_received=intent["amount"])
            session["payment_status"] = "paid"
            self.emit("charge.succeeded", charge)
            self.emit("payment_intent.succeeded", intent)
            self.emit("checkout.session.async_payment_succeeded", session)
        else:
            error = objects.bank_debit_failed_error(charge["id"], intent["payment_method"])
            charge.update(
                status="failed",
                paid=False,
                captured=False,
                amount_captured=0,
                balance_transaction=None,
                failure_code=error["code"],
                failure_message=error["message"],
            )
            charge["outcome"].update(network_status="declined_by_network", type="issuer_declined")
            intent.update(
                status="requires_payment_method", last_payment_error=error, payment_method=None
            )
            self.emit("charge.failed", charge)
            self.emit("payment_intent.payment_failed", intent)
            self.emit("checkout.session.async_payment_failed", session)
        return session

    def expire(self, session_id: str, origin: Origin = CUSTOMER) -> JSON:
        record = self.store.session(session_id)
        session = record.session
        if session["status"] != "open":
            raise invalid(
                'Only Checkout Sessions with a status in ["open"] can be expired. This '
                f'Checkout Session has a status of "{session["status"]}".'
            )
        session.update(status="expired", url=None)
        intent_id = session["payment_intent"]
        if intent_id:
            intent = self.store.payment_intent(intent_id)
            intent.update(status="canceled", canceled_at=now(), cancellation_reason="abandoned")
            self.emit("payment_intent.canceled", intent, origin)
        self.emit("checkout.session.expired", session, origin)
        return session

    def expire_due(self) -> None:
        """Expire open sessions whose `expires_at` has passed, as Stripe does on its own."""
        current = now()
        for record in list(self.store.sessions.values()):
            session = record.session
            if session["status"] == "open" and session["expires_at"] <= current:
                self.expire(session["id"])

    async def _expire_forever(self, every: float = 1.0) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                self.expire_due()
            except Exception:  # noqa: BLE001 - a bug here must not stop later expiries
                logger.exception("expiring sessions failed")

    def sessions_newest_first(self, client_reference_id: str | None = None) -> list[JSON]:
        sessions = [record.session for record in reversed(self.store.sessions.values())]
        if client_reference_id is not None:
            sessions = [s for s in sessions if s["client_reference_id"] == client_reference_id]
        return sessions

    # --- After the payment: refunds and disputes -------------------------------------------

    def paid_charge_of(self, intent_id: str, action: str) -> JSON:
        intent = self.store.payment_intent(intent_id, param="payment_intent")
        charge_id = intent["latest_charge"]
        if intent["status"] != "succeeded" or not charge_id:
            raise invalid(
                f"PaymentIntent {intent_id} does not have a successful charge to {action}.",
                param="payment_intent",
            )
        return self.store.charge(charge_id)

    def refund(
        self,
        charge: JSON,
        *,
        amount: int | None = None,
        reason: str | None = None,
        metadata: dict[str, str] | None = None,
        origin: Origin = CUSTOMER,
    ) -> JSON:
        """Refund `amount` (default: all that is left) of a succeeded charge; `charge.refunded`."""
        if charge["status"] != "succeeded":
            raise invalid(f"Charge {charge['id']} has not succeeded; it cannot be refunded.")
        if charge["disputed"]:
            raise invalid(
                f"Charge {charge['id']} has been charged back; cannot issue a refund.",
                code="charge_disputed",
            )
        if reason is not None and reason not in REFUND_REASONS:
            raise invalid(
                f"Invalid reason: must be one of {sorted(REFUND_REASONS)}", param="reason"
            )
        remaining = charge["amount_captured"] - charge["amount_refunded"]
        if remaining <= 0:
            raise invalid(
                f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"
            )
        amount = remaining if amount is None else amount
        self._check_amount(amount, remaining, charge["currency"], "Refund amount")
        refund = objects.refund(
            source=charge, amount=amount, reason=reason, metadata=metadata or {}, created=now()
        )
        self.store.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
        charge["refunds"]["data"].insert(0, copy.deepcopy(refund))
        logger.info(
            "refund {} of {} on {} ({} refunded so far)",
            refund["id"],
            format_amount(amount, charge["currency"]),
            charge["id"],
            format_amount(charge["amount_refunded"], charge["currency"]),
        )
        self.emit("charge.refunded", charge, origin)
        return refund

    def dispute(
        self, intent_id: str, *, amount: int | None = None, reason: str = "fraudulent"
    ) -> JSON:
        charge = self.paid_charge_of(intent_id, "dispute")
        if charge["disputed"]:
            raise invalid(f"Charge {charge['id']} is already disputed.")
        remaining = charge["amount_captured"] - charge["amount_refunded"]
        if remaining <= 0:
            raise invalid(f"Charge {charge['id']} has been fully refunded; nothing to dispute.")
        amount = remaining if amount is None else amount
        self._check_amount(amount, remaining, charge["currency"], "Dispute amount")
        dispute = objects.dispute(source=charge, amount=amount, reason=reason, created=now())
        self.store.disputes[dispute["id"]] = dispute
        charge["disputed"] = True
        self.emit("charge.dispute.created", dispute)
        return dispute

    def close_dispute(self, dispute_id: str, status: str) -> JSON:
        if status not in DISPUTE_OUTCOMES:
            raise invalid("status must be 'won' or 'lost'.", param="status")
        dispute = self.store.dispute(dispute_id)
        if dispute["status"] in DISPUTE_OUTCOMES:
            raise invalid(f"Dispute {dispute_id} is already closed ({dispute['status']}).")
        dispute["status"] = status
        self.emit("charge.dispute.closed", dispute)
        return dispute

    # --- Events ----------------------------------------------------------------------------

    def resend(self, event_id: str) -> EventRecord:
        record = self.store.event(event_id)
        logger.info("event {} {}: resending", record.id, record.event["type"])
        self.deliverer.deliver(record)
        return record

    def emit(
        self,
        type: str,
        data_object: JSON,
        origin: Origin = CUSTOMER,
        *,
        account: str | None = None,
        previous_attributes: JSON | None = None,
    ) -> EventRecord:
        """Record an event and queue its delivery. `account` makes it a Connect event (about
        that connected account), delivered to the Connect endpoint."""
        url, _ = self.config.endpoint(connect=account is not None)
        event = objects.event(
            type=type,
            data_object=data_object,
            api_version=self.api_version,
            request_id=origin.request_id,
            idempotency_key=origin.idempotency_key,
            pending_webhooks=1 if url else 0,
            created=now(),
            account=account,
            previous_attributes=previous_attributes,
        )
        # Stripe sends pretty-printed JSON; receivers must verify the raw bytes, not a re-dump.
        body = json.dumps(event, indent=2, ensure_ascii=False).encode()
        record = EventRecord(event=event, body=body, object_id=data_object["id"])
        self.store.events[record.id] = record
        about = data_object["id"]
        if account not in (None, about):
            about = f"{about} of {account}"
        logger.info("event {} {} for {}", record.id, type, about)
        self.deliverer.deliver(record)
        return record

    # --- Helpers ---------------------------------------------------------------------------

    def _open_session(self, session_id: str) -> SessionRecord:
        record = self.store.session(session_id)
        status = record.session["status"]
        if status != "open":
            raise invalid(f"Checkout Session {session_id} is {status}; it can no longer be paid.")
        return record

    def _intent_for(self, record: SessionRecord) -> JSON:
        """The session's PaymentIntent, created at the first payment attempt (as Stripe does)."""
        session = record.session
        if session["payment_intent"]:
            return self.store.payment_intent(session["payment_intent"])
        intent = objects.payment_intent(
            amount=session["amount_total"],
            currency=session["currency"],
            metadata=record.intent_metadata,
            description=record.intent_description,
            receipt_email=None,
            created=now(),
        )
        self.store.payment_intents[intent["id"]] = intent
        session["payment_intent"] = intent["id"]
        return intent

    def _new_charge(
        self,
        intent: JSON,
        record: SessionRecord,
        status: str,
        payment_method: str,
        method_details: objects.MethodDetails,
    ) -> JSON:
        charge = objects.charge(
            intent=intent,
            email=record.session["customer_email"],
            payment_method=payment_method,
            status=status,
            method_details=method_details(intent["amount"]),
            created=now(),
        )
        self.store.charges[charge["id"]] = charge
        return charge

    def _complete(self, record: SessionRecord, *, payment_status: str) -> JSON:
        session = record.session
        session.update(
            status="complete",
            payment_status=payment_status,
            customer_details=objects.customer_details(session["customer_email"]),
            url=None,  # Stripe clears it once the session is no longer open
        )
        return session

    @staticmethod
    def _check_amount(amount: int, remaining: int, currency: str, what: str) -> None:
        if amount < 1:
            raise invalid(
                "This value must be greater than or equal to 1.",
                param="amount",
                code="parameter_invalid_integer",
            )
        if amount > remaining:
            raise invalid(
                f"{what} ({format_amount(amount, currency)}) is greater than the unrefunded "
                f"amount on the charge ({format_amount(remaining, currency)}).",
                param="amount",
                code="amount_too_large",
            )

    @staticmethod
    def _amount(session: JSON) -> str:
        return format_amount(session["amount_total"], session["currency"])
