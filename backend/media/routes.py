"""Media routes: upload, read, list, delete, the public thumbnail files and the signed
files of protected media."""

from __future__ import annotations

import uuid

from pydantic import ConfigDict
from sanic import Blueprint, HTTPResponse, Request, empty, raw
from sanic_ext import openapi
from sanic_ext.extensions.openapi.definitions import RequestBody

from backend.accounts.auth import authenticated, resolve_user, signed_in_user
from backend.accounts.roles import Role
from backend.accounts.schemas import HANDLE_IN_PATH
from backend.http.errors import NotFound
from backend.http.openapi import (
    EXAMPLE_CURSOR,
    document_errors,
    document_response,
    optional_sign_in,
    public,
)
from backend.http.pagination import Page, PageQuery
from backend.http.ratelimit import RatePolicy, rate_limited
from backend.http.responses import json_model
from backend.http.validation import query_args
from backend.media import service
from backend.media.schemas import EXAMPLE_MEDIA, MediaAcceptedOut, MediaOut
from backend.media.storage import IMMUTABLE, private_for
from backend.media.upload import FILE_FIELD, UploadBody
from backend.settings import Settings

bp = Blueprint("media")

UPLOAD = RatePolicy("media_upload", "60/hour", scope="user")
MULTIPART_FILE = RequestBody(
    {
        "multipart/form-data": {
            "type": "object",
            "properties": {
                FILE_FIELD: {
                    "type": "string",
                    "format": "binary",
                    "description": "The photo: a JPEG, PNG or WebP file",
                }
            },
            "required": [FILE_FIELD],
        }
    },
    required=True,
)


class MediaPage(Page[MediaOut]):
    """A page of media, newest first."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EXAMPLE_MEDIA], "next_cursor": EXAMPLE_CURSOR}]}
    )


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.ctx.settings
    return settings


@bp.post("/api/media", stream=True)
@openapi.definition(
    summary="Upload a photo (JPEG, PNG or WebP); thumbnails are made in the background",
    description="Multipart field `file`. The type is read from the file's content. Poll "
    "`GET /api/media/{id}` until `status` is `ready` (or `failed`, with a reason).",
    tag="media",
)
@openapi.body(MULTIPART_FILE)
@document_response(202, MediaAcceptedOut, "Stored; thumbnails are being made")
@document_errors([400, 413, 415, 422, 429])
@authenticated(Role.CREATOR)
@rate_limited(UPLOAD)
async def upload(request: Request) -> HTTPResponse:
    media = await service.upload(
        _settings(request), signed_in_user(request), UploadBody.of(request)
    )
    return json_model(MediaAcceptedOut(id=media.id), status=202)


@bp.get("/api/media/<media_id:uuid>")
@openapi.definition(
    summary="A media item: status, size, dimensions and thumbnail URLs",
    description="Ready media is public; processing or failed media only to its owner "
    "(send their bearer token).",
    tag="media",
)
@optional_sign_in()
@document_response(200, MediaOut, "The media")
@document_errors([404])
async def get_media(request: Request, media_id: uuid.UUID) -> HTTPResponse:
    viewer = await resolve_user(request, required=False)
    media = await service.visible_media(media_id, viewer)
    return json_model(MediaOut.of(media))


@bp.get(f"/api/creators/{HANDLE_IN_PATH}/media")
@openapi.definition(
    summary="A creator's media, newest first",
    description="Ready media only, unless the creator asks (with their bearer token): then "
    "processing and failed too.",
    tag="media",
)
@optional_sign_in()
@document_response(200, MediaPage, "A page of media")
@document_errors([404, 422])
@query_args(PageQuery)
async def creator_media(request: Request, handle: str, query: PageQuery) -> HTTPResponse:
    viewer = await resolve_user(request, required=False)
    page = await service.creator_media(handle, viewer, query)
    return json_model(page)


@bp.delete("/api/media/<media_id:uuid>")
@openapi.definition(summary="Delete one's own media and its files", tag="media")
@document_response(204, None, "Deleted")
@document_errors([403, 404])
@authenticated()
async def delete_media(request: Request, media_id: uuid.UUID) -> HTTPResponse:
    await service.delete(_settings(request), media_id, signed_in_user(request))
    return empty()


@bp.get("/media/<name:str>")
@openapi.definition(
    summary="A thumbnail file (content-addressed: cached for a year)",
    description="`ETag` is the content hash; `If-None-Match` answers 304.",
    tag="media",
)
@public()
@openapi.response(200, {"image/webp": {}, "image/jpeg": {}}, "The image")
@document_response(304, None, "Not modified")
@document_errors([404])
async def derivative(request: Request, name: str) -> HTTPResponse:
    found = service.derivative_key_for(name)
    if found is None:
        raise NotFound("No such media file.")
    key, content_type = found
    etag = f'"{name.partition(".")[0]}"'
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE}
    if _matches(request.headers.get("if-none-match"), etag):
        await service.require_derivative(_settings(request), key)  # 404 once it is deleted
        return HTTPResponse(status=304, headers=headers)
    data = await service.read_derivative(_settings(request), key)
    return raw(data, content_type=content_type, headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


@bp.get("/media/protected/<name:str>")
@openapi.definition(
    summary="A protected media item's thumbnail, through a signed, short-lived URL",
    description="The URLs come in `thumbnails` of media one may see (a locked post's photos "
    "once unlocked). `expires` (unix seconds) and `signature` (HMAC-SHA256) must be as given: "
    "403 `invalid_signature` otherwise, 403 `signature_expired` once it has expired. "
    "Cached privately, until it expires.",
    tag="media",
)
@public()
@openapi.parameter("expires", int, "query", required=True)
@openapi.parameter("signature", str, "query", required=True)
@openapi.response(200, {"image/webp": {}, "image/jpeg": {}}, "The image")
@document_errors([403, 404])
async def protected_file(request: Request, name: str) -> HTTPResponse:
    found = service.protected_key_for(name)
    if found is None:
        raise NotFound("No such media file.")
    key, content_type = found
    settings = _settings(request)
    seconds_left = service.check_signature(
        settings, key, request.args.get("expires"), request.args.get("signature")
    )
    data = await service.read_derivative(settings, key)
    return raw(
        data, content_type=content_type, headers={"Cache-Control": private_for(seconds_left)}
    )
