"""Request parsing with pydantic: a 422 in the error shape that lists every bad field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sanic import Request
from sanic.exceptions import BadRequest

from backend.http.errors import ValidationFailed
from backend.http.openapi import carry_docs, document_body, document_query

M = TypeVar("M", bound=BaseModel)
Handler = Callable[..., Awaitable[Any]]


def field_errors(error: ValidationError) -> list[dict[str, Any]]:
    return [
        {
            "field": ".".join(str(part) for part in item["loc"]) or "body",
            "message": item["msg"].removeprefix("Value error, "),
            "type": item["type"],
        }
        for item in error.errors(include_url=False)
    ]


def parse(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(details={"fields": field_errors(error)}) from None


def read_json(request: Request) -> Any:
    if not request.body:
        return {}
    try:
        return request.json
    except BadRequest:
        raise ValidationFailed(
            "The request body is not valid JSON.",
            details={"fields": [{"field": "body", "message": "invalid JSON", "type": "json"}]},
        ) from None


def single_values(args: Mapping[str, list[str]]) -> dict[str, str]:
    return {key: values[-1] for key, values in args.items() if values}


def json_body(model: type[BaseModel]) -> Callable[[Handler], Handler]:
    """Parse the JSON body into `model`, pass it as `body=`, and document it."""

    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> Any:
            kwargs["body"] = parse(model, read_json(request))
            return await handler(request, *args, **kwargs)

        return document_body(model)(carry_docs(handler, wrapper))

    return decorator


def query_args(model: type[BaseModel]) -> Callable[[Handler], Handler]:
    """Parse the query string into `model`, pass it as `query=`, and document it."""

    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> Any:
            kwargs["query"] = parse(model, single_values(request.args))
            return await handler(request, *args, **kwargs)

        return document_query(model)(carry_docs(handler, wrapper))

    return decorator
