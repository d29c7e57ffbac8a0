"""Signed URLs of protected media: `/media/protected/<sha256>.<ext>?expires=&signature=`.

The signature is HMAC-SHA256, keyed by MEDIA_SIGNING_KEY, over the storage key and the
expiry (unix seconds). The expiry is at least MEDIA_SIGNED_URL_TTL away, rounded up to a
fifth of it: every URL of one file made within that fifth is the same URL, so a browser
keeps using its cached copy instead of fetching the file again for every page it shows.

Whoever holds a URL can fetch the file until it expires (it is not tied to a viewer): the
API hands them out only to viewers allowed to see the file, and keeps them short-lived.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from backend.media import storage
from backend.settings import Settings

PREFIX = "/media/protected/"
BUCKETS_PER_TTL = 5


class InvalidSignature(Exception):
    """The URL was not signed for this file with this deployment's key (or is malformed)."""


class SignatureExpired(Exception):
    """The URL was signed for this file, but its time is up."""


@dataclass(frozen=True)
class Verified:
    key: str  # the storage key the URL was signed for
    seconds_left: int  # until it expires: how long a browser may keep the answer


def expiry(settings: Settings, now: float | None = None) -> int:
    """The expiry of a URL made at `now`: TTL seconds away at least, rounded up."""
    now = time.time() if now is None else now
    ttl = settings.media_signed_url_ttl
    bucket = max(1, ttl // BUCKETS_PER_TTL)
    return math.ceil((now + ttl) / bucket) * bucket


def signature(settings: Settings, key: str, expires: int) -> str:
    secret = settings.media_signing_key.get_secret_value().encode()
    message = f"{storage.check_key(key)}\n{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_url(settings: Settings, key: str, now: float | None = None) -> str:
    """The API-relative URL of a protected object: `/media/protected/<name>?expires=...`."""
    if not storage.is_protected(storage.check_key(key)):
        raise ValueError(f"not a protected object: {key!r}")
    expires = expiry(settings, now)
    query = urlencode({"expires": expires, "signature": signature(settings, key, expires)})
    return f"{PREFIX}{key.removeprefix(storage.PROTECTED)}?{query}"


def verify(
    settings: Settings,
    key: str,
    expires: str | None,
    given: str | None,
    now: float | None = None,
) -> Verified:
    """Check a URL's query for the protected object `key`; raises InvalidSignature (missing,
    malformed, tampered, signed for another file or with another key) or SignatureExpired."""
    if not expires or not given or not expires.isdigit() or len(expires) > 12:
        raise InvalidSignature
    expected = signature(settings, key, int(expires))
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode()):
        raise InvalidSignature
    left = int(expires) - math.floor(time.time() if now is None else now)
    if left <= 0:
        raise SignatureExpired
    return Verified(key, left)
