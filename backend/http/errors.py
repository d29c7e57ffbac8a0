"""The one error shape: `{"error": {"code", "message", "request_id", "details"}}`."""

from __future__ import annotations

import traceback
from typing import Any

from loguru import logger
from sanic import HTTPResponse, Request, json
from sanic.exceptions import RequestCancelled, SanicException
from sanic.handlers import ErrorHandler
from tortoise.exceptions import ValidationError as FieldValidationError

from backend.http.request_id import ensure_request_id

CODES_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "validation_error",
    429: "rate_limited",
    499: "client_closed_request",  # nginx's status: the client left before the answer
    500: "internal_error",
    503: "service_unavailable",
}


class ApiError(Exception):
    """An error the client should see as it is; raise it (or a subclass) from anywhere."""

    status = 400
    code = "bad_request"
    message = "The request is not valid."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.details = details
        self.headers = headers or {}
        super().__init__(self.message)


class Unauthorized(ApiError):
    status, code, message = 401, "unauthorized", "Authentication is required."

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        error = "invalid_token" if code == "invalid_token" else None
        challenge = f'Bearer error="{error}"' if error else "Bearer"
        super().__init__(message, code=code, headers={"WWW-Authenticate": challenge})


class Forbidden(ApiError):
    status, code, message = 403, "forbidden", "You are not allowed to do this."


class NotFound(ApiError):
    status, code, message = 404, "not_found", "Not found."


class Conflict(ApiError):
    status, code, message = 409, "conflict", "The request conflicts with the current state."


class PayloadTooLarge(ApiError):
    status, code, message = 413, "payload_too_large", "The request body is too large."


class UnsupportedMediaType(ApiError):
    status, code, message = 415, "unsupported_media_type", "This media type is not supported."


class ValidationFailed(ApiError):
    status, code, message = 422, "validation_error", "The request is not valid."


def field_error(field: str, message: str) -> ValidationFailed:
    """A 422 about one field, in the shape request validation uses for every bad field."""
    return ValidationFailed(
        details={"fields": [{"field": field, "message": message, "type": "value_error"}]}
    )


class TooManyRequests(ApiError):
    status, code, message = 429, "rate_limited", "Too many requests; try again later."


class ServiceUnavailable(ApiError):
    status, code, message = 503, "service_unavailable", "The service is unavailable."


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: dict[str, str] | None = None,
) -> HTTPResponse:
    body = {
        "error": {
            "code": code,
            "message": message,
            "request_id": ensure_request_id(request),
            "details": details,
        }
    }
    return json(body, status=status, headers=headers)


class JsonErrorHandler(ErrorHandler):
    """Turns every exception, the framework's own included, into the one error shape."""

    def __init__(self, *, show_tracebacks: bool) -> None:
        super().__init__()
        self.show_tracebacks = show_tracebacks

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, ApiError):
            return error_response(
                request,
                exception.status,
                exception.code,
                exception.message,
                exception.details,
                exception.headers,
            )
        if isinstance(exception, FieldValidationError):
            # A value the ORM refused before writing (too long for its column, say): the
            # request's own checks missed it, but nothing was stored, so the client hears why.
            logger.warning("ORM refused a value on {}: {}", request.path, exception)
            field, _, message = str(exception).partition(": ")
            problem = {"field": field, "message": message, "type": "value_error"}
            return error_response(
                request, 422, "validation_error", "The request is not valid.",
                {"fields": [problem]},
            )  # fmt: skip
        if isinstance(exception, RequestCancelled):  # nothing to answer, nothing went wrong
            return error_response(request, 499, CODES_BY_STATUS[499], "The client went away.")
        if isinstance(exception, SanicException) and exception.status_code < 500:
            status = exception.status_code
            headers = dict(getattr(exception, "headers", None) or {})
            return error_response(
                request, status, CODES_BY_STATUS.get(status, "error"), str(exception), None, headers
            )
        logger.opt(exception=exception).error(
            "unhandled error on {} {}", request.method, request.path
        )
        details = None
        if self.show_tracebacks:
            details = {"traceback": traceback.format_exception(exception)}
        return error_response(
            request, 500, "internal_error", "Something went wrong on our side.", details
        )
