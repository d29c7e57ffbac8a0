"""Flow 5: a fan tips a creator; both balances move and the creator is told."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from playwright.sync_api import BrowserContext, expect

from e2e.pages import log_in, open_creator
from e2e.stack import Stack
from e2e.tokens import buy_tokens, smallest_package
from e2e.users import Role, User

TIP = 25


def test_a_tip_moves_tokens_from_the_fan_to_the_creator_who_is_notified(
    stack: Stack,
    api: httpx.Client,
    new_user: Callable[[Role, str], User],
    new_context: Callable[[], BrowserContext],
) -> None:
    fan = new_user("fan", "Fan")
    creator = new_user("creator", "Creator")
    package = smallest_package(api)
    assert package.tokens > TIP
    buy_tokens(api, stack.stripe_url, fan, package)

    creator_page = new_context().new_page()
    log_in(creator_page, creator)
    expect(creator_page.get_by_test_id("dashboard-balance")).to_have_text("0")

    page = new_context().new_page()
    log_in(page, fan)
    # The purchase arranged above is credited by the webhook, perhaps only now.
    expect(page.get_by_test_id("header-balance")).to_have_text(str(package.tokens))

    open_creator(page, creator.handle)
    page.get_by_test_id("tip-button").click()
    dialog = page.get_by_test_id("tip-dialog")
    expect(dialog).to_contain_text(f"You have {package.tokens} tokens.")
    dialog.get_by_test_id("tip-amount").fill(str(TIP))
    dialog.get_by_test_id("tip-message").fill("Lovely photos!")
    dialog.get_by_test_id("tip-submit").click()

    left = package.tokens - TIP
    success = dialog.get_by_test_id("tip-success")
    expect(success).to_contain_text(f"You tipped {creator.display_name} {TIP} tokens.")
    expect(success).to_contain_text(f"Your balance is now {left} tokens.")
    expect(page.get_by_test_id("tip-error")).to_have_count(0)
    expect(page.get_by_test_id("header-balance")).to_have_text(str(left))
    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_have_count(0)

    # The fan's wallet shows the tip sent.
    page.get_by_test_id("nav-wallet").click()
    expect(page.get_by_test_id("wallet-balance")).to_have_text(str(left))
    expect(page.get_by_test_id("entries-list")).to_contain_text("Tip sent")
    expect(page.get_by_test_id("entries-list")).to_contain_text(f"-{TIP}")

    # The creator, never reloading, is told and sees the balance rise.
    expect(creator_page.get_by_test_id("notification-badge")).to_have_text("1")
    expect(creator_page.get_by_test_id("dashboard-notifications")).to_contain_text(
        f"{fan.display_name} (@{fan.handle}) tipped you {TIP} tokens: “Lovely photos!”"
    )
    expect(creator_page.get_by_test_id("dashboard-balance")).to_have_text(str(TIP))
    expect(creator_page.get_by_test_id("header-balance")).to_have_text(str(TIP))
