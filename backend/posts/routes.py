"""Post routes: drafting, editing, publishing, deleting, reading, listing, and likes."""

from __future__ import annotations

import uuid

from sanic import Blueprint, HTTPResponse, Request, empty
from sanic_ext import openapi

from backend.accounts.auth import authenticated, resolve_user, signed_in_user
from backend.accounts.roles import Role
from backend.accounts.schemas import HANDLE_IN_PATH
from backend.http.openapi import document_errors, document_response, optional_sign_in
from backend.http.pagination import PageQuery
from backend.http.ratelimit import RatePolicy, rate_limited
from backend.http.responses import json_model
from backend.http.validation import json_body, query_args
from backend.idempotency.keys import idempotent
from backend.posts import service, unlocks
from backend.posts.schemas import (
    LikeOut,
    MyPostsQuery,
    PostIn,
    PostOut,
    PostPage,
    PostPatch,
    UnlockIn,
    UnlockOut,
)
from backend.settings import Settings

bp = Blueprint("posts", url_prefix="/api")

POST_CHANGES = RatePolicy("post_changes", "120/hour", scope="user")
# Liking is cheap to repeat: bound toggling, as following is.
LIKE_CHANGES = RatePolicy("like", "120/minute", scope="user")
UNLOCKS = RatePolicy("unlocks", "60/minute", scope="user")
POST_IN_PATH = "<post_id:uuid>"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.ctx.settings
    return settings


@bp.post("/posts")
@openapi.definition(
    summary="Draft a post: a caption and 1 to 10 of your ready photos, in order",
    description="The photos must be your own uploads and `ready` (404 for unknown media or "
    "someone else's, 422 for one still processing or failed). Publish it with "
    "`POST /api/posts/{id}/publish`.",
    tag="posts",
)
@document_response(201, PostOut, "The draft")
@document_errors([404, 422, 429])
@authenticated(Role.CREATOR)
@rate_limited(POST_CHANGES)
@json_body(PostIn)
async def create_post(request: Request, body: PostIn) -> HTTPResponse:
    post = await service.create(_settings(request), signed_in_user(request), body)
    return json_model(post, status=201)


@bp.get(f"/posts/{POST_IN_PATH}")
@openapi.definition(
    summary="A post",
    description="Published posts for everyone, signed in or not (a locked one shows its "
    "preview unless you unlocked it); a draft only for its author (404 for anyone else). "
    "A bearer token is optional.",
    tag="posts",
)
@document_response(200, PostOut, "The post")
@document_errors([404])
@optional_sign_in()
async def get_post(request: Request, post_id: uuid.UUID) -> HTTPResponse:
    post = await service.visible_post(post_id, await resolve_user(request, required=False))
    return json_model(post)


@bp.patch(f"/posts/{POST_IN_PATH}")
@openapi.definition(
    summary="Edit your post: the caption any time, the photos while it is a draft",
    description="Fields left out stay as they are. `media_ids` replaces the photos and "
    "their order; on a published post it is a 422.",
    tag="posts",
)
@document_response(200, PostOut, "The post as it is now")
@document_errors([403, 404, 422, 429])
@authenticated(Role.CREATOR)
@rate_limited(POST_CHANGES)
@json_body(PostPatch)
async def update_post(request: Request, post_id: uuid.UUID, body: PostPatch) -> HTTPResponse:
    post = await service.update(_settings(request), post_id, signed_in_user(request), body)
    return json_model(post)


@bp.delete(f"/posts/{POST_IN_PATH}")
@openapi.definition(
    summary="Delete your post",
    description="Its photos are deleted too (files included), each once no other post shows it.",
    tag="posts",
)
@document_response(204, None, "Deleted")
@document_errors([403, 404, 429])
@authenticated(Role.CREATOR)
@rate_limited(POST_CHANGES)
async def delete_post(request: Request, post_id: uuid.UUID) -> HTTPResponse:
    await service.delete(_settings(request), post_id, signed_in_user(request))
    return empty()


@bp.post(f"/posts/{POST_IN_PATH}/publish")
@openapi.definition(
    summary="Publish your draft (idempotent)",
    description="Publishing a published post changes nothing and answers the same body.",
    tag="posts",
)
@document_response(200, PostOut, "The published post")
@document_errors([403, 404, 422, 429])
@authenticated(Role.CREATOR)
@rate_limited(POST_CHANGES)
async def publish_post(request: Request, post_id: uuid.UUID) -> HTTPResponse:
    post = await service.publish(post_id, signed_in_user(request))
    return json_model(post)


@bp.get(f"/creators/{HANDLE_IN_PATH}/posts")
@openapi.definition(
    summary="A creator's published posts, newest first",
    description="For everyone, signed in or not (a bearer token is optional); locked posts "
    "show their preview unless you unlocked them.",
    tag="posts",
)
@document_response(200, PostPage, "A page of posts")
@document_errors([404, 422])
@optional_sign_in()
@query_args(PageQuery)
async def creator_posts(request: Request, handle: str, query: PageQuery) -> HTTPResponse:
    viewer = await resolve_user(request, required=False)
    return json_model(await service.creator_posts(handle, viewer, query))


@bp.get("/me/posts")
@openapi.definition(
    summary="Your own posts, drafts included, newest first",
    description="`status=draft` lists only the drafts (to continue one), `published` only "
    "the published posts.",
    tag="posts",
)
@document_response(200, PostPage, "A page of your posts")
@document_errors([422])
@authenticated(Role.CREATOR)
@query_args(MyPostsQuery)
async def my_posts(request: Request, query: MyPostsQuery) -> HTTPResponse:
    return json_model(await service.own_posts(signed_in_user(request), query))


@bp.post(f"/posts/{POST_IN_PATH}/unlock")
@openapi.definition(
    summary="Unlock a locked post with your tokens (once; honours Idempotency-Key)",
    description="Send the price you were shown. The tokens move to the creator at once and "
    "the post answers with its photos. Unlocking again charges nothing and answers 200 with "
    "the first unlock. 409 `price_changed` (the new `price` in `details`) when the creator "
    "changed the price, 409 `insufficient_balance` (`balance`, `required`) when your balance "
    "cannot cover it; nothing is charged in either case.",
    tag="posts",
)
@document_response(201, UnlockOut, "Unlocked: the post with its photos, your new balance")
@document_response(200, UnlockOut, "Unlocked before: nothing charged")
@document_errors([404, 409, 422, 429])
@authenticated()
@rate_limited(UNLOCKS)
@idempotent()
@json_body(UnlockIn)
async def unlock_post(request: Request, post_id: uuid.UUID, body: UnlockIn) -> HTTPResponse:
    status, receipt = await unlocks.unlock(post_id, signed_in_user(request), body)
    return json_model(receipt, status=status)


@bp.put(f"/posts/{POST_IN_PATH}/like")
@openapi.definition(
    summary="Like a post (idempotent)",
    description="Liking again changes nothing and answers the same body.",
    tag="posts",
)
@document_response(200, LikeOut, "Liked; the post's like count")
@document_errors([404, 422, 429])
@authenticated()
@rate_limited(LIKE_CHANGES)
async def like_post(request: Request, post_id: uuid.UUID) -> HTTPResponse:
    return json_model(await service.like(post_id, signed_in_user(request)))


@bp.delete(f"/posts/{POST_IN_PATH}/like")
@openapi.definition(
    summary="Take back a like (idempotent)",
    description="Unliking again changes nothing and answers the same body.",
    tag="posts",
)
@document_response(200, LikeOut, "Not liked; the post's like count")
@document_errors([404, 422, 429])
@authenticated()
@rate_limited(LIKE_CHANGES)
async def unlike_post(request: Request, post_id: uuid.UUID) -> HTTPResponse:
    return json_model(await service.unlike(post_id, signed_in_user(request)))
