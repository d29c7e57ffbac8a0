"""Stripe Connect through the official SDK: creators' Express accounts, onboarding links,
transfers to them and payouts from them to their banks.

Every call that creates something has an idempotency key derived from Digis' own id (the
creator's, the payout's), so a call repeated after a crash or a timeout creates nothing
new. Stripe refusing a call (`Refused`) is told apart from Stripe being out of reach
(`PaymentProviderError`): the first is an answer, the second is worth retrying.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

import stripe

from backend.payments.stripe_client import PaymentProviderError, StripeGateway
from backend.settings import Settings

T = TypeVar("T")


class Refused(Exception):
    """Stripe answered and refused (an invalid request, a restricted account)."""

    def __init__(self, code: str | None, message: str) -> None:
        super().__init__(message)
        self.code = code or "refused"
        self.message = message


@dataclass(frozen=True)
class Money:
    amount_cents: int
    currency: str


class Connect:
    def __init__(self, client: stripe.StripeClient) -> None:
        self.client = client

    async def create_account(self, user_id: uuid.UUID, *, email: str, country: str) -> str:
        """The creator's Express account (one per creator, whatever retries); its id.
        Payouts to the bank are made by Digis, one per payout (a manual schedule)."""
        params: stripe.params.AccountCreateParams = {
            "type": "express",
            "country": country,
            "email": email,
            "business_type": "individual",
            "capabilities": {"transfers": {"requested": True}},
            "metadata": {"user_id": str(user_id)},
            "settings": {"payouts": {"schedule": {"interval": "manual"}}},
        }
        account = await self._call(
            self.client.v1.accounts.create_async(
                params=params, options={"idempotency_key": f"digis-account-{user_id}"}
            )
        )
        return str(account.id)

    async def onboarding_link(self, account_id: str, *, refresh_url: str, return_url: str) -> str:
        link = await self._call(
            self.client.v1.account_links.create_async(
                params={
                    "account": account_id,
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                    "type": "account_onboarding",
                }
            )
        )
        return str(link.url)

    async def transfer(self, payout_id: uuid.UUID, account_id: str, money: Money) -> str:
        """Move the payout's money to the creator's account; the transfer's id."""
        transfer = await self._call(
            self.client.v1.transfers.create_async(
                params={
                    "amount": money.amount_cents,
                    "currency": money.currency,
                    "destination": account_id,
                    "transfer_group": f"payout-{payout_id}",
                    "metadata": {"payout_id": str(payout_id)},
                },
                options={"idempotency_key": f"digis-payout-{payout_id}"},
            )
        )
        return str(transfer.id)

    async def bank_payout(self, payout_id: uuid.UUID, account_id: str, money: Money) -> str:
        """Pay the transferred money out of the creator's account to their bank; its id."""
        payout = await self._call(
            self.client.v1.payouts.create_async(
                params={
                    "amount": money.amount_cents,
                    "currency": money.currency,
                    "description": "Digis earnings",
                    "metadata": {"payout_id": str(payout_id)},
                },
                options={
                    "stripe_account": account_id,
                    "idempotency_key": f"digis-payout-{payout_id}-bank",
                },
            )
        )
        return str(payout.id)

    async def reverse_transfer(self, payout_id: uuid.UUID, transfer_id: str) -> None:
        """Take a transfer's money back from the creator's account (its bank payout was
        refused, so it would otherwise sit there)."""
        await self._call(
            self.client.v1.transfers.reversals.create_async(
                transfer_id,
                params={"metadata": {"payout_id": str(payout_id)}},
                options={"idempotency_key": f"digis-payout-{payout_id}-reversal"},
            )
        )

    async def _call(self, call: Awaitable[T]) -> T:
        try:
            return await call
        except (stripe.InvalidRequestError, stripe.PermissionError, stripe.CardError) as error:
            raise Refused(error.code, error.user_message or str(error)) from error
        except stripe.StripeError as error:
            raise PaymentProviderError(str(error)) from error


_per_process: dict[int, Connect] = {}


def for_this_process(settings: Settings) -> Connect:
    """The Connect client of a worker process, made on first use (after the fork: its
    HTTP connections belong to the process that uses them)."""
    client = _per_process.get(os.getpid())
    if client is None:
        client = _per_process[os.getpid()] = Connect(StripeGateway(settings).client)
    return client
