"""JSON answers from response models, serialised by pydantic in one pass and sent through
Sanic's own response (its header processing, sanitising and encoding)."""

from __future__ import annotations

from pydantic import BaseModel
from sanic import HTTPResponse
from sanic.response import raw


def json_model(model: BaseModel, status: int = 200) -> HTTPResponse:
    """`model` as the JSON body: straight to bytes, with no dict or second encoder between."""
    return raw(model.model_dump_json(), status=status, content_type="application/json")
