"""Unlocking a locked post: a fan pays its price in tokens, once, and sees its photos.

Invariants:
- one fan pays for one post at most once: the ledger movement's key is
  `unlock:<post id>:<fan id>` and `post_unlocks` is unique on (post, fan); a second unlock,
  concurrent or later, charges nothing and answers the first;
- the fan pays the price they were shown: the request names it, and it is compared with
  the post's price under a share lock on the post row, which a price change (an update of
  that row) must wait for; a different price charges nothing (409 `price_changed`);
- the tokens go from the fan to the creator in one movement (`wallet.transfer_tokens`),
  which counts as the creator's earnings like a tip.

Deleting a post deletes its unlocks (the fans lose access to the photos with everyone
else); the ledger movement and both wallet entries stay, as every movement does.
"""

from __future__ import annotations

import uuid

from loguru import logger
from tortoise import connections

from backend.accounts.models import User
from backend.http.errors import Conflict, NotFound, field_error
from backend.idempotency.keys import remember_reply
from backend.notifications.schemas import actor
from backend.notifications.service import notify
from backend.outbox.transaction import transaction
from backend.posts import views
from backend.posts.models import Post, PostStatus, PostUnlock
from backend.posts.schemas import UnlockIn, UnlockOut
from backend.wallet import service as wallet

NOTIFY_POST_UNLOCKED = "notifications.post_unlocked"

# The price as it stands, held for the rest of the transaction: `PATCH` (FOR UPDATE) waits.
LOCK_PRICE = """
SELECT "price", "author_id" FROM "posts" WHERE "id" = $1 AND "status" = 'published' FOR SHARE
"""


class PriceChanged(Conflict):
    code = "price_changed"

    def __init__(self, price: int) -> None:
        super().__init__(
            "The creator changed this post's price: nothing was charged.",
            details={"price": price},
        )


async def unlock(post_id: uuid.UUID, fan: User, body: UnlockIn) -> tuple[int, UnlockOut]:
    """Pay for a locked post: (201, receipt) the first time, (200, that receipt) after."""
    post = await _unlockable(post_id, fan)
    earlier = await PostUnlock.get_or_none(post_id=post.id, fan_id=fan.id)
    if earlier is not None:
        return 200, await _receipt(post, fan, earlier)
    unlock_id = uuid.uuid4()
    try:
        async with transaction() as tx:
            rows = await connections.get("default").execute_query_dict(LOCK_PRICE, [post.id])
            if not rows:
                raise NotFound("No such post.")
            if rows[0]["price"] != body.price:
                raise PriceChanged(int(rows[0]["price"]))
            transfer = await wallet.pay_for_unlock(
                fan.id,
                post.author_id,
                body.price,
                key=f"unlock:{post.id}:{fan.id}",
                reference=str(post.id),
                sent="Unlocked a post",
                received=f"Post unlocked by @{fan.handle}",
            )
            made = await PostUnlock.create(
                id=unlock_id,
                post_id=post.id,
                fan_id=fan.id,
                price=body.price,
                movement_id=transfer.movement_id,
            )
            await tx.enqueue(NOTIFY_POST_UNLOCKED, str(unlock_id))
            receipt = await _receipt(post, fan, made, balance=transfer.sender_balance)
            await remember_reply(201, receipt)
    except wallet.AlreadyTransferred:
        # A concurrent unlock of the same post by the same fan committed first.
        first = await PostUnlock.get(post_id=post.id, fan_id=fan.id)
        return 200, await _receipt(post, fan, first)
    logger.info("post {} unlocked for {} tokens", post.id, body.price)
    return 201, receipt


async def _unlockable(post_id: uuid.UUID, fan: User) -> Post:
    post = await Post.get_or_none(id=post_id)
    if post is None or post.status != PostStatus.PUBLISHED:
        raise NotFound("No such post.")
    if post.author_id == fan.id:
        raise field_error("post", "This is your own post: you see its photos already.")
    if post.price == 0:
        raise field_error("post", "This post is free: there is nothing to unlock.")
    return post


async def _receipt(
    post: Post, fan: User, made: PostUnlock, *, balance: int | None = None
) -> UnlockOut:
    shown = await views.view(post, fan)
    if balance is None:
        balance = (await wallet.wallet_of(fan.id)).balance
    return UnlockOut(post=shown, price=made.price, balance=balance)


async def post_unlocked(unlock_id: uuid.UUID) -> None:
    """Tell the creator who unlocked which post, for how much (run by a notification job)."""
    made = await PostUnlock.get_or_none(id=unlock_id).prefetch_related("fan", "post")
    if made is None:  # the post was deleted meanwhile
        return
    data = {"post_id": str(made.post_id), "price": made.price, "actor": actor(made.fan)}
    await notify(made.post.author_id, "post_unlocked", data, dedupe_key=f"unlock:{made.id}")
