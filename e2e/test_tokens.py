"""Flows 3 and 4: buying tokens on the (emulated) Stripe checkout page, paid or declined."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect

from e2e.pages import log_in, path
from e2e.stack import Stack
from e2e.tokens import Package, smallest_package
from e2e.users import Role, User

# The return page polls every second until the webhook has credited the purchase.
CREDIT_TIMEOUT_MS = 20_000


def start_checkout(page: Page, stack: Stack, package: Package) -> None:
    """From the dashboard: Wallet, buy `package`, arrive on the checkout page."""
    page.get_by_test_id("nav-wallet").click()
    expect(page.get_by_test_id("wallet-balance")).to_have_text("0")
    expect(page.get_by_test_id("purchase-history")).to_contain_text("haven't bought any tokens")
    page.get_by_test_id(f"package-{package.id}").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(stack.stripe_url)}/checkout/cs_"))


def test_buying_tokens_credits_the_balance_once(
    page: Page, stack: Stack, api: httpx.Client, new_user: Callable[[Role, str], User]
) -> None:
    fan = new_user("fan", "Fan")
    package = smallest_package(api)
    log_in(page, fan)
    start_checkout(page, stack, package)

    page.get_by_test_id("pay-button").click()
    expect(page).to_have_url(path("/wallet/return"))
    status = page.get_by_test_id("purchase-status")
    expect(status).to_have_attribute("data-state", "paid", timeout=CREDIT_TIMEOUT_MS)
    expect(status).to_contain_text(f"{package.tokens} tokens added to your wallet")
    expect(page.get_by_test_id("header-balance")).to_have_text(str(package.tokens))

    # Coming back to the return page again (a reload) credits nothing more.
    page.reload()
    expect(status).to_have_attribute("data-state", "paid", timeout=CREDIT_TIMEOUT_MS)
    page.get_by_role("link", name="Back to your wallet").click()
    expect(page.get_by_test_id("wallet-balance")).to_have_text(str(package.tokens))
    entries = page.get_by_test_id("entries-list").locator('[data-testid^="entry-"]')
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("Bought tokens")
    expect(entries).to_contain_text(f"+{package.tokens}")
    purchases = page.get_by_test_id("purchase-history").locator('[data-testid^="purchase-"]')
    expect(purchases).to_have_count(1)
    expect(purchases.locator("[data-status]")).to_have_attribute("data-status", "paid")

    # One purchase notification, one credit.
    expect(page.get_by_test_id("notification-badge")).to_have_text("1")
    page.get_by_test_id("nav-notifications").click()
    items = page.get_by_test_id("notification-item")
    expect(items).to_have_count(1)
    expect(items).to_have_text(re.compile(rf"{package.tokens} tokens added to your wallet"))
    expect(page.get_by_test_id("header-balance")).to_have_text(str(package.tokens))


def test_a_declined_card_shows_an_error_and_adds_no_tokens(
    page: Page, stack: Stack, api: httpx.Client, new_user: Callable[[Role, str], User]
) -> None:
    fan = new_user("fan", "Fan")
    package = smallest_package(api)
    log_in(page, fan)
    start_checkout(page, stack, package)

    page.get_by_test_id("decline-button").click()
    expect(page.get_by_test_id("checkout-error")).to_have_text("Your card was declined.")
    page.get_by_test_id("return-link").click()

    expect(page).to_have_url(path("/wallet/return"))
    status = page.get_by_test_id("purchase-status")
    expect(status).to_have_attribute("data-state", "failed")
    expect(status).to_contain_text("no tokens were added")
    expect(page.get_by_test_id("header-balance")).to_have_text("0")

    page.get_by_role("link", name="Back to your wallet").click()
    expect(page.get_by_test_id("wallet-balance")).to_have_text("0")
    expect(page.get_by_test_id("entries-list")).to_contain_text(
        "Tokens you buy, send and receive will be listed here."
    )
    purchases = page.get_by_test_id("purchase-history").locator('[data-testid^="purchase-"]')
    expect(purchases).to_have_count(1)
    expect(purchases.locator("[data-status]")).not_to_have_attribute("data-status", "paid")
    expect(page.get_by_test_id("notification-badge")).to_have_count(0)
