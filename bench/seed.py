"""Seed the benchmark database and print what the load scripts need, as JSON.

python -m bench.seed FANS   (run with the benchmark's environment)
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid

from backend import db
from backend.accounts.models import User
from backend.accounts.passwords import hash_password
from backend.accounts.roles import Role
from backend.accounts.tokens import issue_access_token
from backend.settings import get_settings

CREATOR = "bench_creator"


async def seed(fan_count: int) -> dict[str, object]:
    settings = get_settings()
    await db.init_db(settings, application_name="digis-bench-seed")
    try:
        password_hash = await hash_password("benchmark password")
        creator = await User.create(
            email=f"{CREATOR}@example.com", handle=CREATOR, display_name="Bench Creator",
            role=Role.CREATOR, password_hash=password_hash,
        )  # fmt: skip
        fans = [
            User(email=f"bench_fan_{index}@example.com", handle=f"bench_fan_{index}",
                 display_name=f"Bench Fan {index}", role=Role.FAN, password_hash=password_hash)
            for index in range(fan_count)
        ]  # fmt: skip
        await User.bulk_create(fans, batch_size=1000)
        tokens = [issue_access_token(settings, fan.id, fan.role, uuid.uuid4()) for fan in fans]
        return {"creator": creator.handle, "fan_tokens": tokens}
    finally:
        await db.close_db()


async def seed_purchases(count: int) -> dict[str, object]:
    """Pending purchases for the webhook end-to-end row, as Checkout would have left them."""
    from backend.payments.models import Purchase

    settings = get_settings()
    await db.init_db(settings, application_name="digis-bench-seed")
    try:
        buyer = await User.create(
            email=f"bench_buyer_{uuid.uuid4().hex[:8]}@example.com",
            handle=f"bench_buyer_{uuid.uuid4().hex[:8]}", display_name="Bench Buyer",
            role=Role.FAN, password_hash=await hash_password("benchmark password"),
        )  # fmt: skip
        package = settings.token_packages[0]
        purchases = [
            Purchase(user=buyer, package_id=package.id, tokens=package.tokens,
                     amount_cents=package.price_cents, currency=package.currency)
            for _ in range(count)
        ]  # fmt: skip
        await Purchase.bulk_create(purchases, batch_size=1000)
        return {
            "purchases": [str(p.id) for p in purchases],
            "amount_cents": package.price_cents,
            "currency": package.currency,
        }
    finally:
        await db.close_db()


if __name__ == "__main__":
    if sys.argv[1] == "purchases":
        print(json.dumps(asyncio.run(seed_purchases(int(sys.argv[2])))))
    else:
        print(json.dumps(asyncio.run(seed(int(sys.argv[1])))))
