"""JSON answers from response models, serialised by pydantic in one pass."""

from __future__ import annotations

from pydantic import BaseModel
from sanic import HTTPResponse


def json_model(model: BaseModel, status: int = 200) -> HTTPResponse:
    """`model` as the JSON body: straight to bytes, with no dict or second encoder between."""
    return HTTPResponse(model.model_dump_json(), status=status, content_type="application/json")
