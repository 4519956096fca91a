"""Shared pieces of the JSON API: the error schema every operation documents, and list pagination."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination


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
