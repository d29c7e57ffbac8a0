"""The API docs work offline: `/docs` in Chromium, every request to another host refused, lists
every operation of `/openapi.json`, and "Try it out" calls the real API."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, expect

from e2e.users import Role, User

Operation = tuple[str, str]


class OfflinePage:
    """A page that can reach the API's own origin only; it records what else it tried, and
    every error the browser reported (a refused load under the page's policy is one)."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.origin = urlsplit(base_url)[:2]
        self.outside: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url)[:2] == self.origin:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("internetdisconnected")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def assert_stayed_offline(self) -> None:
        assert self.outside == [], "the docs tried to reach another host"
        assert self.errors == [], "the browser reported errors on the docs page"


@pytest.fixture
def offline(page: Page, base_url: str) -> OfflinePage:
    return OfflinePage(page, base_url)


def documented_operations(api: httpx.Client) -> list[Operation]:
    paths = api.get("/openapi.json").json()["paths"]
    return [(method, path) for path, item in paths.items() for method in item]


def operation(method: str, path: str) -> str:
    """The selector of one operation's block in Swagger UI."""
    return f'.opblock-{method}:has(> .opblock-summary [data-path="{path}"])'


def test_the_docs_list_every_operation_with_the_network_blocked(
    offline: OfflinePage, api: httpx.Client
) -> None:
    page = offline.page
    page.goto("/docs")
    expect(page.get_by_role("heading", name="Digis API")).to_be_visible()
    operations = documented_operations(api)
    expect(page.locator(".opblock")).to_have_count(len(operations))
    for method, path in operations:
        expect(page.locator(operation(method, path))).to_have_count(1)
    offline.assert_stayed_offline()


def test_try_it_out_answers_from_the_real_api(
    offline: OfflinePage, new_user: Callable[[Role, str], User], base_url: str
) -> None:
    creator = new_user("creator", "Docs")
    page = offline.page
    page.goto("/docs")
    creators = page.locator(operation("get", "/api/creators"))
    creators.locator(".opblock-summary-control").click()
    creators.get_by_role("button", name="Try it out").click()
    creators.locator('tr[data-param-name="q"] input').fill(creator.handle)
    creators.get_by_role("button", name="Execute").click()

    answer = creators.locator(".live-responses-table .response")
    expect(answer.locator(".response-col_status")).to_have_text("200")
    expect(answer.locator(".response-col_description")).to_contain_text(creator.display_name)
    expect(creators.locator(".request-url")).to_contain_text(
        f"{base_url}/api/creators?q={creator.handle}"
    )
    offline.assert_stayed_offline()
