"""`python -m tools.stripe_emulator`: serve until Ctrl-C / SIGTERM (see the package docstring)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from loguru import logger

from tools.stripe_emulator.app import serve
from tools.stripe_emulator.config import EmulatorConfig


async def run(config: EmulatorConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with serve(config) as running:
        bound = running.config
        logger.info(
            "Stripe emulator: API {} (STRIPE_API_BASE), hosted pages {}, webhooks to {}, "
            "Connect webhooks to {}, connected accounts at {}/connect/dashboard",
            running.api_base,
            bound.base_url,
            bound.webhook_url or "nowhere (STRIPE_EMULATOR_WEBHOOK_URL is empty)",
            bound.connect_webhook_url or "nowhere (STRIPE_EMULATOR_CONNECT_WEBHOOK_URL is empty)",
            bound.base_url,
        )
        await stop.wait()
    logger.info("Stripe emulator stopped")


def main() -> int:
    try:
        config = EmulatorConfig.from_env(os.environ)
    except ValueError as exc:
        logger.error("{}", exc)
        return 2
    try:
        asyncio.run(run(config))
    except OSError as exc:
        logger.error("Stripe emulator cannot listen on {}:{}: {}", config.host, config.port, exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
