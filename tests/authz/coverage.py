"""Which API operations and pages exist, and which of them the authorization matrix has no row for."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz.matrix import API_PREFIX, API_ROWS, PAGE_ROWS

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
