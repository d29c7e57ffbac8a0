"""Account jobs."""

from __future__ import annotations

from backend.accounts import service
from backend.settings import get_settings
from worker.jobs import job


@job(service.SEND_PASSWORD_RESET)
async def send_password_reset(reset_id: int) -> None:
    await service.send_password_reset(get_settings(), reset_id)
