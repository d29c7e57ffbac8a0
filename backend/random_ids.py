"""Ids that must be unique but are no secret (request ids, broker delivery tags).

`uuid.uuid4()` reads the kernel's randomness with a system call each time, which profiling
showed among the largest per-request costs; the process's PRNG (reseeded after every fork)
is enough for uniqueness.
"""

from __future__ import annotations

import random
import uuid


def prng_uuid4() -> str:
    return str(uuid.UUID(int=random.getrandbits(128), version=4))
