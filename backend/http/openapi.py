"""OpenAPI from the code: pydantic models become named components, routes reference them.

sanic-ext inlines pydantic schemas and loses nested references; registering each model as a
component keeps `required`, nesting and names intact for the generated TypeScript types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel
from sanic_ext import openapi
from sanic_ext.extensions.openapi.builders import OperationStore, SpecificationBuilder
from sanic_ext.extensions.openapi.definitions import RequestBody

from backend.http.errors import CODES_BY_STATUS

F = TypeVar("F", bound=Callable[..., Any])
REF = "#/components/schemas/{model}"


class ErrorDetail(BaseModel):
    code: str
    message: str
    request_id: str
    details: Any = None


class ErrorBody(BaseModel):
    """Every error the API returns has this shape."""

    error: ErrorDetail


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


def json_content(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": schema_ref(model)}


def document_body(model: type[BaseModel]) -> Callable[[F], F]:
    return openapi.body(RequestBody(json_content(model), required=True))


def document_response(
    status: int, model: type[BaseModel] | None, description: str
) -> Callable[[F], F]:
    content = json_content(model) if model is not None else None
    return openapi.response(status, content, description)


def document_errors(statuses: Iterable[int]) -> Callable[[F], F]:
    def decorator(handler: F) -> F:
        for status in statuses:
            description = CODES_BY_STATUS.get(status, "error").replace("_", " ")
            handler = openapi.response(status, json_content(ErrorBody), description)(handler)
        return handler

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
