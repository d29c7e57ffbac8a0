"""Flow 1, the critical one: a fan signs in, follows a creator, and the creator is told live."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from e2e.pages import log_in, open_creator, path
from e2e.users import Role, User


def test_a_fan_follows_a_creator_who_is_notified_live(
    new_user: Callable[[Role, str], User],
    new_context: Callable[[], BrowserContext],
) -> None:
    fan = new_user("fan", "Fan")
    creator = new_user("creator", "Creator")

    # The creator is signed in elsewhere, on the dashboard, with nothing unread.
    creator_page = new_context().new_page()
    log_in(creator_page, creator)
    expect(creator_page.get_by_test_id("notification-badge")).to_have_count(0)
    expect(creator_page.get_by_test_id("dashboard-notifications")).to_contain_text(
        "No notifications yet"
    )

    # The fan signs in from the home page and lands on the dashboard.
    page = new_context().new_page()
    page.goto("/")
    page.get_by_test_id("login-button").click()
    page.locator('[name="email"]').fill(fan.email)
    page.locator('[name="password"]').fill(fan.password)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(path("/dashboard"))
    expect(page.get_by_test_id("dashboard-welcome")).to_have_text(f"Welcome, {fan.display_name}")

    # Opens the creator and follows: the button turns to Following and the count rises.
    open_creator(page, creator.handle)
    follow = page.get_by_test_id("follow-button")
    expect(follow).to_have_text("Follow")
    expect(page.get_by_test_id("follower-count")).to_have_text("0")
    follow.click()
    expect(follow).to_have_text("Following")
    expect(follow).to_have_attribute("aria-pressed", "true")
    expect(follow).not_to_have_attribute("aria-busy", "true")
    expect(page.get_by_test_id("follower-count")).to_have_text("1")
    expect(page.get_by_test_id("follow-error")).to_have_count(0)

    # The dashboard lists the creator among those the fan follows.
    page.get_by_test_id("nav-dashboard").click()
    expect(page).to_have_url(path("/dashboard"))
    following = page.get_by_test_id("dashboard-following")
    expect(following.get_by_test_id(f"following-item-{creator.handle}")).to_contain_text(
        creator.display_name
    )

    # The follow survives reloading the profile (the server has it, not only the page).
    page.get_by_test_id(f"following-item-{creator.handle}").click()
    expect(page).to_have_url(path(f"/creators/{creator.handle}"))
    page.reload()
    expect(page.get_by_test_id("follower-count")).to_have_text("1")
    expect(page.get_by_test_id("follow-button")).to_have_text("Following")

    # The creator, never reloading, sees the notice arrive.
    expect(creator_page.get_by_test_id("notification-badge")).to_have_text("1")
    expect(creator_page.get_by_test_id("dashboard-notifications")).to_contain_text(
        f"{fan.display_name} (@{fan.handle}) followed you"
    )
