"""Creator routes: discovery, profiles, following and followers."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request
from sanic_ext import openapi

from backend.accounts.auth import authenticated, resolve_user, signed_in_user
from backend.accounts.roles import Role
from backend.accounts.schemas import HANDLE_IN_PATH
from backend.creators import service
from backend.creators.schemas import (
    CreatorPage,
    CreatorProfile,
    CreatorQuery,
    FollowerPage,
    FollowOut,
)
from backend.http.openapi import document_errors, document_response, optional_sign_in, public
from backend.http.pagination import PageQuery
from backend.http.ratelimit import RatePolicy, rate_limited
from backend.http.responses import json_model
from backend.http.validation import query_args

bp = Blueprint("creators", url_prefix="/api")

# Following is cheap to repeat and each new follow may notify someone: bound toggling.
FOLLOW_CHANGES = RatePolicy("follow", "60/minute", scope="user")
FOLLOWERS = (Role.FAN, Role.CREATOR)


@bp.get("/creators")
@openapi.definition(
    summary="Find creators by handle or display name",
    description="`q` matches anywhere in the handle or display name, ignoring case. "
    "`sort=popular` (default) lists the most followed first, `sort=new` the latest "
    "sign-ups first.",
    tag="creators",
)
@public()
@document_response(200, CreatorPage, "A page of creators")
@document_errors([422])
@query_args(CreatorQuery)
async def list_creators(request: Request, query: CreatorQuery) -> HTTPResponse:
    page = await service.list_creators(query)
    return json_model(page)


@bp.get(f"/creators/{HANDLE_IN_PATH}")
@openapi.definition(
    summary="A creator's profile",
    description="`is_following` tells whether the caller follows them (false without a "
    "bearer token; an invalid token is a 401).",
    tag="creators",
)
@optional_sign_in()
@document_response(200, CreatorProfile, "The creator")
@document_errors([404])
async def creator_profile(request: Request, handle: str) -> HTTPResponse:
    viewer = await resolve_user(request, required=False)
    profile = await service.profile(handle, viewer)
    return json_model(profile)


@bp.put(f"/creators/{HANDLE_IN_PATH}/follow")
@openapi.definition(
    summary="Follow a creator (idempotent)",
    description="Following again changes nothing and answers the same body. Following "
    "yourself or someone who is not a creator is a 422.",
    tag="creators",
)
@document_response(200, FollowOut, "Now following; the creator's follower count")
@document_errors([404, 422, 429])
@authenticated(*FOLLOWERS)
@rate_limited(FOLLOW_CHANGES)
async def follow(request: Request, handle: str) -> HTTPResponse:
    state = await service.follow(signed_in_user(request), handle)
    return json_model(state)


@bp.delete(f"/creators/{HANDLE_IN_PATH}/follow")
@openapi.definition(
    summary="Stop following a creator (idempotent)",
    description="Unfollowing again changes nothing and answers the same body.",
    tag="creators",
)
@document_response(200, FollowOut, "Not following; the creator's follower count")
@document_errors([404, 422, 429])
@authenticated(*FOLLOWERS)
@rate_limited(FOLLOW_CHANGES)
async def unfollow(request: Request, handle: str) -> HTTPResponse:
    state = await service.unfollow(signed_in_user(request), handle)
    return json_model(state)


@bp.get(f"/creators/{HANDLE_IN_PATH}/followers")
@openapi.definition(summary="Who follows a creator, newest first", tag="creators")
@public()
@document_response(200, FollowerPage, "A page of followers")
@document_errors([404, 422])
@query_args(PageQuery)
async def followers(request: Request, handle: str, query: PageQuery) -> HTTPResponse:
    page = await service.followers(handle, query)
    return json_model(page)


@bp.get("/me/following")
@openapi.definition(summary="The creators you follow, newest follow first", tag="creators")
@document_response(200, CreatorPage, "A page of creators")
@document_errors([422])
@authenticated()
@query_args(PageQuery)
async def my_following(request: Request, query: PageQuery) -> HTTPResponse:
    page = await service.following(signed_in_user(request), query)
    return json_model(page)
