"""A real emulator (in a thread, on a free port), real webhook receivers (the account endpoint
and the Connect endpoint), the real stripe SDK.

The emulator runs on its own event loop in a thread so that both the SDK's synchronous calls
and its async calls (from the tests' loop) reach it. None of these tests needs the database.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import stripe

from tools.stripe_emulator import EmulatorConfig, Running, serve

SECRET = "whsec_test_emulator_secret"
CONNECT_SECRET = "whsec_test_emulator_connect_secret"
PRICE = 999
PURCHASE_ID = "purchase-0001"


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    @property
    def signature(self) -> str:
        return self.headers["stripe-signature"]


@dataclass
class Receiver:
    """The backend's webhook endpoint, played by a small threaded HTTP server."""

    received: list[Received] = field(default_factory=list)
    # object id -> statuses to answer, in order, to deliveries about that object
    scripted: dict[str, list[int]] = field(default_factory=dict)
    condition: threading.Condition = field(default_factory=threading.Condition)
    url: str = ""

    def fail(self, object_id: str, *statuses: int) -> None:
        with self.condition:
            self.scripted[object_id] = list(statuses)

    def answer(self, headers: dict[str, str], body: bytes) -> int:
        object_id = json.loads(body)["data"]["object"]["id"]
        with self.condition:
            pending = self.scripted.get(object_id) or []
            status = pending.pop(0) if pending else 200
            self.received.append(Received(headers, body, status))
            self.condition.notify_all()
        return status

    def delivered(self, object_id: str, event_type: str | None = None) -> list[Received]:
        """Deliveries answered 2xx about `object_id` (optionally of one type), oldest first."""
        with self.condition:
            return [
                item
                for item in self.received
                if item.status < 300
                and item.event["data"]["object"]["id"] == object_id
                and (event_type is None or item.event["type"] == event_type)
            ]

    def wait_for(
        self, object_id: str, event_type: str, count: int = 1, timeout: float = 5.0
    ) -> list[Received]:
        return self._wait(
            lambda: self.delivered(object_id, event_type),
            count,
            f"{event_type} for {object_id}",
            timeout,
        )

    def wait_for_account(
        self, account: str, event_type: str, count: int = 1, timeout: float = 5.0
    ) -> list[Received]:
        """Deliveries of Connect events of one type about `account`, oldest first."""

        def found() -> list[Received]:
            with self.condition:
                return [
                    item
                    for item in self.received
                    if item.status < 300
                    and item.event.get("account") == account
                    and item.event["type"] == event_type
                ]

        return self._wait(found, count, f"{event_type} of {account}", timeout)

    def _wait(
        self, found: Callable[[], list[Received]], count: int, what: str, timeout: float = 5.0
    ) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self.condition:
            while len(items := found()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(r.event["type"], r.status) for r in self.received[-10:]]
                    raise AssertionError(f"no {count}x {what}; saw {seen}")
                self.condition.wait(left)
        return items


@contextmanager
def serve_receiver(path: str) -> Iterator[Receiver]:
    """A receiver at `http://127.0.0.1:<free port><path>`, for the session or one test."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {key.lower(): value for key, value in self.headers.items()}
            self.send_response(state.answer(headers, body))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    """The backend's account endpoint: the platform's own events."""
    with serve_receiver("/api/webhooks/stripe") as state:
        yield state


@pytest.fixture(scope="session")
def connect_receiver() -> Iterator[Receiver]:
    """The backend's Connect endpoint: events about connected accounts."""
    with serve_receiver("/api/webhooks/stripe/connect") as state:
        yield state


class EmulatorThread:
    """`serve(config)` on its own event loop in a background thread."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.running: Running | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="stripe-emulator", daemon=True)

    def __enter__(self) -> Running:
        self._thread.start()
        if not self._ready.wait(15):
            raise RuntimeError("the emulator did not start")
        if self._error is not None:
            raise self._error
        assert self.running is not None
        return self.running

    def __exit__(self, *exc_info: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            async with serve(self.config) as running:
                self.running = running
                self._ready.set()
                await self._stop.wait()
        except Exception as exc:  # noqa: BLE001 - handed to the thread waiting for start-up
            self._error = exc
            self._ready.set()


def emulator_config(
    receiver: Receiver, connect_receiver: Receiver | None = None, **overrides: Any
) -> EmulatorConfig:
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": 0,
        "webhook_url": receiver.url,
        "webhook_secret": SECRET,
        "connect_webhook_url": connect_receiver.url if connect_receiver else None,
        "connect_webhook_secret": CONNECT_SECRET,
        "payout_delay": 0.0,
        "retry_base": 0.05,
        "max_attempts": 4,
    }
    return EmulatorConfig(**(settings | overrides))


@pytest.fixture(scope="session")
def emulator(receiver: Receiver, connect_receiver: Receiver) -> Iterator[Running]:
    with EmulatorThread(emulator_config(receiver, connect_receiver)) as running:
        yield running


def sdk_client(running: Running, api_key: str = "sk_test_emulator") -> stripe.StripeClient:
    """The client the backend builds, plus synchronous calls for the sync tests."""
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": running.api_base},
        http_client=stripe.HTTPXClient(allow_sync_methods=True),
    )


@pytest.fixture(scope="session")
def sdk(emulator: Running) -> stripe.StripeClient:
    return sdk_client(emulator)


@pytest.fixture(scope="session")
def control(emulator: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emulator.api_base, timeout=10) as client:
        yield client


@pytest.fixture
async def acontrol(emulator: Running) -> AsyncIterator[httpx.AsyncClient]:
    """The control endpoints and pages, for async tests (a browser, too: no redirects followed)."""
    async with httpx.AsyncClient(base_url=emulator.api_base, timeout=10) as client:
        yield client


def session_params(**overrides: Any) -> dict[str, Any]:
    """What the backend sends for a token purchase."""
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount": PRICE,
                    "product_data": {"name": "100 tokens"},
                },
            }
        ],
        "success_url": "http://localhost:5173/tokens/success?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://localhost:5173/tokens",
        "client_reference_id": "user-42",
        "customer_email": "fan@example.com",
        "metadata": {"purchase_id": PURCHASE_ID},
        "payment_intent_data": {"metadata": {"purchase_id": PURCHASE_ID}},
    }
    return params | overrides


CreateSession = Callable[..., stripe.checkout.Session]


@pytest.fixture
def create_session(sdk: stripe.StripeClient) -> CreateSession:
    def create(**overrides: Any) -> stripe.checkout.Session:
        return sdk.v1.checkout.sessions.create(params=session_params(**overrides))  # type: ignore[arg-type]

    return create


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)
