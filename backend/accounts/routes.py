"""Account routes: sign-up, sessions, profile, password change and reset."""

from __future__ import annotations

import uuid

from sanic import Blueprint, HTTPResponse, Request, empty, json
from sanic_ext import openapi
from sanic_ext.extensions.openapi.definitions import RequestBody

from backend.accounts import policies, service, sessions
from backend.accounts.auth import authenticated, signed_in_user
from backend.accounts.cookies import (
    clear_refresh_cookie,
    read_refresh_cookie,
    set_refresh_cookie,
)
from backend.accounts.models import User
from backend.accounts.schemas import (
    AcceptedOut,
    LoginIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetIn,
    ProfilePatch,
    SessionOut,
    SignupIn,
    UserOut,
)
from backend.accounts.sessions import IssuedRefresh, SessionRejected
from backend.accounts.tokens import issue_access_token
from backend.http.errors import Forbidden, Unauthorized, error_response, field_error
from backend.http.openapi import document_errors, document_response, public
from backend.http.ratelimit import check, client_ip, count, rate_limited
from backend.http.responses import json_model
from backend.http.validation import json_body
from backend.media import avatars
from backend.media import service as media
from backend.media.schemas import MediaAcceptedOut
from backend.media.upload import FILE_FIELD, UploadBody
from backend.settings import Settings

bp = Blueprint("accounts", url_prefix="/api")

RESET_ACCEPTED = "If that email belongs to an account, a reset link is on its way."


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.ctx.settings
    return settings


def _session_response(
    request: Request, user: User, refresh: IssuedRefresh, status: int
) -> HTTPResponse:
    settings = _settings(request)
    body = SessionOut(
        access_token=issue_access_token(settings, user.id, user.role, refresh.family_id),
        expires_in=settings.access_token_ttl_seconds,
        user=UserOut.of(user),
    )
    response = json(body.model_dump(mode="json"), status=status)
    set_refresh_cookie(response, settings, refresh.token, refresh.max_age_seconds)
    response.headers["Cache-Control"] = "no-store"
    return response


def _require_same_site_origin(request: Request) -> None:
    """Cookie-authenticated routes accept only requests from our own origins."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise Forbidden("Cross-site requests are not allowed here.", code="origin_not_allowed")
    origin = (request.headers.get("origin") or "").rstrip("/")
    if origin not in _settings(request).allowed_origins:
        raise Forbidden("This origin is not allowed.", code="origin_not_allowed")


@bp.post("/auth/signup")
@openapi.definition(summary="Create an account and start a session", tag="accounts")
@public()
@document_response(201, SessionOut, "Account created; the refresh cookie is set")
@document_errors([409, 422, 429])
@rate_limited(policies.SIGNUP)
@json_body(SignupIn)
async def signup(request: Request, body: SignupIn) -> HTTPResponse:
    user = await service.signup(body)
    refresh = await sessions.start_family(_settings(request), user)
    return _session_response(request, user, refresh, 201)


@bp.post("/auth/login")
@openapi.definition(summary="Sign in with email and password", tag="accounts")
@public()
@document_response(200, SessionOut, "Signed in; the refresh cookie is set")
@document_errors([401, 422, 429])
@json_body(LoginIn)
async def login(request: Request, body: LoginIn) -> HTTPResponse:
    ip = client_ip(request)
    account_key = f"{body.email}|{ip}"
    await check(request, policies.LOGIN_ACCOUNT, account_key)
    await check(request, policies.LOGIN_IP, ip)
    user = await service.authenticate(body.email, body.password)
    if user is None:
        await count(request, policies.LOGIN_ACCOUNT, account_key)
        await count(request, policies.LOGIN_IP, ip)
        raise Unauthorized("Incorrect email or password.", code="invalid_credentials")
    await request.app.ctx.rate_limiter.reset(policies.LOGIN_ACCOUNT, account_key)
    refresh = await sessions.start_family(_settings(request), user)
    return _session_response(request, user, refresh, 200)


@bp.post("/auth/refresh")
@openapi.definition(
    summary="Exchange the refresh cookie for a new access token (and a rotated cookie)",
    description="Cookie only; the request's Origin must be allowed. Reusing an already "
    "rotated cookie signs out every session of that login.",
    tag="accounts",
)
@public()
@document_response(200, SessionOut, "A new access token; the cookie is rotated")
@document_errors([401, 403])
async def refresh(request: Request) -> HTTPResponse:
    _require_same_site_origin(request)
    settings = _settings(request)
    presented = read_refresh_cookie(request, settings)
    if presented is None:
        raise Unauthorized("You are not signed in.", code="no_session")
    try:
        user, issued = await sessions.rotate(settings, presented)
    except SessionRejected:
        ended = error_response(
            request, 401, "session_expired", "Your session has ended; sign in again."
        )
        clear_refresh_cookie(ended, settings)
        return ended
    return _session_response(request, user, issued, 200)


@bp.post("/auth/logout")
@openapi.definition(
    summary="Sign out this session and clear the cookie",
    description="Cookie only; the request's Origin must be allowed.",
    tag="accounts",
)
@public()
@document_response(204, None, "Signed out")
@document_errors([403])
async def logout(request: Request) -> HTTPResponse:
    _require_same_site_origin(request)
    settings = _settings(request)
    presented = read_refresh_cookie(request, settings)
    if presented is not None and (family := await sessions.family_of(presented)) is not None:
        await sessions.revoke_family(family)
    response = empty()
    clear_refresh_cookie(response, settings)
    return response


@bp.post("/auth/logout-all")
@openapi.definition(summary="Sign out every session of this account", tag="accounts")
@document_response(204, None, "Every session signed out")
@authenticated()
async def logout_all(request: Request) -> HTTPResponse:
    await sessions.revoke_all(signed_in_user(request).id)
    response = empty()
    clear_refresh_cookie(response, _settings(request))
    return response


@bp.get("/me")
@openapi.definition(summary="The signed-in user", tag="accounts")
@document_response(200, UserOut, "The signed-in user")
@authenticated()
async def me(request: Request) -> HTTPResponse:
    return json_model(UserOut.of(signed_in_user(request)))


@bp.patch("/me")
@openapi.definition(summary="Change display name, bio or handle", tag="accounts")
@document_response(200, UserOut, "The updated user")
@document_errors([409, 422])
@authenticated()
@json_body(ProfilePatch)
async def update_me(request: Request, body: ProfilePatch) -> HTTPResponse:
    user = signed_in_user(request)
    avatar_url = await _chosen_avatar(user, body.avatar_media_id)
    user = await service.update_profile(user, body, avatar_url=avatar_url)
    return json_model(UserOut.of(user))


PICTURE_FILE = RequestBody(
    {
        "multipart/form-data": {
            "type": "object",
            "properties": {
                FILE_FIELD: {
                    "type": "string",
                    "format": "binary",
                    "description": "The picture: a JPEG, PNG or WebP file",
                }
            },
            "required": [FILE_FIELD],
        }
    },
    required=True,
)


@bp.post("/me/avatar", stream=True)
@openapi.definition(
    summary="Upload a picture to use as your avatar (any account, fans too)",
    description="Multipart field `file`, stored and thumbnailed like any photo (for a "
    "creator it is one of their photos). Poll `GET /api/media/{id}` until `status` is "
    "`ready`, then choose it with `PATCH /api/me` and `avatar_media_id`.",
    tag="accounts",
)
@openapi.body(PICTURE_FILE)
@document_response(202, MediaAcceptedOut, "Stored; its thumbnails are being made")
@document_errors([400, 413, 415, 422, 429])
@authenticated()
@rate_limited(policies.AVATAR_UPLOAD)
async def upload_avatar(request: Request) -> HTTPResponse:
    user = signed_in_user(request)
    stored = await media.upload(_settings(request), user, UploadBody.of(request))
    return json_model(MediaAcceptedOut(id=stored.id), status=202)


async def _chosen_avatar(user: User, media_id: uuid.UUID | None) -> str | None:
    """The picture's URL: one of the user's own ready media (media owns what is ready)."""
    if media_id is None:
        return None
    url = await avatars.ready_thumbnail_url(user.id, media_id)
    if url is None:
        raise field_error("avatar_media_id", "Choose one of your own media that is ready.")
    return url


@bp.post("/me/password")
@openapi.definition(summary="Change the password (signs out every other session)", tag="accounts")
@document_response(204, None, "Password changed")
@document_errors([422])
@authenticated()
@json_body(PasswordChangeIn)
async def change_password(request: Request, body: PasswordChangeIn) -> HTTPResponse:
    await service.change_password(
        signed_in_user(request),
        body.current_password,
        body.new_password,
        keep_session=request.ctx.session_id,
    )
    return empty()


@bp.post("/auth/password-reset")
@openapi.definition(
    summary="Email a password-reset link (same answer whether the email is known or not)",
    tag="accounts",
)
@public()
@document_response(202, AcceptedOut, "Accepted")
@document_errors([422, 429])
@rate_limited(policies.PASSWORD_RESET)
@json_body(PasswordResetIn)
async def request_password_reset(request: Request, body: PasswordResetIn) -> HTTPResponse:
    await service.request_password_reset(body.email)
    return json_model(AcceptedOut(message=RESET_ACCEPTED), status=202)


@bp.post("/auth/password-reset/confirm")
@openapi.definition(
    summary="Set a new password with a reset link's token (signs out every session)",
    tag="accounts",
)
@public()
@document_response(204, None, "Password changed")
@document_errors([422])
@json_body(PasswordResetConfirmIn)
async def confirm_password_reset(request: Request, body: PasswordResetConfirmIn) -> HTTPResponse:
    await service.confirm_password_reset(body.token, body.new_password)
    return empty()
