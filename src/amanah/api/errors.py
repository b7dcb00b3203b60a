"""One error shape for every failure of the API, and the status code of each kind of error.

Every error body is ``{"error": {"status": int, "code": str, "message": str, "details":
[...]}}``: ``code`` is stable (clients branch on it), ``message`` is one line for a person,
``details`` (possibly empty) names each invalid field. ``tests/e2e/test_api_errors.py`` pins it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from amanah.errors import (
    AmanahError,
    Conflict,
    CsrfRejected,
    Forbidden,
    InvalidInput,
    LoginFailed,
    NotFound,
    NotInitialised,
    Refused,
    StorageUnavailable,
    Throttled,
    VerificationFailed,
    first_line,
)

API_PREFIX = "/api/"
LOG = logging.getLogger("amanah.api")

#: The most specific class first.
STATUS: tuple[tuple[type[AmanahError], int, str], ...] = (
    (Throttled, 429, "throttled"),
    (LoginFailed, 401, "login_failed"),
    (CsrfRejected, 403, "csrf"),
    (Forbidden, 403, "forbidden"),
    (InvalidInput, 422, "invalid_input"),
    (Refused, 409, "refused"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (NotInitialised, 503, "not_initialised"),
    (StorageUnavailable, 503, "storage_unavailable"),
    (VerificationFailed, 409, "verification_failed"),
)


class ErrorDetail(BaseModel):
    """One invalid field: where it is (``body.name``, ``query.limit``) and what is wrong."""

    field: str
    message: str


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorResponse(BaseModel):
    """What every failed request returns."""

    error: ErrorBody


def classify(exc: AmanahError) -> tuple[int, str]:
    for kind, status, code in STATUS:
        if isinstance(exc, kind):
            return status, code
    return 400, "error"


def body(status: int, code: str, message: str, details: list[ErrorDetail] | None = None) -> Any:
    return ErrorResponse(
        error=ErrorBody(status=status, code=code, message=message, details=details or [])
    ).model_dump()


Responses = dict[int | str, dict[str, Any]]


def documented(status: int, description: str) -> Responses:
    """An error response for the OpenAPI document: ``status`` with the error shape."""
    return {status: {"model": ErrorResponse, "description": description}}


#: The responses every operation documents besides its own (for the OpenAPI document).
COMMON_RESPONSES: Responses = {
    401: {"model": ErrorResponse, "description": "Not logged in"},
    403: {"model": ErrorResponse, "description": "The account's roles do not allow it"},
    404: {"model": ErrorResponse, "description": "No such person, place, roll call or entry"},
    409: {"model": ErrorResponse, "description": "The rules refuse it; nothing was written"},
    422: {"model": ErrorResponse, "description": "The input is malformed; nothing was written"},
    503: {"model": ErrorResponse, "description": "The database is busy; nothing was written"},
}


# -- one place where every failure becomes a response -----------------------------------------

#: Renders an error for a person (the web UI's HTML page): request, status, code, message.
HtmlRenderer = Callable[[Request, int, str, str], Response]

_HTTP_CODES = {
    400: "bad_request",
    401: "login_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}


def _wants_html(request: Request, html: HtmlRenderer | None) -> bool:
    return html is not None and not request.url.path.startswith(API_PREFIX)


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    *,
    details: list[ErrorDetail] | None = None,
    headers: dict[str, str] | None = None,
    html: HtmlRenderer | None = None,
) -> Response:
    if _wants_html(request, html):
        assert html is not None
        page = html(request, status, code, message)
        if headers:
            page.headers.update(headers)
        return page
    return JSONResponse(body(status, code, message, details), status_code=status, headers=headers)


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc)


def install(app: FastAPI, html: HtmlRenderer | None = None) -> None:
    """Map every exception to the error shape (or, outside the API, to ``html``'s page):
    no traceback ever reaches a client, and bad input is never a 500."""

    @app.exception_handler(AmanahError)
    def amanah_error(request: Request, exc: AmanahError) -> Response:
        status, code = classify(exc)
        headers = None
        if isinstance(exc, Throttled):
            wait = max(1, int((exc.retry_after - datetime.now(UTC)).total_seconds()) + 1)
            headers = {"Retry-After": str(wait)}
        return error_response(request, status, code, str(exc), headers=headers, html=html)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        details = [
            ErrorDetail(field=_field(e.get("loc", ())), message=str(e.get("msg", "invalid")))
            for e in exc.errors()
        ]
        first = details[0] if details else None
        message = (
            f"the request is malformed: {first.field}: {first.message}"
            if first
            else "the request is malformed"
        )
        return error_response(request, 422, "invalid_input", message, details=details, html=html)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = {
            404: "no such page or resource",
            405: "this method is not allowed here",
        }.get(exc.status_code, str(exc.detail))
        headers = dict(exc.headers) if exc.headers else None
        return error_response(request, exc.status_code, code, message, headers=headers, html=html)

    @app.exception_handler(SQLAlchemyError)
    def storage_error(request: Request, exc: SQLAlchemyError) -> Response:
        message = f"the database is busy or unreachable; nothing was written: {first_line(exc)}"
        return error_response(request, 503, "storage_unavailable", message, html=html)

    @app.exception_handler(Exception)
    def internal_error(request: Request, exc: Exception) -> Response:
        LOG.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        message = f"internal error ({type(exc).__name__}); nothing was written"
        return error_response(request, 500, "internal", message, html=html)
