"""What a user is on Digis: a fan, a creator, or an administrator."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    FAN = "fan"
    CREATOR = "creator"
    ADMIN = "admin"
