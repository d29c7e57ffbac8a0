"""Small page helpers: the steps many flows share, done the way a person does them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.users import User


def path(route: str) -> re.Pattern[str]:
    """Matches a page URL whose path is exactly `route` (any origin, any query)."""
    return re.compile(rf"^https?://[^/]+{re.escape(route)}(?:[?#].*)?$")


def log_in(page: Page, user: User) -> None:
    """From the home page: Sign in, fill the form, submit, land on the dashboard."""
    page.goto("/")
    page.get_by_test_id("login-button").click()
    expect(page).to_have_url(path("/login"))
    page.locator('[name="email"]').fill(user.email)
    page.locator('[name="password"]').fill(user.password)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(path("/dashboard"))
    expect(page.get_by_test_id("user-display-name")).to_have_text(user.display_name)


def sign_out(page: Page) -> None:
    """The user menu's Sign out; lands on the login page."""
    page.get_by_test_id("user-menu-button").click()
    page.get_by_test_id("logout-button").click()
    expect(page).to_have_url(path("/login"))


def open_creator(page: Page, handle: str) -> None:
    """Creators, search for the handle, open its card: the creator's profile."""
    page.get_by_test_id("nav-creators").click()
    expect(page.get_by_test_id("creators-page")).to_be_visible()
    page.get_by_test_id("creator-search").fill(handle)
    page.get_by_test_id(f"creator-card-{handle}").click()
    expect(page).to_have_url(path(f"/creators/{handle}"))
    expect(page.get_by_test_id("creator-profile")).to_be_visible()
