"""Connect's pages: the hosted onboarding page an Account Link points at, and a small dashboard
of connected accounts where a developer fails payouts, reverses transfers, or completes and
restricts accounts from the browser. Plain HTML forms with 303 redirects, like checkout's page.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from sanic import HTTPResponse, Request, Sanic, html, redirect

from tools.stripe_emulator.connect import Connect
from tools.stripe_emulator.errors import StripeError
from tools.stripe_emulator.hosted import document
from tools.stripe_emulator.objects import JSON, format_amount
from tools.stripe_emulator.store import AccountRecord

DASHBOARD = "/connect/dashboard"
ONBOARDING_ACTIONS = {"complete": True, "leave": False}


def add_connect_hosted_routes(app: Sanic[Any, Any], connect: Connect) -> None:
    store = connect.store

    @app.get("/connect/onboarding/<link_id>", name="connect_onboarding")
    async def onboarding(request: Request, link_id: str) -> HTTPResponse:
        link = store.account_links.get(link_id)
        if link is None:
            return html(_link_not_found(link_id), status=404)
        if not connect.open_link(link):
            return redirect(link.refresh_url, status=303)  # used or expired, as with Stripe
        return html(_onboarding_page(store.account(link.account_id), link_id))

    @app.post("/connect/onboarding/<link_id>/<action>", name="connect_onboarding_action")
    async def onboarding_action(request: Request, link_id: str, action: str) -> HTTPResponse:
        link = store.account_links.get(link_id)
        if link is None or action not in ONBOARDING_ACTIONS:
            return html(_link_not_found(link_id), status=404)
        if not connect.finish_link(link, completed=ONBOARDING_ACTIONS[action]):
            return redirect(link.refresh_url, status=303)
        return redirect(link.return_url, status=303)

    @app.get(DASHBOARD, name="connect_dashboard")
    async def dashboard(request: Request) -> HTTPResponse:
        return html(_dashboard(connect))

    def act(object_id: str, action: Callable[[str], object]) -> HTTPResponse:
        try:
            action(object_id)
        except StripeError as error:
            return html(_dashboard(connect, error=error.message), status=400)
        return redirect(DASHBOARD, status=303)

    @app.post(f"{DASHBOARD}/payouts/<payout_id>/fail", name="connect_dashboard_fail")
    async def fail_payout(request: Request, payout_id: str) -> HTTPResponse:
        return act(payout_id, connect.fail_payout)

    @app.post(f"{DASHBOARD}/transfers/<transfer_id>/reverse", name="connect_dashboard_reverse")
    async def reverse_transfer(request: Request, transfer_id: str) -> HTTPResponse:
        return act(transfer_id, connect.reverse_transfer)

    @app.post(f"{DASHBOARD}/accounts/<account_id>/onboard", name="connect_dashboard_onboard")
    async def onboard(request: Request, account_id: str) -> HTTPResponse:
        return act(account_id, connect.onboard)

    @app.post(f"{DASHBOARD}/accounts/<account_id>/restrict", name="connect_dashboard_restrict")
    async def restrict(request: Request, account_id: str) -> HTTPResponse:
        return act(account_id, connect.restrict)


def _onboarding_page(record: AccountRecord, link_id: str) -> str:
    account = record.account
    action = f"/connect/onboarding/{escape(link_id)}"
    email = escape(account["email"] or "no email")
    body = (
        '<p><span class="badge">TEST MODE</span> Stripe emulator</p>'
        "<h1>Set up payouts</h1>"
        f'<p>Express account <code data-testid="onboarding-account">{escape(record.id)}</code> '
        f'for <strong data-testid="onboarding-email">{email}</strong>.</p>'
        f'<form method="post" action="{action}/complete">'
        '<button class="primary" type="submit" data-testid="complete-onboarding">'
        "Complete onboarding</button></form>"
        f'<form method="post" action="{action}/leave">'
        '<button type="submit" data-testid="leave-onboarding">Leave for later</button></form>'
        '<p class="note">Completing enters test details and the test bank account '
        "(STRIPE TEST BANK ...6789). Leaving for later keeps the account restricted.</p>"
    )
    return document("Set up payouts", body)


def _link_not_found(link_id: str) -> str:
    return document(
        "Onboarding link not found",
        '<h1>Onboarding link not found</h1><p role="alert">There is no account link '
        f"<code>{escape(link_id)}</code>. The emulator keeps links in memory; it may have "
        "restarted.</p>",
    )


# --- The dashboard ---------------------------------------------------------------------------


def _dashboard(connect: Connect, *, error: str | None = None) -> str:
    store = connect.store
    available = store.platform_available
    parts = [
        '<p><span class="badge">TEST MODE</span> Stripe emulator</p>',
        "<h1>Connected accounts</h1>",
        '<p data-testid="platform-balance">Platform balance for transfers: '
        f"{'unlimited' if available is None else available} "
        "(set it with <code>POST /_emulator/balance</code>).</p>",
    ]
    if error:
        parts.append(
            f'<p class="error" role="alert" data-testid="dashboard-error">{escape(error)}</p>'
        )
    records = list(reversed(store.accounts.values()))
    if not records:
        parts.append("<p>No connected accounts yet.</p>")
    parts += [_account_section(connect, record) for record in records]
    return document("Connected accounts", "".join(parts), wide=True)


def _account_section(connect: Connect, record: AccountRecord) -> str:
    account_id = escape(record.id)
    balance = ", ".join(
        format_amount(amount, currency) for currency, amount in sorted(record.balance.items())
    )
    transfers = [
        t for t in reversed(connect.store.transfers.values()) if t["destination"] == record.id
    ]
    return (
        f'<section data-testid="account-{account_id}">'
        f"<h2>{account_id} <small>{escape(record.account['email'] or '')}</small></h2>"
        f'<p>Status: <strong data-testid="account-status-{account_id}">'
        f"{escape(connect.status(record))}</strong>. Balance: {balance or 'none'}. "
        f"Payout schedule: {escape(record.account['settings']['payouts']['schedule']['interval'])}."
        "</p>"
        + _button(
            f"accounts/{record.id}/onboard", "Complete onboarding", f"onboard-account-{record.id}"
        )
        + _button(f"accounts/{record.id}/restrict", "Restrict", f"restrict-account-{record.id}")
        + _table(
            "Payouts",
            ["Payout", "Amount", "Status", "Kind", ""],
            [_payout_row(payout) for payout in connect.payouts_of(record.id)],
        )
        + _table(
            "Transfers",
            ["Transfer", "Amount", "Reversed", ""],
            [_transfer_row(transfer) for transfer in transfers],
        )
        + "</section>"
    )


def _payout_row(payout: JSON) -> list[str]:
    payout_id = payout["id"]
    status = payout["status"] + (f" ({payout['failure_code']})" if payout["failure_code"] else "")
    can_fail = payout["status"] in ("pending", "paid")
    return [
        escape(payout_id),
        format_amount(payout["amount"], payout["currency"]),
        f'<span data-testid="payout-status-{escape(payout_id)}">{escape(status)}</span>',
        "automatic" if payout["automatic"] else "manual",
        _button(f"payouts/{payout_id}/fail", "Fail payout", f"fail-payout-{payout_id}")
        if can_fail
        else "",
    ]


def _transfer_row(transfer: JSON) -> list[str]:
    transfer_id = transfer["id"]
    currency = transfer["currency"]
    return [
        escape(transfer_id),
        format_amount(transfer["amount"], currency),
        format_amount(transfer["amount_reversed"], currency),
        ""
        if transfer["reversed"]
        else _button(
            f"transfers/{transfer_id}/reverse", "Reverse", f"reverse-transfer-{transfer_id}"
        ),
    ]


def _button(path: str, label: str, testid: str) -> str:
    return (
        f'<form method="post" action="{DASHBOARD}/{escape(path)}">'
        f'<button class="inline" type="submit" data-testid="{escape(testid)}">{label}</button>'
        "</form>"
    )


def _table(caption: str, headings: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return f"<p>{caption}: none.</p>"
    head = "".join(f'<th scope="col">{heading}</th>' for heading in headings)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
