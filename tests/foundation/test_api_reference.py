"""The API reference (issue 11): every route in `/openapi.json` has a summary, its request and
response schemas, its error responses, its auth requirement and an example."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from backend.health.schemas import HealthOut, LiveOut
from backend.settings import Settings
from tests.support.server import serve

Operation = tuple[str, str, dict[str, Any]]
Requirements = list[dict[str, list[str]]]
REF = "#/components/schemas/"
PUBLIC: Requirements = []
SIGNED_IN: Requirements = [{"bearer": []}]
SIGNED_IN_OR_NOT: Requirements = [{}, {"bearer": []}]
NO_ERROR_RESPONSE = {
    ("get", "/health/live"): "it answers from the process alone, outside the /api rate limit",
}
# Bytes, not JSON: their descriptions say what they hold, an example cannot.
NOT_EXEMPLIFIED = {"multipart/form-data", "image/webp", "image/jpeg"}


@pytest.fixture(scope="module")
async def document(settings: Settings) -> AsyncIterator[dict[str, Any]]:
    async with serve(settings) as api:
        response = await api.get("/openapi.json")
        assert response.status_code == 200
        yield response.json()


def operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, item in sorted(document["paths"].items()):
        for method, operation in sorted(item.items()):
            yield method, path, operation


def models_by_name() -> dict[str, type[BaseModel]]:
    """The API's pydantic models (the app is built, so every one is imported) by name."""
    found: dict[str, list[type[BaseModel]]] = {}
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model.__module__.startswith("backend."):
            found.setdefault(model.__name__, []).append(model)
    return {name: models[0] for name, models in found.items() if len(models) == 1}


def model_of(schema: dict[str, Any], models: dict[str, type[BaseModel]]) -> type[BaseModel]:
    name = schema["$ref"].removeprefix(REF)
    assert name in models, f"no single backend model is named {name}"
    return models[name]


def assert_instance(model: type[BaseModel], example: Any, where: str) -> None:
    """`example` is what the API sends or accepts: it validates, and nothing in it is ignored
    or changed on the way through the model."""
    parsed = model.model_validate_json(json.dumps(example))
    assert json.loads(parsed.model_dump_json(exclude_unset=True)) == example, where


def media_types(operation: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(where, media type, media type object) of the request body and every response."""
    body = operation.get("requestBody", {}).get("content", {})
    for media_type, content in body.items():
        yield "request", media_type, content
    for status, response in operation["responses"].items():
        for media_type, content in response.get("content", {}).items():
            yield status, media_type, content


def test_every_operation_has_a_summary_and_an_auth_requirement(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        where = f"{method.upper()} {path}"
        assert operation.get("summary", "").strip(), where
        assert "security" in operation, where
        security = operation["security"]
        assert security in (PUBLIC, SIGNED_IN, SIGNED_IN_OR_NOT), (where, security)
        if security != PUBLIC:
            assert "401" in operation["responses"], f"{where} takes a token, so it can be a 401"


def test_the_auth_requirements_are_the_ones_the_code_enforces(document: dict[str, Any]) -> None:
    security = {(m, p): op["security"] for m, p, op in operations(document)}
    assert security[("post", "/api/auth/login")] == PUBLIC
    assert security[("post", "/api/webhooks/stripe")] == PUBLIC
    assert security[("get", "/health")] == PUBLIC
    assert security[("get", "/media/{name}")] == PUBLIC
    assert security[("get", "/api/wallet")] == SIGNED_IN
    for optional in ("/api/creators/{handle}", "/api/media/{media_id}"):
        assert security[("get", optional)] == SIGNED_IN_OR_NOT, optional
    assert security[("get", "/api/creators/{handle}/media")] == SIGNED_IN_OR_NOT


def test_every_operation_documents_its_errors(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        errors = [status for status in operation["responses"] if status[0] in "45"]
        if (method, path) in NO_ERROR_RESPONSE:
            assert not errors, f"{path} documents errors now: drop it from NO_ERROR_RESPONSE"
        else:
            assert errors, f"{method.upper()} {path} documents no error response"
    health = document["paths"]["/health"]["get"]["responses"]
    assert health["503"]["content"]["application/json"]["schema"]["$ref"].endswith("/HealthOut")
    packages = document["paths"]["/api/tokens/packages"]["get"]["responses"]
    assert "429" in packages


def test_every_body_and_response_has_an_example(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for method, path, operation in operations(document):
        for where, media_type, content in media_types(operation):
            if media_type in NOT_EXEMPLIFIED:
                continue
            label = f"{method.upper()} {path} {where} {media_type}"
            ref = content.get("schema", {}).get("$ref", "")
            component = schemas.get(ref.removeprefix(REF), {})
            assert "example" in content or component.get("examples"), f"{label} has no example"


def test_media_type_examples_are_valid(document: dict[str, Any]) -> None:
    models = models_by_name()
    for method, path, operation in operations(document):
        for where, _, content in media_types(operation):
            if "example" in content and "$ref" in content.get("schema", {}):
                model = model_of(content["schema"], models)
                assert_instance(model, content["example"], f"{method} {path} {where}")


def test_every_model_component_has_valid_examples(document: dict[str, Any]) -> None:
    models = models_by_name()
    for name, schema in sorted(document["components"]["schemas"].items()):
        if "enum" in schema:
            continue
        assert schema.get("examples"), f"the {name} component has no example"
        model = model_of({"$ref": REF + name}, models)
        for example in schema["examples"]:
            assert_instance(model, example, name)


async def test_health_answers_as_documented(settings: Settings) -> None:
    async with serve(settings) as api:
        live = await api.get("/health/live")
        ready = await api.get("/health")
    LiveOut.model_validate(live.json())
    assert ready.status_code == 200
    HealthOut.model_validate(ready.json())
