"""The hosted checkout page that `session.url` points at: plain HTML, no external assets.

Buttons post to `/checkout/<id>/<action>`, which answer with a 303 (post/redirect/get): to the
`success_url` after paying, back to this page after a decline (which then shows the error).
"""

from __future__ import annotations

from html import escape
from typing import Any

from sanic import HTTPResponse, Request, Sanic, html, redirect

from tools.stripe_emulator.emulator import Emulator
from tools.stripe_emulator.errors import StripeError
from tools.stripe_emulator.objects import JSON, format_amount
from tools.stripe_emulator.store import SessionRecord

STYLE = """
body { font-family: system-ui, sans-serif; background: #f6f9fc; color: #1a1f36; margin: 0; }
main { max-width: 32rem; margin: 3rem auto; background: #fff; padding: 2rem;
       border-radius: 8px; box-shadow: 0 2px 8px rgba(0, 0, 0, .08); }
.badge { display: inline-block; background: #ffde92; color: #5d3a00; font-size: .75rem;
         font-weight: 600; padding: .1rem .5rem; border-radius: 4px; }
table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
th, td { text-align: left; padding: .5rem 0; border-bottom: 1px solid #e3e8ee; }
td.amount, th.amount { text-align: right; }
tfoot th, tfoot td { font-weight: 700; border-bottom: none; }
form { margin: .75rem 0; }
button { width: 100%; padding: .75rem; font-size: 1rem; border-radius: 6px; cursor: pointer;
         border: 1px solid #635bff; background: #fff; color: #635bff; }
button.primary { background: #635bff; color: #fff; }
button:focus-visible, a:focus-visible { outline: 3px solid #1a1f36; outline-offset: 2px; }
.error { background: #fde8e8; color: #8a1c1c; padding: .75rem; border-radius: 6px; }
.note { color: #4f566b; font-size: .875rem; }
main.wide { max-width: 64rem; }
button.inline { width: auto; padding: .25rem .75rem; font-size: .875rem; }
td form { margin: 0; }
"""


def add_hosted_routes(app: Sanic[Any, Any], emulator: Emulator) -> None:
    store = emulator.store

    @app.get("/checkout/<session_id>", name="hosted_page")
    async def page(request: Request, session_id: str) -> HTTPResponse:
        record = store.sessions.get(session_id)
        if record is None:
            return html(_not_found(session_id), status=404)
        return html(_render(record, emulator))

    @app.post("/checkout/<session_id>/<action>", name="hosted_action")
    async def act(request: Request, session_id: str, action: str) -> HTTPResponse:
        record = store.sessions.get(session_id)
        if record is None:
            return html(_not_found(session_id), status=404)
        back = redirect(f"/checkout/{session_id}", status=303)
        try:
            if action == "pay":
                emulator.pay(session_id)
            elif action == "pay-later":
                emulator.pay_later(session_id)
            elif action == "decline":
                emulator.decline(session_id)
                return back
            else:
                return html(_not_found(session_id), status=404)
        except StripeError:
            return back  # no longer open: the page says why
        success_url = record.session["success_url"]
        if not success_url:
            return back
        return redirect(success_url.replace("{CHECKOUT_SESSION_ID}", session_id), status=303)


def _render(record: SessionRecord, emulator: Emulator) -> str:
    session = record.session
    currency = session["currency"]
    total = format_amount(session["amount_total"], currency)
    rows = "".join(
        f"<tr><td>{escape(item['description'])}</td><td>{item['quantity']}</td>"
        f'<td class="amount">{format_amount(item["amount_total"], currency)}</td></tr>'
        for item in record.line_items
    )
    parts = [
        '<p><span class="badge">TEST MODE</span> Stripe emulator</p>',
        '<h1 id="title">Checkout</h1>',
        '<table aria-labelledby="title"><thead><tr><th scope="col">Item</th>'
        '<th scope="col">Qty</th><th scope="col" class="amount">Amount</th></tr></thead>'
        f'<tbody>{rows}</tbody><tfoot><tr><th scope="row" colspan="2">Total due</th>'
        f'<td class="amount" data-testid="amount-total">{total}</td></tr></tfoot></table>',
    ]
    status = session["status"]
    if status == "open":
        error = _payment_error(session, emulator)
        if error:
            parts.append(
                f'<p class="error" role="alert" data-testid="checkout-error">{escape(error)}</p>'
            )
        action = f"/checkout/{escape(session['id'])}"
        parts.append(
            f'<form method="post" action="{action}/pay">'
            f'<button class="primary" type="submit" data-testid="pay-button">Pay {total}</button>'
            "</form>"
            f'<form method="post" action="{action}/decline">'
            '<button type="submit" data-testid="decline-button">Decline</button></form>'
            f'<form method="post" action="{action}/pay-later">'
            '<button type="submit" data-testid="pay-later-button">'
            "Pay by bank transfer (settles later)</button></form>"
            '<p class="note">Test card 4242 4242 4242 4242. Nothing is charged.</p>'
        )
    elif status == "complete":
        paid = session["payment_status"] == "paid"
        message = "Payment complete." if paid else "Bank transfer started; it settles later."
        parts.append(f'<p role="status" data-testid="checkout-status">{message}</p>')
        if session["success_url"]:
            url = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
            parts.append(f'<p><a href="{escape(url)}">Continue</a></p>')
    else:
        parts.append(
            '<p role="status" data-testid="checkout-status">This checkout session has expired.</p>'
        )
    if status != "complete" and session["cancel_url"]:
        parts.append(
            f'<p><a href="{escape(session["cancel_url"])}" data-testid="return-link">'
            "Cancel and return to the merchant</a></p>"
        )
    return document(f"Checkout: {total}", "".join(parts))


def _payment_error(session: JSON, emulator: Emulator) -> str | None:
    intent_id = session["payment_intent"]
    intent = emulator.store.payment_intents.get(intent_id) if intent_id else None
    if intent is None or not intent["last_payment_error"]:
        return None
    message: str = intent["last_payment_error"]["message"]
    return message


def _not_found(session_id: str) -> str:
    return document(
        "Checkout not found",
        '<h1>Checkout not found</h1><p role="alert">There is no checkout session '
        f"<code>{escape(session_id)}</code>. The emulator keeps sessions in memory; "
        "it may have restarted.</p>",
    )


def document(title: str, body: str, *, wide: bool = False) -> str:
    """A whole page of the emulator's own (no external assets)."""
    main = '<main class="wide">' if wide else "<main>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{main}{body}</main></body></html>"
    )
