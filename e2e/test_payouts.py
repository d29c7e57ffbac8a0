"""Flow 7: a creator gets paid: earnings from a tip, payouts set up through Stripe's hosted
onboarding (the emulator's page), a cash-out that reaches "Paid"."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, expect

from e2e.pages import log_in, open_creator, path
from e2e.stack import Stack
from e2e.tokens import buy_tokens, packages
from e2e.users import Role, User

TIP = 200  # the stack runs with EARNINGS_HOLD_DAYS=0: available at once
CASH_OUT = 150  # at least the minimum payout (100 tokens)
PAYOUT_TIMEOUT_MS = 30_000  # transfer, the emulator's payout, its webhook, the worker


def test_a_creator_sets_up_payouts_and_cashes_out_a_tip(
    stack: Stack,
    api: httpx.Client,
    new_user: Callable[[Role, str], User],
    new_context: Callable[[], BrowserContext],
) -> None:
    fan = new_user("fan", "Fan")
    creator = new_user("creator", "Creator")
    package = min((p for p in packages(api) if p.tokens >= TIP), key=lambda p: p.tokens)
    buy_tokens(api, stack.stripe_url, fan, package)

    # The fan tips the creator.
    page = new_context().new_page()
    log_in(page, fan)
    expect(page.get_by_test_id("header-balance")).to_have_text(str(package.tokens))
    open_creator(page, creator.handle)
    page.get_by_test_id("tip-button").click()
    dialog = page.get_by_test_id("tip-dialog")
    dialog.get_by_label("Amount (tokens)").fill(str(TIP))
    dialog.get_by_role("button", name="Send tip").click()
    expect(dialog.get_by_test_id("tip-success")).to_contain_text(f"{TIP} tokens")

    # The creator's dashboard shows the earnings, in tokens and in money.
    creator_page = new_context().new_page()
    log_in(creator_page, creator)
    expect(creator_page.get_by_role("heading", name="Earnings")).to_be_visible()
    expect(creator_page.get_by_test_id("earnings-available")).to_have_text(f"{TIP} tokens")
    expect(creator_page.get_by_test_id("earnings-paid-out")).to_have_text("0 tokens")
    expect(creator_page.get_by_test_id("earnings-rate")).to_contain_text("1 token = $0.05")
    expect(creator_page.get_by_test_id("received-tips")).to_contain_text(
        f"{fan.display_name} tipped {TIP} tokens"
    )
    expect(creator_page.get_by_test_id("top-supporters")).to_contain_text(fan.display_name)
    expect(creator_page.get_by_test_id("dashboard-following")).to_have_count(0)
    expect(creator_page.get_by_test_id("cash-out-disabled")).to_be_visible()

    # Payouts are set up on Stripe's hosted onboarding, which sends the creator back.
    state = creator_page.get_by_test_id("payout-account-state")
    expect(state).to_have_text("Not set up")
    creator_page.get_by_role("button", name="Set up payouts").click()
    expect(creator_page.get_by_role("heading", name="Set up payouts")).to_be_visible()
    creator_page.get_by_role("button", name="Complete onboarding").click()
    expect(creator_page).to_have_url(path("/dashboard"))
    assert "payouts=return" in creator_page.url
    # Stripe's account.updated webhook enables the account, perhaps only now.
    expect(state).to_have_attribute("data-state", "enabled", timeout=PAYOUT_TIMEOUT_MS)
    expect(state).to_have_text("Ready for payouts")

    # Below the minimum is explained before anything is sent.
    amount = creator_page.get_by_label("Tokens to cash out")
    amount.fill("50")
    creator_page.get_by_role("button", name="Cash out").click()
    expect(creator_page.get_by_test_id("field-error-tokens")).to_have_text(
        "The minimum payout is 100 tokens."
    )

    # A cash-out: the tokens leave the available balance; the payout reaches the bank.
    amount.fill(str(CASH_OUT))
    creator_page.get_by_role("button", name="Cash out").click()
    expect(creator_page.get_by_test_id("cash-out-success")).to_contain_text(
        f"{CASH_OUT} tokens ($7.50) are on their way to your bank."
    )
    expect(creator_page.get_by_test_id("earnings-available")).to_have_text(
        f"{TIP - CASH_OUT} tokens"
    )
    # ... and the wallet, where the payout is an entry.
    expect(creator_page.get_by_test_id("header-balance")).to_have_text(str(TIP - CASH_OUT))
    expect(creator_page.get_by_test_id("dashboard-balance")).to_have_text(str(TIP - CASH_OUT))
    payouts = creator_page.get_by_test_id("payouts-list")
    expect(payouts.get_by_test_id("payout-status")).to_have_count(1)
    expect(payouts.get_by_test_id("payout-status")).to_have_text("Paid", timeout=PAYOUT_TIMEOUT_MS)
    expect(payouts).to_contain_text("$7.50")
    expect(creator_page.get_by_test_id("earnings-paid-out")).to_have_text(f"{CASH_OUT} tokens")
    expect(creator_page.get_by_test_id("cash-out-error")).to_have_count(0)
