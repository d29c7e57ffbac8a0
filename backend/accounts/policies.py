"""Rate-limit policies of the account routes."""

from __future__ import annotations

from backend.http.ratelimit import RatePolicy

# Failed logins only: per account and address, and per address across accounts.
LOGIN_ACCOUNT = RatePolicy("login-account", "5/15 minutes")
LOGIN_IP = RatePolicy("login-ip", "100/hour")
SIGNUP = RatePolicy("signup", "10/hour")
PASSWORD_RESET = RatePolicy("password-reset", "5/hour")
# A picture upload is a whole photo stored and thumbnailed: bound it per account.
AVATAR_UPLOAD = RatePolicy("avatar-upload", "20/hour", scope="user")
