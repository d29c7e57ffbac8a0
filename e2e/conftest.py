"""End-to-end fixtures: one stack for the session, a browser found automatically, an API
client for creating each test's own users (tests then act only through the page), and a
failed test's slice of the stack's logs saved next to its trace and screenshot."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from e2e.browser import LAUNCH_ARGS, find_chromium, missing_hint
from e2e.stack import ROOT, Stack
from e2e.users import Role, User, sign_up

# Auto-waiting assertions wait this long by default; the stack's background jobs (the
# follow notice, webhooks, thumbnails) usually finish in well under a second.
EXPECT_TIMEOUT_MS = 10_000
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
FAILED_ARTIFACTS = pytest.StashKey[list[tuple[str, Path]]]()


def _interrupt_on_sigterm(signum: int, frame: Any) -> None:
    """A CI timeout or `kill` sends SIGTERM: handle it like Ctrl-C, so teardown still runs."""
    raise KeyboardInterrupt


def pytest_configure(config: pytest.Config) -> None:
    signal.signal(signal.SIGTERM, _interrupt_on_sigterm)
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    config.stash[FAILED_ARTIFACTS] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, for fixtures that act on failure."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


def _failed(item: pytest.Item) -> bool:
    reports = item.stash.get(REPORTS, {})
    return any(reports[when].failed for when in ("setup", "call") if when in reports)


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    running = Stack(server_url=os.environ["DATABASE_URL"], redis_url=os.environ["REDIS_URL"])
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def base_url(stack: Stack) -> str:
    return stack.base_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    executable = find_chromium()
    if executable is None:
        pytest.exit(missing_hint(), returncode=3)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": LAUNCH_ARGS,
        # Ctrl-C and SIGTERM are pytest's to handle: its teardown closes the browser and
        # then the stack, in order. (By default Playwright's driver closes the browser on
        # these signals at once, and the tests still running fail on a closed browser.)
        "handle_sigint": False,
        "handle_sigterm": False,
        "handle_sighup": False,
    }


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    """For arranging a test's data through the API (users, tokens); assertions go
    through the page."""
    with httpx.Client(base_url=stack.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def new_user(api: httpx.Client) -> Callable[[Role, str], User]:
    """`new_user("fan", "Fan")`: a fresh account of that role, its name starting with the
    second argument."""

    def create(role: Role, name: str) -> User:
        return sign_up(api, role, name)

    return create


@pytest.fixture(autouse=True)
def _stack_logs_on_failure(
    request: pytest.FixtureRequest, stack: Stack, output_path: str
) -> Iterator[None]:
    """When the test fails, what each process of the stack logged during it goes to
    `<output_path>/logs/`, beside Playwright's trace and screenshot."""
    sizes = stack.log_sizes()
    yield
    if not _failed(request.node):
        return
    folder = Path(output_path) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    for name, start in sizes.items():
        with stack.log_path(name).open("rb") as log:
            log.seek(start)
            (folder / f"{name}.log").write_bytes(log.read())
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    request.node.user_properties.append(("stack_logs", str(shown)))  # into junit.xml
    request.config.stash[FAILED_ARTIFACTS].append((request.node.nodeid, Path(output_path)))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    failed = config.stash.get(FAILED_ARTIFACTS, [])
    if not failed:
        return
    terminalreporter.section("e2e artifacts of failed tests")
    for nodeid, folder in failed:
        shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
        terminalreporter.write_line(f"{nodeid}: {shown}/ (trace.zip, screenshot, logs/)")
    terminalreporter.write_line(
        "open a trace with `.venv/bin/playwright show-trace <folder>/trace.zip`; "
        "the whole stack's logs are in e2e/artifacts/logs/"
    )
