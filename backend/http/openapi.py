"""OpenAPI from the code: pydantic models become named components, routes reference them.

sanic-ext inlines pydantic schemas and loses nested references; registering each model as a
component keeps `required`, nesting and names intact for the generated TypeScript types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict
from sanic_ext import openapi
from sanic_ext.extensions.openapi.builders import OperationStore, SpecificationBuilder
from sanic_ext.extensions.openapi.definitions import RequestBody, Response

from backend.http import errors
from backend.http.errors import CODES_BY_STATUS, ApiError

F = TypeVar("F", bound=Callable[..., Any])
REF = "#/components/schemas/{model}"
REQUEST_ID = "5f0c2a47-9d1e-4b8a-a3c6-2e7f81d4b9a0"
EXAMPLE_CURSOR = (  # as `encode_cursor` makes it: a timestamp and an id
    "WyIyMDI1LTAzLTAyVDE0OjA1OjAwKzAwOjAwIiwiYzQxZTViN2EtMmY5ZC00YTYzLThiMWUtMGQ3YzlmMmE2ZTM0Il0"
)
INVALID_EMAIL = {
    "field": "email",
    "message": "value is not a valid email address: An email address must have an @-sign.",
    "type": "value_error",
}
ERROR_DETAILS: dict[int, Any] = {
    422: {"fields": [INVALID_EMAIL]},
    429: {"policy": "default", "retry_after": 42},
}
ERRORS_BY_STATUS = {
    error.status: error
    for error in vars(errors).values()
    if isinstance(error, type) and issubclass(error, ApiError)
}


def error_example(status: int) -> dict[str, Any]:
    """A realistic error body for `status`: the code and message its error class gives."""
    error = ERRORS_BY_STATUS.get(status)
    detail = {
        "code": error.code if error else CODES_BY_STATUS.get(status, "error"),
        "message": error.message if error else "The request failed.",
        "request_id": REQUEST_ID,
        "details": ERROR_DETAILS.get(status),
    }
    return {"error": detail}


class ErrorDetail(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [error_example(404)["error"]]})

    code: str
    message: str
    request_id: str
    details: Any = None


class ErrorBody(BaseModel):
    """Every error the API returns has this shape."""

    model_config = ConfigDict(json_schema_extra={"examples": [error_example(404)]})

    error: ErrorDetail


class _NoRequirement(list[dict[str, list[str]]]):
    """`security: []`: sanic-ext leaves out an operation's falsy fields, so make it truthy."""

    def __bool__(self) -> bool:
        return True


def carry_docs(inner: Callable[..., Any], outer: F) -> F:
    """Move the OpenAPI operation documented on `inner` to the wrapper that replaces it."""
    store = OperationStore()
    if inner in store:
        store[outer] = store.pop(inner)
    return outer


def schema_ref(model: type[BaseModel]) -> dict[str, str]:
    """Register `model` (and the models it nests) as components; return a reference."""
    builder = SpecificationBuilder()
    name = model.__name__
    if not builder.has_component("schemas", name):
        schema = model.model_json_schema(ref_template=REF)
        for nested_name, nested in schema.pop("$defs", {}).items():
            builder.add_component("schemas", nested_name, nested)
        builder.add_component("schemas", name, schema)
    return {"$ref": REF.format(model=name)}


def json_content(model: type[BaseModel], example: Any = None) -> dict[str, Any]:
    """The JSON media type of `model`; an `example` here overrides the model's own."""
    if example is None:
        return {"application/json": schema_ref(model)}
    return {"application/json": {"schema": schema_ref(model), "example": example}}


def document_body(model: type[BaseModel]) -> Callable[[F], F]:
    return openapi.body(RequestBody(json_content(model), required=True))


def document_response(
    status: int, model: type[BaseModel] | None, description: str, *, example: Any = None
) -> Callable[[F], F]:
    if model is None:
        return _no_content(status, description)
    return openapi.response(status, json_content(model, example), description)


def _no_content(status: int, description: str) -> Callable[[F], F]:
    """A response without a body (`openapi.response` would give it a `*/*` one)."""

    def decorator(handler: F) -> F:
        OperationStore()[handler].responses[status] = Response(
            status=status, description=description
        )
        return handler

    return decorator


def document_errors(statuses: Iterable[int]) -> Callable[[F], F]:
    def decorator(handler: F) -> F:
        for status in statuses:
            description = CODES_BY_STATUS.get(status, "error").replace("_", " ")
            content = json_content(ErrorBody, error_example(status))
            handler = openapi.response(status, content, description)(handler)
        return handler

    return decorator


def public() -> Callable[[F], F]:
    """Document that the route needs no sign-in (`security: []`)."""

    def decorator(handler: F) -> F:
        OperationStore()[handler].security = _NoRequirement()
        return handler

    return decorator


def optional_sign_in() -> Callable[[F], F]:
    """Document that a bearer token is optional (it changes the answer; a bad one is a 401)."""

    def decorator(handler: F) -> F:
        handler = document_errors([401])(handler)
        handler = openapi.secured({})(handler)
        secured: F = openapi.secured("bearer")(handler)
        return secured

    return decorator


def document_query(model: type[BaseModel]) -> Callable[[F], F]:
    def decorator(handler: F) -> F:
        schema = model.model_json_schema(ref_template=REF)
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            handler = openapi.parameter(
                name,
                _query_type(prop),
                "query",
                required=name in required,
                description=prop.get("description", ""),
            )(handler)
        return handler

    return decorator


def _query_type(prop: dict[str, Any]) -> type:
    types = {prop.get("type")} | {item.get("type") for item in prop.get("anyOf", [])}
    if "integer" in types:
        return int
    if "boolean" in types:
        return bool
    return str
