"""A local Stripe emulator for `make dev` and the end-to-end tests. Never deployed.

Run: `python -m tools.stripe_emulator` (from the repository root). The backend reaches it with
the stripe SDK pointed at it (`base_addresses={"api": "http://127.0.0.1:12111"}`); it serves a
hosted checkout page, Connect's onboarding page and a dashboard of connected accounts, signs and
delivers webhooks like Stripe (Connect events to their own endpoint), and has `/_emulator/...`
control endpoints. State is in memory: a restart is a clean slate. See docs/stripe-emulator.md.

Environment variables:
    STRIPE_EMULATOR_HOST            address to listen on (default 127.0.0.1)
    STRIPE_EMULATOR_PORT            port to listen on (default 12111)
    STRIPE_EMULATOR_PUBLIC_URL      base of the hosted-page URLs in `session.url` and
                                    account links (default http://localhost:<port>)
    STRIPE_EMULATOR_WEBHOOK_URL     where events are POSTed (default
                                    http://127.0.0.1:8000/api/webhooks/stripe); set it empty
                                    to record events without delivering them
    STRIPE_WEBHOOK_SECRET           signing secret, the same variable the API verifies with
                                    (default: the development secret from backend/settings.py)
    STRIPE_EMULATOR_EXTRA_SIGNING_SECRET
                                    a second secret for the account endpoint: each delivery
                                    then carries two `v1=` signatures, as during a secret roll
    STRIPE_EMULATOR_CONNECT_WEBHOOK_URL
                                    where Connect events (about connected accounts) are POSTed
                                    (default http://127.0.0.1:8000/api/webhooks/stripe/connect);
                                    set it empty to record them without delivering them
    STRIPE_CONNECT_WEBHOOK_SECRET   the Connect endpoint's signing secret, the variable the API
                                    verifies with (default: the development secret)
    STRIPE_EMULATOR_PAYOUT_DELAY    seconds before a payout is paid, and before an automatic
                                    payout follows a transfer (default 1)
    STRIPE_EMULATOR_ACCOUNT_LINK_TTL
                                    seconds an Account Link can be opened for (default 300)
    STRIPE_EMULATOR_RETRY_BASE      seconds before the first retry of a failed delivery,
                                    doubling each time, capped at 60 (default 1)
    STRIPE_EMULATOR_MAX_ATTEMPTS    delivery attempts per event, first one included (default 10)
"""

from tools.stripe_emulator.app import Running, create_app, serve
from tools.stripe_emulator.config import EmulatorConfig

__all__ = ["EmulatorConfig", "Running", "create_app", "serve"]
