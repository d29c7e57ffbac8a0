from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect


def test_the_web_app_is_served_by_the_api(page: Page, api: httpx.Client) -> None:
    assert api.get("/health").json()["status"] == "ok"
    page.goto("/")
    expect(page).to_have_title("Digis")
