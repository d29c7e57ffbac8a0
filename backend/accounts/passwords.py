"""Passwords: argon2id at OWASP's parameters, hashed off the event loop.

Unknown emails are verified against a dummy hash so that a wrong email and a wrong
password take the same time.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 128

# OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# argon2 releases the GIL; a small pool bounds the memory hashing can take at once.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="argon2")


def policy_problem(password: str, *, email: str, handle: str) -> str | None:
    """Why `password` is not acceptable, or None. No composition rules, by design."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"must be {MIN_LENGTH} to {MAX_LENGTH} characters"
    lowered = password.casefold()
    if lowered in {email.casefold(), handle.casefold()}:
        return "must not be your email or handle"
    return None


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_POOL, HASHER.hash, password)


async def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check `password`; with no stored hash, burn the same time and answer False."""
    target = stored_hash or _dummy_hash()
    matched = await asyncio.get_running_loop().run_in_executor(_POOL, _verify, target, password)
    return matched and stored_hash is not None


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash("an unguessable placeholder that nobody uses")
