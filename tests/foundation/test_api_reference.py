"""The API reference (issue 11): every route in `/openapi.json` has a summary, its request and
response schemas, its error responses, its auth requirement and an example. Its UI at `/docs`
(issue 16) works offline: it loads only files the API itself serves."""

from __future__ import annotations

import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from backend.health.schemas import HealthOut, LiveOut
from backend.http import api_docs
from backend.settings import Settings
from tests.support.database import ROOT
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
async def reference_api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(settings) as api:  # no frontend build: the API serves its docs alone
        yield api


@pytest.fixture(scope="module")
def document(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`/openapi.json` as the API serves it, fetched by `make openapi`'s tool in a process
    of its own: sanic-ext keeps one specification per process, which the tests' own apps
    change (their routes' models become components; the newest app owns each path)."""
    output = tmp_path_factory.mktemp("openapi") / "openapi.json"
    export = [sys.executable, "-m", "tools.export_openapi", str(output)]
    subprocess.run(export, cwd=ROOT, check=True, capture_output=True, timeout=120)
    body: dict[str, Any] = json.loads(output.read_text())
    return body


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
    optional_reads = ("/api/creators/{handle}", "/api/media/{media_id}", "/api/posts/{post_id}")
    for optional in (*optional_reads, "/api/creators/{handle}/posts"):
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


# The reference UI (issue 16): Swagger UI from the project itself, usable offline.
DOCS_PAGES = ("/docs", "/docs/swagger")
LOCAL_REFERENCE = re.compile(r"^/docs/assets/[\w.\-/]+$")
IMMUTABLE = "public, max-age=31536000, immutable"


def page_references(page: str) -> list[str]:
    """What the page loads: every `src` and `href` in it."""
    return re.findall(r'(?:src|href)="([^"]*)"', page)


@pytest.mark.parametrize("path", DOCS_PAGES)
async def test_the_docs_page_loads_only_the_projects_own_files(
    reference_api: httpx.AsyncClient, path: str
) -> None:
    response = await reference_api.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    references = page_references(response.text)
    assert references, "the page loads Swagger UI's files"
    for reference in references:
        assert LOCAL_REFERENCE.match(reference), f"{reference} is not one of the docs' assets"
    for script in re.findall(r"<script\b[^>]*>", response.text):
        assert " src=" in script, f"{script} is an inline script"
    assert "<style" not in response.text
    assert " style=" not in response.text


async def test_every_file_the_page_loads_is_served_with_its_type_and_caching(
    reference_api: httpx.AsyncClient,
) -> None:
    page = (await reference_api.get("/docs")).text
    types = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
    for reference in page_references(page):
        response = await reference_api.get(reference)
        assert response.status_code == 200, reference
        suffix = PurePosixPath(reference).suffix
        assert response.headers["content-type"].startswith(types[suffix]), reference
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        if reference.endswith("/swagger-init.js"):  # ours, not versioned: revalidated
            assert response.headers["Cache-Control"] == "no-cache"
            last_modified = response.headers["Last-Modified"]
            again = await reference_api.get(reference, headers={"If-Modified-Since": last_modified})
            assert again.status_code == 304
        else:  # Swagger UI's build, under its version: never changes
            assert f"/{api_docs.SWAGGER_UI_VERSION}/" in reference
            assert response.headers["Cache-Control"] == IMMUTABLE, reference


async def test_the_pinned_build_is_the_installed_package_version(
    reference_api: httpx.AsyncClient,
) -> None:
    version = importlib.metadata.version("swagger-ui-bundle-v2")  # Swagger UI's own version
    assert version == api_docs.SWAGGER_UI_VERSION
    bundle = await reference_api.get(f"/docs/assets/{version}/swagger-ui-bundle.js")
    assert bundle.content == (api_docs.SWAGGER_UI / "swagger-ui-bundle.js").read_bytes()


async def test_only_the_builds_assets_are_served(reference_api: httpx.AsyncClient) -> None:
    build = f"/docs/assets/{api_docs.SWAGGER_UI_VERSION}"
    for missing in (
        f"{build}/missing.js",
        f"{build}/index.html",  # Swagger UI's example page, pointed at a public demo API
        f"{build}/%2e%2e/%2e%2e/__init__.py",
        "/docs/assets/5.0.0/swagger-ui-bundle.js",
        "/docs/redoc",  # ReDoc loaded itself from a CDN: gone
    ):
        response = await reference_api.get(missing)
        assert response.status_code == 404, missing
        assert response.json()["error"]["code"] == "not_found", missing


@pytest.mark.parametrize("path", [*DOCS_PAGES, "/docs/swagger-config"])
async def test_the_docs_policy_allows_only_the_api_itself(
    reference_api: httpx.AsyncClient, path: str
) -> None:
    policy = (await reference_api.get(path)).headers["Content-Security-Policy"]
    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
    assert directives["default-src"] == "'none'"
    for name in ("script-src", "style-src", "connect-src", "font-src"):
        assert directives[name] == "'self'", name
    assert directives["img-src"] == "'self' data:"  # the icons inside Swagger UI's CSS
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    assert "http" not in policy


async def test_the_ui_reads_the_api_document_and_validates_nothing_online(
    reference_api: httpx.AsyncClient,
) -> None:
    page = (await reference_api.get("/docs")).text
    config_url = re.search(r'data-config-url="([^"]+)"', page)
    assert config_url is not None
    config = (await reference_api.get(config_url.group(1))).json()
    assert config["url"] == "/openapi.json"
    assert config["validatorUrl"] is None
    document = await reference_api.get(config["url"])
    assert document.json()["openapi"] == "3.1.0"


def test_the_installed_package_carries_the_docs_page(tmp_path: Path) -> None:
    """The production image installs the package, not this checkout: the page's template
    and script must be in the wheel. Built from a copy, as the image does (an in-tree build
    would reuse `build/`, where a deleted file lives on)."""
    source = tmp_path / "source"
    for package in ("backend", "worker"):
        ignored = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / package, source / package, ignore=ignored)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip_wheel, "-q", "-w", str(tmp_path), str(source)], check=True)
    (wheel,) = tmp_path.glob("digis-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for name in ("swagger.html", "swagger-init.js"):
        assert f"backend/http/api_docs/{name}" in names, name
