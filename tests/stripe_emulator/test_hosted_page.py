"""The hosted checkout page, used the way a browser uses it (forms, 303 redirects)."""

from __future__ import annotations

import re

import httpx

from tests.stripe_emulator.conftest import CreateSession, Receiver
from tools.stripe_emulator import Running


def test_page_shows_the_item_and_the_three_buttons(
    create_session: CreateSession, emulator: Running
) -> None:
    session = create_session()
    assert session.url is not None
    page = httpx.get(session.url.replace("localhost", "127.0.0.1"), timeout=5)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<html lang="en">' in text
    assert "100 tokens" in text
    assert "$9.99" in text
    for testid in ("pay-button", "decline-button", "pay-later-button"):
        assert f'data-testid="{testid}"' in text
    assert "Pay by bank transfer (settles later)" in text
    assert 'data-testid="checkout-error"' not in text
    # No external assets: every src/href is on the page itself or the merchant's return URL.
    assert not re.search(r'(src|href)="(?!http://localhost:5173/tokens)[a-z]+:', text)


def test_pay_redirects_to_success_url_with_the_session_id(
    create_session: CreateSession, emulator: Running, receiver: Receiver
) -> None:
    session = create_session()
    with httpx.Client(base_url=emulator.api_base, timeout=5) as browser:
        response = browser.post(f"/checkout/{session.id}/pay")

        assert response.status_code == 303
        assert response.headers["location"] == (
            f"http://localhost:5173/tokens/success?session_id={session.id}"
        )
        receiver.wait_for(session.id, "checkout.session.completed")
        after = browser.get(f"/checkout/{session.id}").text
        assert 'data-testid="pay-button"' not in after
        assert "Payment complete." in after


def test_decline_shows_the_error_and_the_way_back(
    create_session: CreateSession, emulator: Running
) -> None:
    session = create_session()
    with httpx.Client(base_url=emulator.api_base, timeout=5, follow_redirects=True) as browser:
        page = browser.post(f"/checkout/{session.id}/decline")

    assert page.status_code == 200
    assert str(page.url).endswith(f"/checkout/{session.id}")
    error = re.search(r'<p[^>]*data-testid="checkout-error"[^>]*>([^<]*)</p>', page.text)
    assert error is not None
    assert error.group(1) == "Your card was declined."
    assert 'role="alert"' in error.group(0)
    assert 'href="http://localhost:5173/tokens" data-testid="return-link"' in page.text
    assert 'data-testid="pay-button"' in page.text  # still open: another card can be tried


def test_pay_later_redirects_to_success_url(
    create_session: CreateSession, emulator: Running
) -> None:
    session = create_session()
    response = httpx.post(f"{emulator.api_base}/checkout/{session.id}/pay-later", timeout=5)
    assert response.status_code == 303
    assert response.headers["location"].endswith(session.id)


def test_unknown_session_page_is_404(emulator: Running) -> None:
    response = httpx.get(f"{emulator.api_base}/checkout/cs_test_missing", timeout=5)
    assert response.status_code == 404
    assert "Checkout not found" in response.text
