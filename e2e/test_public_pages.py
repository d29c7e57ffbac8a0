"""Public pages: a signed-out visitor reads a creator, signs in to follow, and comes back;
the page's HTML carries its share preview for link unfurlers."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from playwright.sync_api import Page, expect

from e2e.pages import path
from e2e.users import Role, User


def test_a_visitor_signs_in_to_follow_and_is_back_on_the_creator(
    page: Page, new_user: Callable[[Role, str], User]
) -> None:
    creator = new_user("creator", "Creator")
    fan = new_user("fan", "Fan")

    # Signed out, the profile is there; following asks to sign in.
    page.goto(f"/creators/{creator.handle}")
    profile = page.get_by_test_id("creator-profile")
    expect(profile.get_by_role("heading", name=creator.display_name)).to_be_visible()
    expect(page.get_by_test_id("follower-count")).to_have_text("0")
    expect(page.get_by_test_id("follow-button")).to_have_count(0)
    expect(page.get_by_test_id("login-button")).to_be_visible()
    page.get_by_test_id("follow-sign-in").click()

    # Signing in comes back to the creator, where following now works.
    expect(page).to_have_url(path("/login"))
    page.locator('[name="email"]').fill(fan.email)
    page.locator('[name="password"]').fill(fan.password)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(path(f"/creators/{creator.handle}"))
    follow = page.get_by_test_id("follow-button")
    expect(follow).to_have_text("Follow")
    follow.click()
    expect(follow).to_have_text("Following")
    expect(page.get_by_test_id("follower-count")).to_have_text("1")


def test_the_served_creator_page_carries_its_share_preview(
    api: httpx.Client, new_user: Callable[[Role, str], User]
) -> None:
    creator = new_user("creator", "Creator")
    response = api.get(f"/creators/{creator.handle}")
    assert response.status_code == 200
    html = response.text
    title = f"{creator.display_name} (@{creator.handle}) on Digis"
    assert f'<meta property="og:title" content="{title}" />' in html
    assert re.search(
        rf'<meta property="og:url" content="https?://[^"]+/creators/{creator.handle}"', html
    )
    assert '<meta name="twitter:card" content="summary" />' in html
    assert '<div id="root"></div>' in html  # it is still the app
    assert api.get("/creators/nobody_at_all").status_code == 404
