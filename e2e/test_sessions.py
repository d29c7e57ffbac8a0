"""Flow 7: sessions survive a reload; Sign out ends this one; Sign out everywhere ends all."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from e2e.pages import log_in, path, sign_out
from e2e.users import Role, User


def expect_signed_in(page: Page, user: User) -> None:
    expect(page.get_by_test_id("user-display-name")).to_have_text(user.display_name)


def test_a_reload_keeps_the_session_and_sign_out_ends_it(
    page: Page, new_user: Callable[[Role, str], User]
) -> None:
    fan = new_user("fan", "Fan")
    log_in(page, fan)

    # The access token lives in memory only: a reload restores the session from the cookie.
    page.get_by_test_id("nav-wallet").click()
    expect(page.get_by_test_id("wallet-page")).to_be_visible()
    page.reload()
    expect(page).to_have_url(path("/wallet"))
    expect(page.get_by_test_id("wallet-page")).to_be_visible()
    expect_signed_in(page, fan)

    sign_out(page)
    expect(page.get_by_test_id("login-form")).to_be_visible()
    expect(page.get_by_test_id("login-button")).to_be_visible()

    # Protected pages now send to the login page, also after a reload.
    for route in ("/dashboard", "/wallet", "/settings"):
        page.goto(route)
        expect(page).to_have_url(path("/login"))
        expect(page.get_by_test_id("login-form")).to_be_visible()
    expect(page.get_by_test_id("user-menu-button")).to_have_count(0)


def test_sign_out_everywhere_ends_the_session_in_another_browser(
    new_user: Callable[[Role, str], User], new_context: Callable[[], BrowserContext]
) -> None:
    fan = new_user("fan", "Fan")
    laptop = new_context().new_page()
    phone = new_context().new_page()
    log_in(laptop, fan)
    log_in(phone, fan)

    laptop.get_by_test_id("user-menu-button").click()
    laptop.get_by_test_id("settings-link").click()
    expect(laptop.get_by_test_id("settings")).to_be_visible()
    laptop.get_by_test_id("logout-all-button").click()
    expect(laptop).to_have_url(path("/login"))

    # The other browser's next request is refused: it lands on the login page, signed out.
    phone.get_by_test_id("nav-wallet").click()
    expect(phone).to_have_url(path("/login"))
    expect(phone.get_by_test_id("login-form")).to_be_visible()
    phone.reload()
    expect(phone).to_have_url(path("/login"))
    expect(phone.get_by_test_id("user-menu-button")).to_have_count(0)

    # Signing in again works as usual.
    log_in(phone, fan)
    expect_signed_in(phone, fan)
