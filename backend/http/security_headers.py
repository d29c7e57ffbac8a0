"""Standard security headers: the few an API response needs, the full set for pages.

Whether a response is a page is decided by its path, never its content type: a 304
revalidating `index.html` has no body, and giving it the API's `default-src 'none'` would
leave the browser's cached page blank.
"""

from __future__ import annotations

from sanic.response import BaseHTTPResponse

API_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
API_PREFIXES = ("/api/", "/media/", "/health", "/metrics", "/openapi.json")
PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data: blob:{images}; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'{connect}; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)
# The API docs (Swagger UI) load only their own files: no CDN, no inline script or style.
# `data:` images are the icons inside Swagger UI's stylesheet.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
DOCS_PREFIX = "/docs"
HSTS = "max-age=63072000; includeSubDomains"


def page_csp(connect_sources: list[str], image_sources: list[str] | None = None) -> str:
    """The pages' policy; `connect_sources` adds hosts the app may call (e.g. Sentry),
    `image_sources` hosts it shows pictures from (a CDN serving the thumbnails)."""
    return PAGE_CSP.format(
        connect="".join(f" {source}" for source in connect_sources),
        images="".join(f" {source}" for source in image_sources or []),
    )


def add_security_headers(response: BaseHTTPResponse, *, path: str, hsts: bool, csp: str) -> None:
    headers = response.headers
    if path.startswith(API_PREFIXES):
        for name, value in API_HEADERS.items():
            if name not in headers:
                headers[name] = value
    else:
        for name, value in PAGE_HEADERS.items():
            if name not in headers:
                headers[name] = value
        headers.setdefault("Content-Security-Policy", DOCS_CSP if _is_docs(path) else csp)
    if hsts:
        headers["Strict-Transport-Security"] = HSTS


def _is_docs(path: str) -> bool:
    return path == DOCS_PREFIX or path.startswith(f"{DOCS_PREFIX}/")
