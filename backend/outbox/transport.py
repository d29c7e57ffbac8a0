"""kombu's Redis transport, with delivery tags that cost no system call.

kombu tags every published message with `uuid.uuid4()`; profiling the webhook path showed
that call as the largest single cost of publishing. A delivery tag only has to be unique
among the messages in flight, so a PRNG-made UUID does (see `backend.random_ids`).
"""

from __future__ import annotations

from kombu.transport import redis

from backend.random_ids import prng_uuid4

PATH = "backend.outbox.transport:Transport"


class Channel(redis.Channel):
    def _next_delivery_tag(self) -> str:
        return prng_uuid4()


class Transport(redis.Transport):
    Channel = Channel
