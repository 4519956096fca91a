"""Binds the request's address and id for the audit log; gives every API refusal the one error format; lets API
requests skip the page machinery they never use (the message store, building a page's content security policy);
refuses a page's query or form that holds a NUL character."""

from collections.abc import Callable
from typing import Any

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext

from . import context
from .errors import ValidationFailed
from .pages import error_page


def client_ip(request: HttpRequest) -> str | None:
    # Behind the production proxy the last hop appended by nginx is the client; locally REMOTE_ADDR is.
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = context.RequestMeta(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])
        with context.bound(meta):
            response = self.get_response(request)
        response["X-Request-ID"] = meta.request_id
        return response


API_PATH = "/api/"


class ApiErrorFormatMiddleware:
    """Under /api/, a refusal answered before any API handler runs (an unknown path's 404 page, django-ninja's
    plain-text 405 for a method an operation does not have) still comes as {code, message, detail}."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PATH)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        if status == 404:
            code, message = "not_found", gettext("找不到该记录，或您无权查看。")
        else:
            code, message = f"http.{status}", gettext("请求无法处理。")
        error = JsonResponse({"code": code, "message": message, "detail": {}}, status=status)
        if response.has_header("Allow"):
            error["Allow"] = response["Allow"]
        return error


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PATH)


class PageMessageMiddleware(MessageMiddleware):
    """Django's messages for the pages. The API answers JSON and never shows a message, so its requests get no
    message store (one would be built, and read back from the cookie or the session, on every request)."""

    def process_request(self, request: HttpRequest) -> None:
        if not _is_api(request):
            super().process_request(request)


# A JSON document loads and runs nothing: the policy that allows nothing (stricter than the pages').
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp for the pages (and the API's HTML documentation). The API's JSON answers get one fixed policy that
    allows nothing, instead of django-csp building the pages' policy again for every response."""

    def process_response(self, request: HttpRequest, response: Any) -> Any:
        if (
            _is_api(request)
            and response.get("Content-Type", "").startswith("application/json")
            and not settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
            and not getattr(response, "_csp_exempt", False)
        ):
            if CSP_HEADER not in response:
                response[CSP_HEADER] = API_CONTENT_SECURITY_POLICY
            return response
        return super().process_response(request, response)


def _holds_nul(request: HttpRequest) -> bool:
    # Names and values of the query and of a form (a multipart form's file fields by name; Django drops unprintable
    # characters from uploaded file names itself).
    sources: list[Any] = [request.GET]
    if request.method == "POST":
        sources += [request.POST, request.FILES]
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
                return True
    return False


class PageNulCharacterMiddleware:
    """A page's query or form holding a NUL character, in a value or a name, is answered 400 with the error page before
    any view runs: PostgreSQL text cannot hold one, so a view passing it to a query would fail with a DataError (500).
    The API refuses it in its own parser instead (`zhijia/api.py`), naming the field in its error format."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_api(request) and _holds_nul(request):
            refusal = ValidationFailed(
                "request.invalid_character", gettext("输入内容含有无效字符（空字符），请删除后重试。")
            )
            return error_page(request, refusal)
        return self.get_response(request)
