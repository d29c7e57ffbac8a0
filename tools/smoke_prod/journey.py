"""The scripted journey, through HTTP only: what a fan and a creator do on a new deploy."""

from __future__ import annotations

import io
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from PIL import Image

from tools.smoke_prod.processes import SmokeFailure

T = TypeVar("T")
PASSWORD = "smoke-" + secrets.token_hex(12)
TIP = 7
WAIT_SECONDS = 60
POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Person:
    handle: str
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def expect(response: httpx.Response, status: int, what: str) -> Any:
    if response.status_code != status:
        raise SmokeFailure(
            f"{what}: expected {status}, got {response.status_code}: {response.text[:500]}"
        )
    return response.json() if "json" in response.headers.get("content-type", "") else None


class Journey:
    """Each step raises SmokeFailure naming what it saw; `check` runs between polls (it
    fails at once when a process has died)."""

    def __init__(
        self,
        api: httpx.Client,
        stripe: httpx.Client,
        check: Callable[[], None],
        say: Callable[[str], None],
    ) -> None:
        self.api = api
        self.stripe = stripe
        self.check = check
        self.say = say

    def run(self) -> None:
        self.wait_healthy()
        self.web_app()
        fan = self.sign_up("fan")
        creator = self.sign_up("creator")
        fan = self.sign_in(fan)
        self.me(fan)
        tokens = self.buy_tokens(fan)
        self.tip(fan, creator, tokens)
        self.thumbnail(creator)
        self.credited_once(fan, tokens - TIP)
        self.health()

    def wait_for(self, what: str, probe: Callable[[], T | None]) -> T:
        """`probe()`'s first value that is not None, polling; fail after WAIT_SECONDS."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            self.check()
            value = probe()
            if value is not None:
                return value
            if time.monotonic() > deadline:
                raise SmokeFailure(f"{what}: not seen within {WAIT_SECONDS} s")
            time.sleep(POLL_SECONDS)

    def wait_healthy(self) -> None:
        def healthy() -> bool | None:
            try:
                api = self.api.get("/health")
                stripe = self.stripe.get("/_emulator/health")
            except httpx.TransportError:
                return None
            return True if api.status_code == 200 and stripe.status_code == 200 else None

        self.wait_for("the API's /health 200 and the emulator", healthy)
        self.say("the API answers /health 200")

    def web_app(self) -> None:
        page = self.api.get("/")
        expect(page, 200, "the web app's index page")
        if "text/html" not in page.headers.get("content-type", ""):
            raise SmokeFailure(f"/ is not HTML: {page.headers.get('content-type')}")
        self.say("the web app is served")

    def sign_up(self, role: str) -> Person:
        handle = f"smoke_{role}_{secrets.token_hex(4)}"
        email = f"{handle}@example.com"
        body = {
            "email": email,
            "password": PASSWORD,
            "handle": handle,
            "display_name": f"Smoke {role.title()}",
            "role": role,
        }
        signed_up = expect(self.api.post("/api/auth/signup", json=body), 201, f"{role} sign-up")
        self.say(f"signed up a {role}")
        return Person(handle, email, signed_up["access_token"])

    def sign_in(self, person: Person) -> Person:
        body = {"email": person.email, "password": PASSWORD}
        signed_in = expect(self.api.post("/api/auth/login", json=body), 200, "sign-in")
        self.say("signed in")
        return Person(person.handle, person.email, signed_in["access_token"])

    def me(self, person: Person) -> None:
        me = expect(self.api.get("/api/me", headers=person.auth), 200, "/api/me")
        if me.get("handle") != person.handle:
            raise SmokeFailure(f"/api/me answered someone else: {me}")
        self.say("/api/me knows who signed in")

    def balance(self, person: Person) -> int:
        wallet = expect(self.api.get("/api/wallet", headers=person.auth), 200, "the wallet")
        balance: int = wallet["balance"]
        return balance

    def buy_tokens(self, fan: Person) -> int:
        listed = expect(self.api.get("/api/tokens/packages"), 200, "the token packages")
        package = min(listed["packages"], key=lambda p: p["tokens"])
        started = expect(
            self.api.post(
                "/api/tokens/purchase",
                json={"package_id": package["id"]},
                headers={**fan.auth, "Idempotency-Key": str(uuid.uuid4())},
            ),
            201,
            "starting a purchase",
        )
        session_id = started["checkout_url"].rstrip("/").rsplit("/", 1)[1]
        expect(
            self.stripe.post(f"/_emulator/checkout/sessions/{session_id}/pay"),
            200,
            "paying on the emulator",
        )
        tokens: int = package["tokens"]
        self.wait_for(
            "the purchase credited to the wallet",
            lambda: True if self.balance(fan) == tokens else None,
        )
        self.say(f"bought {tokens} tokens: the webhook credited them")
        self.redeliver(session_id)
        return tokens

    def redeliver(self, session_id: str) -> None:
        """Stripe sends an event again: the API takes it (200) and credits nothing more,
        which `credited_once` checks at the end (after later jobs have run)."""
        params = {"type": "checkout.session.completed", "object_id": session_id}
        found = expect(self.stripe.get("/_emulator/events", params=params), 200, "the events")
        if len(found["data"]) != 1:
            raise SmokeFailure(f"expected one checkout.session.completed event, got {found}")
        event_id = found["data"][0]["id"]
        expect(self.stripe.post(f"/_emulator/events/{event_id}/resend"), 200, "resending")

        def redelivered() -> bool | None:
            shown = expect(self.stripe.get(f"/_emulator/events/{event_id}"), 200, "the event")
            attempts = [a for a in shown["attempts"] if a["delivery"] == 2]
            if any(a["status"] not in (None, 200) for a in attempts):
                raise SmokeFailure(f"the API refused a redelivery: {attempts}")
            return True if any(a["status"] == 200 for a in attempts) else None

        self.wait_for("the redelivered event accepted", redelivered)
        self.say("a redelivered event was accepted")

    def tip(self, fan: Person, creator: Person, tokens: int) -> None:
        tipped = expect(
            self.api.post(
                "/api/tips",
                json={"creator": creator.handle, "amount": TIP},
                headers={**fan.auth, "Idempotency-Key": str(uuid.uuid4())},
            ),
            201,
            "tipping the creator",
        )
        if tipped["balance"] != tokens - TIP or self.balance(creator) != TIP:
            raise SmokeFailure(f"after a tip of {TIP}: {tipped}, creator {self.balance(creator)}")
        self.say(f"tipped the creator {TIP} tokens")

    def thumbnail(self, creator: Person) -> None:
        accepted = expect(
            self.api.post(
                "/api/media",
                files={"file": ("smoke.png", photo(), "image/png")},
                headers=creator.auth,
            ),
            202,
            "uploading a photo",
        )
        media_id = accepted["id"]

        def ready() -> dict[str, Any] | None:
            media: dict[str, Any] = expect(
                self.api.get(f"/api/media/{media_id}", headers=creator.auth), 200, "the media"
            )
            if media["status"] == "failed":
                raise SmokeFailure(f"the thumbnail failed: {media['failure_reason']}")
            return media if media["status"] == "ready" else None

        media = self.wait_for("the photo's thumbnails", ready)
        for thumbnail in media["thumbnails"].values():
            image = self.api.get(thumbnail["url"])
            expect(image, 200, f"fetching {thumbnail['url']}")
            if not image.headers.get("content-type", "").startswith("image/"):
                raise SmokeFailure(f"{thumbnail['url']} is not an image")
            Image.open(io.BytesIO(image.content)).verify()
        self.say(f"uploaded a photo; {len(media['thumbnails'])} thumbnails served from /media/")

    def credited_once(self, fan: Person, balance: int) -> None:
        entries = expect(
            self.api.get("/api/wallet/entries", headers=fan.auth), 200, "the ledger entries"
        )
        purchases = [entry for entry in entries["items"] if entry["kind"] == "purchase"]
        if len(purchases) != 1 or self.balance(fan) != balance:
            raise SmokeFailure(f"expected one purchase and {balance} tokens: {entries}")
        self.say("the purchase was credited exactly once")

    def health(self) -> None:
        health = expect(self.api.get("/health"), 200, "/health at the end")
        self.say(f"/health is 200 at the end: {health.get('status', health)}")


def photo() -> bytes:
    """A 640x480 PNG with a gradient, so it is not a flat colour."""
    image = Image.new("RGB", (640, 480))
    image.putdata([(x % 256, y % 256, (x + y) % 256) for y in range(480) for x in range(640)])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
