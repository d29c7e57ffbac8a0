"""The feed route."""

from __future__ import annotations

from sanic import Blueprint, HTTPResponse, Request
from sanic_ext import openapi

from backend.accounts.auth import authenticated, signed_in_user
from backend.feed import service
from backend.feed.schemas import FeedPage
from backend.http.openapi import document_errors, document_response
from backend.http.pagination import PageQuery
from backend.http.responses import json_model
from backend.http.validation import query_args

bp = Blueprint("feed", url_prefix="/api")


@bp.get("/feed")
@openapi.definition(
    summary="Newest published posts of the creators you follow",
    description="Empty (not an error) when you follow nobody or they have posted nothing.",
    tag="feed",
)
@document_response(200, FeedPage, "A page of the feed, newest first")
@document_errors([422])
@authenticated()
@query_args(PageQuery)
async def feed(request: Request, query: PageQuery) -> HTTPResponse:
    page = await service.feed(signed_in_user(request), query)
    return json_model(page)
