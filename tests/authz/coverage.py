"""Which API operations and pages exist, and which of them the authorization matrix has no row for; which lists a
sibling district reads are not checked for what they show."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz.matrix import ACTORS, API_PREFIX, API_ROWS, NOT_SCOPED, PAGE_ROWS, SEEN_ROWS, Row, Seen

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
# Not pages of the platform: Django admin, the language switch, files, and the API (covered by its OpenAPI document).
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/", API_PREFIX.lstrip("/") + "/")


def api_operations(openapi: dict[str, Any]) -> set[str]:
    """Every operation of the OpenAPI document as "METHOD /path" under the API prefix."""
    return {
        f"{method.upper()} {path.removeprefix(API_PREFIX)}"
        for path, operations in openapi["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }


def page_names(urlconf: Any = None) -> set[str]:
    """Every page of the URL map by its (namespaced) name; a page without a name is listed by its route."""
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], route: str, namespace: str) -> None:
        for pattern in patterns:
            here = route + str(pattern.pattern).lstrip("^")
            if here.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
                walk(pattern.url_patterns, here, inner or namespace)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
            else:
                names.add(f"<unnamed /{here}>")

    walk(get_resolver(urlconf).url_patterns, "", "")
    return names


def _rows() -> tuple[set[str], set[str]]:
    return {r.key for r in API_ROWS}, {r.target for r in PAGE_ROWS}


def missing_rows(operations: set[str], pages: set[str]) -> list[str]:
    """What exists without a row in the matrix."""
    api_rows, page_rows = _rows()
    return sorted([f"API {op}" for op in operations - api_rows] + [f"page {name}" for name in pages - page_rows])


def rows_for_nothing(operations: set[str], pages: set[str]) -> list[str]:
    """Rows naming an operation or page that does not exist (renamed, removed, or mistyped)."""
    api_rows, page_rows = _rows()
    return sorted([f"API {op}" for op in api_rows - operations] + [f"page {name}" for name in page_rows - pages])


# The actor beside the targets' district: staff of district Y, a sibling of district X.
SIBLING = "district_y_staff"


def _read_by_sibling(rows: list[Row]) -> set[str]:
    at = ACTORS.index(SIBLING)
    return {r.key for r in rows if r.method == "GET" and r.expect[at] == 200}


def unchecked_lists(
    rows: list[Row] | None = None, seen: list[Seen] | None = None, not_scoped: dict[str, str] | None = None
) -> list[str]:
    """GETs that district Y's staff read with 200 (a list, a report, a page) which no Seen row checks for showing
    none of district X's objects, and which NOT_SCOPED does not explain (public, the actor's own, a form that lists
    nothing). A 200 alone would pass with the subtree filter dropped."""
    rows = [*API_ROWS, *PAGE_ROWS] if rows is None else rows
    seen = SEEN_ROWS if seen is None else seen
    not_scoped = NOT_SCOPED if not_scoped is None else not_scoped
    return sorted(_read_by_sibling(rows) - {s.key for s in seen} - set(not_scoped))


def not_scoped_for_nothing() -> list[str]:
    """NOT_SCOPED entries that name no GET a sibling district reads, or a GET a Seen row checks after all."""
    read = _read_by_sibling([*API_ROWS, *PAGE_ROWS])
    checked = {s.key for s in SEEN_ROWS}
    return sorted(k for k in NOT_SCOPED if k not in read or k in checked)
