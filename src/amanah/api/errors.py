"""One error shape for every failure of the API, and the status code of each kind of error.

Every error body is ``{"error": {"status": int, "code": str, "message": str, "details":
[...]}}``: ``code`` is stable (clients branch on it), ``message`` is one line for a person,
``details`` (possibly empty) names each invalid field. ``tests/api/test_errors.py`` pins it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from amanah.errors import (
    AmanahError,
    Conflict,
    Forbidden,
    InvalidInput,
    LoginFailed,
    NotFound,
    NotInitialised,
    Refused,
    StorageUnavailable,
    Throttled,
    VerificationFailed,
)

#: The most specific class first.
STATUS: tuple[tuple[type[AmanahError], int, str], ...] = (
    (Throttled, 429, "throttled"),
    (LoginFailed, 401, "login_failed"),
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


#: The responses every operation documents besides its own (for the OpenAPI document).
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Not logged in"},
    403: {"model": ErrorResponse, "description": "The account's roles do not allow it"},
    422: {"model": ErrorResponse, "description": "The input is malformed"},
}
