"""Flow 2: a new fan signs up; bad input is explained in the form, field by field."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.pages import path
from e2e.users import PASSWORD, Role, User, unique_handle


def fill_signup(page: Page, *, email: str, password: str, display_name: str, handle: str) -> None:
    page.locator('[name="email"]').fill(email)
    page.locator('[name="password"]').fill(password)
    page.locator('[name="display_name"]').fill(display_name)
    page.locator('[name="handle"]').fill(handle)
    page.get_by_test_id("signup-submit").click()


def test_a_new_fan_signs_up_after_fixing_what_the_form_points_out(
    page: Page, new_user: Callable[[Role, str], User]
) -> None:
    page.goto("/")
    page.get_by_test_id("signup-button").click()
    expect(page).to_have_url(path("/signup"))
    form = page.get_by_test_id("signup-form")
    expect(page.get_by_test_id("role-fan")).to_be_checked()

    # Nothing filled in: every required field says what it needs.
    page.get_by_test_id("signup-submit").click()
    expect(form.get_by_test_id("field-error-email")).to_have_text("Enter your email address.")
    expect(form.get_by_test_id("field-error-password")).to_have_text("Choose a password.")
    expect(form.get_by_test_id("field-error-display_name")).to_have_text(
        "Enter the name people will see."
    )
    expect(form.get_by_test_id("field-error-handle")).to_have_text("Choose a handle.")
    expect(page.locator('[name="email"]')).to_have_attribute("aria-invalid", "true")

    # Malformed values: each is explained; the good one (the display name) is not flagged.
    fill_signup(page, email="ada.example.com", password="short", display_name="Ada",
                handle="ada lovelace")  # fmt: skip
    expect(form.get_by_test_id("field-error-email")).to_have_text(
        "Enter a valid email address, like name@example.com."
    )
    expect(form.get_by_test_id("field-error-password")).to_have_text("Use 10 to 128 characters.")
    expect(form.get_by_test_id("field-error-handle")).to_have_text(
        "Use 3 to 30 letters, digits or underscores (_)."
    )
    expect(form.get_by_test_id("field-error-display_name")).to_have_count(0)

    # A password that is the handle is refused too.
    handle = unique_handle("ada")
    fill_signup(page, email=f"{handle}@example.com", password=handle, display_name="Ada",
                handle=handle)  # fmt: skip
    expect(form.get_by_test_id("field-error-password")).to_have_text(
        "Your password can't be your email or handle."
    )

    # What only the server knows: a handle already taken, shown next to the handle.
    someone = new_user("fan", "Someone")
    fill_signup(page, email=f"{handle}@example.com", password=PASSWORD, display_name="Ada",
                handle=someone.handle)  # fmt: skip
    expect(form.get_by_test_id("field-error-handle")).to_have_text("This handle is taken.")
    expect(page).to_have_url(path("/signup"))

    # ... and an email already used, next to the email.
    fill_signup(page, email=someone.email, password=PASSWORD, display_name="Ada", handle=handle)
    expect(form.get_by_test_id("field-error-email")).to_have_text(
        "An account with this email already exists."
    )
    expect(form.get_by_test_id("field-error-handle")).to_have_count(0)

    # All fixed: the account is created and the fan lands on the dashboard, signed in.
    fill_signup(page, email=f"{handle}@example.com", password=PASSWORD,
                display_name="Ada Lovelace", handle=handle)  # fmt: skip
    expect(page).to_have_url(path("/dashboard"))
    expect(page.get_by_test_id("dashboard-welcome")).to_have_text("Welcome, Ada Lovelace")
    expect(page.get_by_test_id("dashboard")).to_contain_text(f"@{handle} · Fan")
    expect(page.get_by_test_id("user-display-name")).to_have_text("Ada Lovelace")
    expect(page.get_by_test_id("nav-upload")).to_have_count(0)
