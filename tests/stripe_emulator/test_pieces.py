"""The emulator's parts on their own, and `python -m tools.stripe_emulator` as make dev runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import stripe

from backend.settings import (
    DEV_SECRETS,
    DEV_STRIPE_CONNECT_WEBHOOK_SECRET,
    DEV_STRIPE_WEBHOOK_SECRET,
)
from tools.stripe_emulator.config import EmulatorConfig
from tools.stripe_emulator.errors import StripeError
from tools.stripe_emulator.params import parse_form
from tools.stripe_emulator.webhooks import Deliverer, signature_header

REPO = Path(__file__).resolve().parents[2]


def test_config_defaults() -> None:
    config = EmulatorConfig.from_env({})
    assert (config.host, config.port) == ("127.0.0.1", 12111)
    assert config.base_url == "http://localhost:12111"
    assert config.webhook_url == "http://127.0.0.1:8000/api/webhooks/stripe"
    assert config.signing_secrets == [DEV_STRIPE_WEBHOOK_SECRET]
    assert (config.retry_base, config.max_attempts) == (1.0, 10)
    assert config.endpoint(connect=True) == (
        "http://127.0.0.1:8000/api/webhooks/stripe/connect",
        [DEV_STRIPE_CONNECT_WEBHOOK_SECRET],
    )
    assert DEV_STRIPE_CONNECT_WEBHOOK_SECRET in DEV_SECRETS  # production refuses it
    assert (config.payout_delay, config.account_link_ttl) == (1.0, 300.0)


def test_config_from_environment() -> None:
    config = EmulatorConfig.from_env(
        {
            "STRIPE_EMULATOR_PORT": "4242",
            "STRIPE_EMULATOR_HOST": "localhost",
            "STRIPE_EMULATOR_PUBLIC_URL": "http://stripe.test:4242/",
            "STRIPE_EMULATOR_WEBHOOK_URL": "",
            "STRIPE_WEBHOOK_SECRET": "whsec_a",
            "STRIPE_EMULATOR_EXTRA_SIGNING_SECRET": "whsec_b",
            "STRIPE_EMULATOR_RETRY_BASE": "0.5",
            "STRIPE_EMULATOR_MAX_ATTEMPTS": "3",
            "STRIPE_EMULATOR_CONNECT_WEBHOOK_URL": "http://api.test/hooks/connect",
            "STRIPE_CONNECT_WEBHOOK_SECRET": "whsec_c",
            "STRIPE_EMULATOR_PAYOUT_DELAY": "0.25",
            "STRIPE_EMULATOR_ACCOUNT_LINK_TTL": "60",
        }
    )
    assert config.port == 4242
    assert config.base_url == "http://stripe.test:4242"
    assert config.webhook_url is None
    assert config.signing_secrets == ["whsec_a", "whsec_b"]
    assert (config.retry_base, config.max_attempts) == (0.5, 3)
    assert config.endpoint(connect=True) == ("http://api.test/hooks/connect", ["whsec_c"])
    assert config.endpoint(connect=False) == (None, ["whsec_a", "whsec_b"])
    assert (config.payout_delay, config.account_link_ttl) == (0.25, 60.0)
    assert EmulatorConfig.from_env({"STRIPE_EMULATOR_CONNECT_WEBHOOK_URL": ""}).endpoint(
        connect=True
    ) == (None, [DEV_STRIPE_CONNECT_WEBHOOK_SECRET])

    with pytest.raises(
        ValueError,
        match=r"STRIPE_EMULATOR_PORT.*STRIPE_EMULATOR_PAYOUT_DELAY.*STRIPE_EMULATOR_MAX_ATTEMPTS",
    ):
        EmulatorConfig.from_env(
            {
                "STRIPE_EMULATOR_PORT": "many",
                "STRIPE_EMULATOR_PAYOUT_DELAY": "-1",
                "STRIPE_EMULATOR_MAX_ATTEMPTS": "0",
            }
        )


def test_retry_delays_double_up_to_the_cap() -> None:
    deliverer = Deliverer(EmulatorConfig(retry_base=1.0))
    assert [deliverer.retry_delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_signature_header_matches_what_the_sdk_verifies() -> None:
    body = '{"id": "evt_1", "object": "event", "note": "café"}'.encode()
    header = signature_header(body, ["whsec_a", "whsec_b"], int(time.time()))
    assert header.count("v1=") == 2
    for secret in ("whsec_a", "whsec_b"):
        assert stripe.WebhookSignature.verify_header(body, header, secret, 300)


def test_form_parsing_follows_the_sdk_encoding() -> None:
    raw = (
        "mode=payment&line_items[0][price_data][currency]=usd"
        "&line_items[0][price_data][unit_amount]=999&line_items[0][quantity]=1"
        "&line_items[1][quantity]=2&metadata[purchase_id]=p%201"
        "&expand[0]=payment_intent&expand[1]=line_items&tags[]=a&tags[]=b"
    )
    assert parse_form(raw) == {
        "mode": "payment",
        "line_items": [
            {"price_data": {"currency": "usd", "unit_amount": "999"}, "quantity": "1"},
            {"quantity": "2"},
        ],
        "metadata": {"purchase_id": "p 1"},
        "expand": ["payment_intent", "line_items"],
        "tags": ["a", "b"],
    }
    with pytest.raises(StripeError):
        parse_form("metadata=x&metadata[a]=y")


def test_module_runs_as_make_dev_runs_it(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {
        "STRIPE_EMULATOR_PORT": str(port),
        "STRIPE_EMULATOR_WEBHOOK_URL": "",
        "STRIPE_EMULATOR_CONNECT_WEBHOOK_URL": "",
        "STRIPE_EMULATOR_PUBLIC_URL": "",
    }
    log = (tmp_path / "emulator.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.stripe_emulator"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            try:
                health = httpx.get(f"{base}/_emulator/health", timeout=1).json()
                break
            except httpx.TransportError:
                assert process.poll() is None, "the emulator exited"
                assert time.monotonic() < deadline, "the emulator did not start"
                time.sleep(0.1)
        assert health["public_url"] == f"http://localhost:{port}"
        assert health["webhook_url"] is None
        assert health["connect_webhook_url"] is None
        client = stripe.StripeClient(
            "sk_test_dev", base_addresses={"api": base}, http_client=stripe.HTTPXClient()
        )
        assert client.v1.checkout.sessions  # constructed as the backend constructs it
        created = httpx.post(
            f"{base}/v1/checkout/sessions",
            headers={"Authorization": "Bearer sk_test_dev"},
            data={
                "mode": "payment",
                "line_items[0][quantity]": "1",
                "line_items[0][price_data][currency]": "usd",
                "line_items[0][price_data][unit_amount]": "999",
                "line_items[0][price_data][product_data][name]": "100 tokens",
            },
            timeout=5,
        ).json()
        assert created["url"] == f"http://localhost:{port}/checkout/{created['id']}"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    log.seek(0)
    output = log.read()
    log.close()
    assert "Stripe emulator: API" in output
    assert f"checkout session {created['id']} created" in output
    assert "Stripe emulator stopped" in output
