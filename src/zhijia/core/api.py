"""Shared pieces of the JSON API: the error schema every operation documents, and list pagination."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    detail: dict[str, Any]


# Every operation documents these; the fuzzing test holds the API to them.
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def with_errors(ok: dict[int, Any]) -> dict[int, Any]:
    return {**ok, **ERRORS}
