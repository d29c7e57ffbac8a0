"""Stripe Connect for creator payouts: Express accounts and their onboarding, transfers from the
platform to them, and payouts from their balance to their bank, with the events each sends.

Money: the platform's available balance (unlimited unless set) pays transfers; a transfer adds
to the connected account's balance, a payout takes from it, a failed payout gives it back, a
reversal moves it back to the platform. Payouts are paid `payout_delay` seconds after they are
made; an account on an automatic schedule gets one payout per transfer after the same delay
(Stripe pays out daily; one payout per transfer is the emulator's simplification).

Connect events (`account.updated`, `payout.*`) carry the account and go to the Connect
endpoint; `transfer.*` are the platform's own. The routes only call into here.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from loguru import logger

from tools.stripe_emulator import connect_objects as shapes
from tools.stripe_emulator.connect_objects import PAYOUT_FAILURES, AccountStatus
from tools.stripe_emulator.emulator import CUSTOMER, Emulator, Origin
from tools.stripe_emulator.errors import balance_insufficient, invalid
from tools.stripe_emulator.objects import JSON, format_amount, new_id, now
from tools.stripe_emulator.store import AccountLinkRecord, AccountRecord, PayoutRecord

AUTOMATIC_PAYOUT_DESCRIPTION = "STRIPE PAYOUT"
DEFAULT_FAILURE_CODE = "account_closed"
TRANSFERS_CAPABILITY = "transfers"


class Connect:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.store = emulator.store
        self.config = emulator.config

    # --- Accounts and onboarding ------------------------------------------------------------

    def create_account(
        self,
        *,
        country: str,
        default_currency: str,
        email: str | None,
        business_type: str | None,
        business_profile: JSON,
        capabilities: list[str],
        metadata: dict[str, str],
        schedule: JSON,
    ) -> JSON:
        account = shapes.account(
            country=country,
            default_currency=default_currency,
            email=email,
            business_type=business_type,
            business_profile=business_profile,
            capabilities=capabilities,
            metadata=metadata,
            schedule=schedule,
            created=now(),
        )
        self.store.accounts[account["id"]] = AccountRecord(account)
        logger.info("connected account {} created for {}", account["id"], email or "no email")
        return account

    def onboard(self, account_id: str) -> JSON:
        """Onboarding completed: details in, verified, bank account added; payouts enabled."""
        record = self.store.account(account_id)

        def enable(account: JSON) -> None:
            self._set_status(account, "enabled")
            account.update(details_submitted=True, charges_enabled=True, payouts_enabled=True)
            account["tos_acceptance"].update(
                date=account["tos_acceptance"]["date"] or now(),
                ip="127.0.0.1",
                user_agent="Stripe emulator",
            )
            banks = account["external_accounts"]
            if not banks["data"]:
                bank = shapes.bank_account(
                    account_id=account_id,
                    country=account["country"],
                    currency=account["default_currency"],
                )
                banks.update(data=[bank], total_count=1)

        return self._update(record, enable)

    def leave_unfinished(self, account_id: str) -> JSON:
        """The person left onboarding before the end: what they entered is kept, the rest is
        still due, and payouts stay disabled. An account that was further along keeps its state."""
        record = self.store.account(account_id)

        def leave(account: JSON) -> None:
            if account["details_submitted"]:
                return  # enabled, or restricted for something onboarding does not fix
            self._set_status(account, "unfinished")

        return self._update(record, leave)

    def restrict(self, account_id: str) -> JSON:
        """Stripe needs more from the account (a failed verification): payouts and transfers
        stop until it is given, with the fields past due."""
        return self._update(
            self.store.account(account_id), lambda account: self._set_status(account, "restricted")
        )

    def _set_status(self, account: JSON, status: AccountStatus) -> None:
        enabled = status == "enabled"
        capability = "active" if enabled else "inactive"
        account["capabilities"] = dict.fromkeys(account["capabilities"], capability)
        account["requirements"] = shapes.requirements(status, account["business_type"])
        if not enabled:
            account.update(charges_enabled=False, payouts_enabled=False)

    def _update(self, record: AccountRecord, change: Callable[[JSON], None]) -> JSON:
        """Apply `change`; send `account.updated` (with `previous_attributes`) if it changed
        anything, as Stripe does."""
        before = copy.deepcopy(record.account)
        change(record.account)
        changed = shapes.previous_attributes(before, record.account)
        if changed:
            self.emulator.emit(
                "account.updated",
                record.account,
                account=record.id,
                previous_attributes=changed,
            )
            logger.info("connected account {}: {}", record.id, self.status(record))
        return record.account

    @staticmethod
    def status(record: AccountRecord) -> str:
        account = record.account
        if account["payouts_enabled"]:
            return "enabled"
        return "restricted" if account["details_submitted"] else "onboarding not finished"

    # --- Account Links ------------------------------------------------------------------------

    def create_link(self, account_id: str, *, refresh_url: str, return_url: str) -> JSON:
        self.store.account(account_id)
        created = time.time()
        link = AccountLinkRecord(
            id=new_id("", 24),
            account_id=account_id,
            refresh_url=refresh_url,
            return_url=return_url,
            expires_at=created + self.config.account_link_ttl,
        )
        self.store.account_links[link.id] = link
        return shapes.account_link(
            url=f"{self.config.base_url}/connect/onboarding/{link.id}",
            created=int(created),
            expires_at=int(link.expires_at),
        )

    def open_link(self, link: AccountLinkRecord) -> bool:
        """Open the onboarding page: only once, and only before the link expires."""
        if link.state != "new" or time.time() >= link.expires_at:
            return False
        link.state = "opened"
        return True

    def finish_link(self, link: AccountLinkRecord, *, completed: bool) -> bool:
        """The page's buttons: once per link, then the link is used up. The page, once open,
        may be finished after the link's expiry (as with Stripe, expiry is for opening it)."""
        expired = link.state == "new" and time.time() >= link.expires_at
        if link.state == "used" or expired:
            return False
        link.state = "used"
        if completed:
            self.onboard(link.account_id)
        else:
            self.leave_unfinished(link.account_id)
        return True

    # --- Transfers ----------------------------------------------------------------------------

    def create_transfer(
        self,
        *,
        amount: int,
        currency: str,
        destination: str,
        description: str | None,
        metadata: dict[str, str],
        transfer_group: str | None,
        origin: Origin,
    ) -> JSON:
        record = self.store.accounts.get(destination)
        if record is None:
            raise invalid(
                f"No such destination: '{destination}'",
                param="destination",
                code="resource_missing",
            )
        if record.account["capabilities"].get(TRANSFERS_CAPABILITY) != "active":
            raise invalid(
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                param="destination",
                code="insufficient_capabilities_for_transfer",
            )
        _check_positive(amount)
        platform = self.store.platform_available
        if platform is not None and amount > platform:
            raise balance_insufficient(
                "You have insufficient available funds in your Stripe account. Try adding funds "
                "directly to your available balance by creating Charges using the "
                "4000000000000077 test card. See: https://stripe.com/docs/testing#available-balance"
            )
        transfer = shapes.transfer(
            amount=amount,
            currency=currency,
            destination=destination,
            description=description,
            metadata=metadata,
            transfer_group=transfer_group,
            created=now(),
        )
        self.store.transfers[transfer["id"]] = transfer
        self._move_platform(-amount)
        record.add(currency, amount)
        logger.info(
            "transfer {} of {} to {}", transfer["id"], format_amount(amount, currency), destination
        )
        self.emulator.emit("transfer.created", transfer, origin)
        if record.account["settings"]["payouts"]["schedule"]["interval"] != "manual":
            self.emulator.later(
                self.config.payout_delay,
                lambda: self._automatic_payout(record, currency, amount),
                f"automatic payout after {transfer['id']}",
            )
        return transfer

    def reverse_transfer(
        self,
        transfer_id: str,
        *,
        amount: int | None = None,
        metadata: dict[str, str] | None = None,
        origin: Origin = CUSTOMER,
    ) -> JSON:
        """Take back `amount` (default: all not yet reversed) from the connected account, which
        must still hold it; `transfer.reversed`."""
        transfer = self.store.transfer(transfer_id)
        remaining = transfer["amount"] - transfer["amount_reversed"]
        currency = transfer["currency"]
        if remaining <= 0:
            raise invalid(f"Transfer {transfer_id} has already been fully reversed.")
        amount = remaining if amount is None else amount
        _check_positive(amount)
        if amount > remaining:
            raise invalid(
                f"Reversal amount ({format_amount(amount, currency)}) is greater than the amount "
                f"left on the transfer ({format_amount(remaining, currency)}).",
                param="amount",
                code="amount_too_large",
            )
        destination = self.store.account(transfer["destination"])
        if destination.available(currency) < amount:
            raise balance_insufficient(
                f"The destination account {destination.id} has insufficient funds to cover the "
                f"reversal ({format_amount(destination.available(currency), currency)} "
                "available): its funds may already have been paid out."
            )
        reversal = shapes.transfer_reversal(
            source=transfer, amount=amount, metadata=metadata or {}, created=now()
        )
        destination.add(currency, -amount)
        self._move_platform(amount)
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        reversals = transfer["reversals"]
        reversals["data"].insert(0, copy.deepcopy(reversal))
        reversals["total_count"] = len(reversals["data"])
        logger.info(
            "transfer {}: {} reversed", transfer_id, format_amount(amount, transfer["currency"])
        )
        self.emulator.emit("transfer.reversed", transfer, origin)
        return reversal

    def set_platform_balance(self, available: int | None) -> None:
        if available is not None and available < 0:
            raise invalid("available must not be negative.", param="available")
        self.store.platform_available = available

    def _move_platform(self, amount: int) -> None:
        if self.store.platform_available is not None:
            self.store.platform_available += amount

    # --- Payouts ------------------------------------------------------------------------------

    def create_payout(
        self,
        account_id: str,
        *,
        amount: int,
        currency: str,
        description: str | None,
        metadata: dict[str, str],
        statement_descriptor: str | None,
        destination: str | None,
        origin: Origin,
    ) -> JSON:
        """A manual payout on the connected account, from its balance to its bank account."""
        record = self.store.account(account_id)
        _check_positive(amount)
        if not record.account["payouts_enabled"]:
            raise invalid(
                f"Payouts are not enabled for account {account_id}: see its `requirements` for "
                "the information it still has to provide.",
                code="payouts_not_allowed",
            )
        bank = self._bank_account(record, currency)
        if destination is not None and destination != bank:
            raise invalid(
                f"No such external account: '{destination}'",
                param="destination",
                code="resource_missing",
            )
        if record.available(currency) < amount:
            raise balance_insufficient(
                "You have insufficient funds in your Stripe account for this transfer. Your card "
                "balance is too low. You can use the /v1/balance endpoint to view your Stripe "
                "balance (for more details, see stripe.com/docs/api#balance)."
            )
        return self._new_payout(
            record,
            amount=amount,
            currency=currency,
            destination=bank,
            automatic=False,
            description=description,
            metadata=metadata,
            statement_descriptor=statement_descriptor,
            origin=origin,
        )

    def fail_payout(self, payout_id: str, failure_code: str | None = None) -> JSON:
        """The bank returns the payout, pending or already paid (as banks can for a few days):
        the money goes back to the account's balance; `payout.failed`."""
        code = failure_code or DEFAULT_FAILURE_CODE
        if code not in PAYOUT_FAILURES:
            raise invalid(
                f"Unknown failure_code {code!r}; one of {sorted(PAYOUT_FAILURES)}.",
                param="failure_code",
            )
        record = self.store.payout(payout_id)
        payout = record.payout
        if payout["status"] not in ("pending", "paid"):
            raise invalid(
                f"Payout {payout_id} is {payout['status']}; only a pending or paid payout can fail."
            )
        payout.update(
            status="failed",
            failure_code=code,
            failure_message=PAYOUT_FAILURES[code],
            failure_balance_transaction=new_id("txn_1"),
            trace_id={"status": "unsupported", "value": None},
        )
        self.store.account(record.account_id).add(payout["currency"], payout["amount"])
        logger.info("payout {} failed: {}", payout_id, code)
        self.emulator.emit("payout.failed", payout, account=record.account_id)
        return payout

    def _new_payout(
        self,
        record: AccountRecord,
        *,
        amount: int,
        currency: str,
        destination: str,
        automatic: bool,
        description: str | None,
        metadata: dict[str, str],
        statement_descriptor: str | None,
        origin: Origin,
    ) -> JSON:
        payout = shapes.payout(
            amount=amount,
            currency=currency,
            destination=destination,
            automatic=automatic,
            description=description,
            metadata=metadata,
            statement_descriptor=statement_descriptor,
            created=now(),
        )
        self.store.payouts[payout["id"]] = PayoutRecord(payout, record.id)
        record.add(currency, -amount)
        logger.info(
            "payout {} of {} on {}{}",
            payout["id"],
            format_amount(amount, currency),
            record.id,
            " (automatic)" if automatic else "",
        )
        self.emulator.emit("payout.created", payout, origin, account=record.id)
        self.emulator.later(
            self.config.payout_delay, lambda: self._pay(payout["id"]), f"paying {payout['id']}"
        )
        return payout

    def _pay(self, payout_id: str) -> None:
        record = self.store.payout(payout_id)
        payout = record.payout
        if payout["status"] != "pending":
            return  # failed in the meantime
        payout.update(status="paid", trace_id={"status": "unsupported", "value": None})
        logger.info("payout {} paid", payout_id)
        self.emulator.emit("payout.paid", payout, account=record.account_id)

    def _automatic_payout(self, record: AccountRecord, currency: str, amount: int) -> None:
        """What the payout schedule pays of a transfer: what is still there of it."""
        amount = min(amount, record.available(currency))
        if not record.account["payouts_enabled"] or amount <= 0:
            logger.info("no automatic payout on {}: nothing to pay or payouts off", record.id)
            return
        self._new_payout(
            record,
            amount=amount,
            currency=currency,
            destination=self._bank_account(record, currency),
            automatic=True,
            description=AUTOMATIC_PAYOUT_DESCRIPTION,
            metadata={},
            statement_descriptor=None,
            origin=CUSTOMER,
        )

    @staticmethod
    def _bank_account(record: AccountRecord, currency: str) -> str:
        banks = record.account["external_accounts"]["data"]
        for bank in banks:
            if bank["currency"] == currency and bank["default_for_currency"]:
                bank_id: str = bank["id"]
                return bank_id
        raise invalid(
            f"Account {record.id} has no external account in {currency.upper()} to pay out to.",
            param="currency",
        )

    def payouts_of(self, account_id: str | None = None) -> list[JSON]:
        return [
            record.payout
            for record in reversed(self.store.payouts.values())
            if account_id is None or record.account_id == account_id
        ]


def _check_positive(amount: int) -> None:
    if amount < 1:
        raise invalid(
            "This value must be greater than or equal to 1.",
            param="amount",
            code="parameter_invalid_integer",
        )
