"""Shared pieces of the JSON API: the error schema every operation documents, list pagination, the datetime
type for input, the idempotency key of a write, and the plain JSON answer of the hottest reads."""

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination
from ninja.responses import NinjaJSONEncoder
from pydantic import AfterValidator


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


# Past any real list; a larger page number would overflow the database's OFFSET (a 500) instead of answering 422.
MAX_PAGE = 1_000_000


class Pagination(PageNumberPagination):
    """Page-number pagination for every list: `?page=` (bounded) and `?page_size=` (capped by the list)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


class PageMapped:
    """A queryset the paginator slices first; only the rows of the page are then shaped (`shape` gets the
    page's objects and returns the output rows). A list of every row in scope is never built."""

    def __init__(self, qs: Any, shape: Any):
        self.qs = qs
        self.shape = shape

    def __getitem__(self, item: slice) -> list[Any]:
        return list(self.shape(list(self.qs[item])))

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()


def _same_instant_in_utc(value: datetime) -> datetime:
    # PostgreSQL refuses offsets beyond ±15:59, which Python accepts; an instant before year 1 or after 9999 in UTC
    # cannot be stored or compared at all. Naive values pass through for the caller to judge.
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("datetime out of range") from None


# A datetime in a request: an aware one arrives as the same instant in UTC, or the request answers 422.
Instant = Annotated[datetime, AfterValidator(_same_instant_in_utc)]


IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotency_key(request: HttpRequest, body_key: str, *, max_length: int) -> str:
    """The key of a write that may be sent twice: `idempotency_key` from the body, else the `Idempotency-Key` header.
    The body's field is checked by its schema; a header holding a NUL character (PostgreSQL text cannot hold one) or
    longer than the key's column is refused as any other invalid input (422 `request.invalid`, the field named
    `header.Idempotency-Key`), never cut short: two keys sharing their first characters would be taken for one."""
    header = request.headers.get(IDEMPOTENCY_HEADER, "")
    loc = ("header", IDEMPOTENCY_HEADER)
    if "\x00" in header:
        raise ValidationError([{"loc": loc, "msg": "NUL characters are not allowed", "type": "string_nul"}])
    if len(header) > max_length:
        message = f"String should have at most {max_length} characters"
        raise ValidationError([{"loc": loc, "msg": message, "type": "string_too_long"}])
    return body_key or header


def plain_json(data: Any) -> HttpResponse:
    """A 200 answer already in the exact shape of the operation's declared schema, written as django-ninja would
    write it (same encoder: datetimes in ISO 8601, UTC as "Z") but without validating it against the schema again.
    Only for the few reads whose every request counts (the member's card, the finder); each such operation has a test
    that holds its answers to the schema, and the fuzzing suite checks them too."""
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8")
