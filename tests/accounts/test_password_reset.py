from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from tortoise import timezone

from backend.accounts.models import PasswordReset
from tests.support.accounts import cookie_header, create_account, login
from tests.support.waiting import eventually
from tests.support.worker import Process
from tools.smtp_sink import SmtpSink

pytestmark = pytest.mark.worker

ACCEPTED = {
    "status": "accepted",
    "message": "If that email belongs to an account, a reset link is on its way.",
}


async def reset_token(mail_sink: SmtpSink, email: str) -> str:
    async def mails() -> int:
        return len(mail_sink.messages_to(email))

    await eventually(mails, lambda n: n >= 1, within=30)
    [mail] = mail_sink.messages_to(email)
    assert mail.subject == "Reset your Digis password"
    match = re.search(r"/reset-password\?token=([A-Za-z0-9_-]+)", mail.text)
    assert match, mail.text
    return match.group(1)


async def test_reset_by_emailed_link_through_a_real_worker(
    client: httpx.AsyncClient, worker: Process, mail_sink: SmtpSink
) -> None:
    account = await create_account()
    other_session = await login(client, account.email)
    response = await client.post("/api/auth/password-reset", json={"email": account.email})
    assert response.status_code == 202
    assert response.json() == ACCEPTED

    token = await reset_token(mail_sink, account.email)

    async def stored_reset() -> PasswordReset:
        return await PasswordReset.get(user_id=account.id)

    # The mail goes out inside the job's transaction (no token is stored unless it was
    # sent), so its commit can land just after the mail does.
    stored = await eventually(stored_reset, lambda reset: reset.token_hash is not None)
    assert stored.token_hash is not None
    assert token not in stored.token_hash

    confirm = await client.post(
        "/api/auth/password-reset/confirm",
        json={"token": token, "new_password": "recovered at last"},
    )
    assert confirm.status_code == 204
    assert (await login(client, account.email, "recovered at last")).access_token
    # Every earlier session is over.
    for session in (account, other_session):
        refreshed = await client.post(
            "/api/auth/refresh", headers=cookie_header(session.refresh_token)
        )
        assert refreshed.status_code == 401
    # The link works once.
    again = await client.post(
        "/api/auth/password-reset/confirm",
        json={"token": token, "new_password": "third time lucky"},
    )
    assert again.status_code == 422
    assert again.json()["error"]["details"]["fields"][0]["field"] == "token"


async def test_unknown_email_gets_the_same_answer_and_no_mail(
    client: httpx.AsyncClient, worker: Process, mail_sink: SmtpSink
) -> None:
    response = await client.post(
        "/api/auth/password-reset", json={"email": "nobody-here@example.com"}
    )
    assert response.status_code == 202
    assert response.json() == ACCEPTED
    assert await PasswordReset.all().count() == 0
    assert mail_sink.messages_to("nobody-here@example.com") == []


async def test_an_expired_link_is_refused(
    client: httpx.AsyncClient, worker: Process, mail_sink: SmtpSink
) -> None:
    account = await create_account()
    await client.post("/api/auth/password-reset", json={"email": account.email})
    token = await reset_token(mail_sink, account.email)
    await PasswordReset.filter(user_id=account.id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = await client.post(
        "/api/auth/password-reset/confirm", json={"token": token, "new_password": "too late now!"}
    )
    assert response.status_code == 422
    assert "expired" in response.json()["error"]["details"]["fields"][0]["message"]


async def test_reset_requests_are_throttled(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        ok = await client.post("/api/auth/password-reset", json={"email": "x@example.com"})
        assert ok.status_code == 202
    refused = await client.post("/api/auth/password-reset", json={"email": "x@example.com"})
    assert refused.status_code == 429
    assert '"password-reset";q=5;w=3600' in refused.headers["RateLimit-Policy"]
