"""The API reference UI at `/docs`: Swagger UI, served from the project, never from a CDN.

sanic-ext renders the page (`swagger.html` here, through its `OAS_*` settings) and serves the
UI's settings at `/docs/swagger-config`; this blueprint serves what the page loads: the pinned
Swagger UI build that the `swagger-ui-bundle-v2` package ships (a byte-for-byte copy of
`swagger-ui-dist`), and the script that starts it (a file, so the page's policy needs no inline
script). The build's files are under its version, so they are cached for a year and an
upgrade changes their URLs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sanic import Blueprint, HTTPResponse, Request
from sanic.response import file
from sanic_ext import openapi
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from backend.http.errors import NotFound

PREFIX = "/docs"
ASSETS = f"{PREFIX}/assets"
HERE = Path(__file__).parent
SWAGGER_UI = Path(str(swagger_ui_path)).resolve()
SWAGGER_UI_VERSION = SWAGGER_UI.name.removeprefix("swagger-ui-")  # the package's folder name
ONE_YEAR = 31_536_000
CONTENT_TYPES = {  # the build also holds an example page and a template: not served
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".map": "application/json",
}
UI_SETTINGS: dict[str, Any] = {  # Swagger UI's own options, fetched by the page
    "url": "/openapi.json",
    "validatorUrl": None,  # else the UI would send the document to an online validator
    "deepLinking": True,
    "docExpansion": "list",
    "tagsSorter": "alpha",
    "operationsSorter": "alpha",
    "displayRequestDuration": True,
}
# sanic-ext's Swagger UI also adds `/docs/oauth2-redirect.html`, which fetches that page from a
# CDN when asked; it cannot be turned off, and nothing here links to it (no OAuth2 scheme).
SANIC_EXT_CONFIG: dict[str, Any] = {
    "OAS_URL_PREFIX": PREFIX,
    "OAS_UI_DEFAULT": "swagger",  # `/docs` and `/docs/swagger`
    "OAS_UI_REDOC": False,  # ReDoc has no maintained offline build to pin here
    "OAS_PATH_TO_SWAGGER_HTML": str(HERE / "swagger.html"),
    "OAS_UI_SWAGGER_HTML_TITLE": "Digis API",
    "OAS_UI_SWAGGER_CDN_URL": ASSETS,
    "OAS_UI_SWAGGER_VERSION": SWAGGER_UI_VERSION,
    "SWAGGER_UI_CONFIGURATION": UI_SETTINGS,
}

bp = Blueprint("api_docs", url_prefix=ASSETS)


@bp.get(f"/{SWAGGER_UI_VERSION}/<name:path>")
@openapi.exclude()
async def swagger_ui_asset(request: Request, name: str) -> HTTPResponse:
    path = _served(SWAGGER_UI, name)
    response = await file(
        path, request_headers=request.headers, mime_type=CONTENT_TYPES[path.suffix]
    )
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response


@bp.get("/swagger-init.js")
@openapi.exclude()
async def swagger_init(request: Request) -> HTTPResponse:
    """Not versioned: revalidated on each load (`Cache-Control: no-cache`)."""
    path = HERE / "swagger-init.js"
    return await file(path, request_headers=request.headers, mime_type=CONTENT_TYPES[".js"])


def _served(root: Path, relative: str) -> Path:
    candidate = (root / relative).resolve()
    inside = root in candidate.parents
    if not inside or candidate.suffix not in CONTENT_TYPES or not candidate.is_file():
        raise NotFound()
    return candidate
