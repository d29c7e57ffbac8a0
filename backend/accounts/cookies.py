"""The refresh cookie: HttpOnly, Secure, SameSite=Strict, scoped to the auth routes."""

from __future__ import annotations

from sanic import HTTPResponse, Request

from backend.settings import Settings

PATH = "/api/auth"


def cookie_name(settings: Settings) -> str:
    # The __Secure- prefix is only valid on Secure cookies.
    return "__Secure-digis_refresh" if settings.refresh_cookie_secure else "digis_refresh"


def read_refresh_cookie(request: Request, settings: Settings) -> str | None:
    value: str | None = request.cookies.get(cookie_name(settings))
    return value or None


def set_refresh_cookie(
    response: HTTPResponse, settings: Settings, token: str, max_age: int
) -> None:
    response.add_cookie(
        cookie_name(settings),
        token,
        path=PATH,
        max_age=max_age,
        httponly=True,
        secure=settings.refresh_cookie_secure,
        samesite="Strict",
        host_prefix=False,
        secure_prefix=False,
    )


def clear_refresh_cookie(response: HTTPResponse, settings: Settings) -> None:
    response.add_cookie(
        cookie_name(settings),
        "",
        path=PATH,
        max_age=0,
        httponly=True,
        secure=settings.refresh_cookie_secure,
        samesite="Strict",
    )
