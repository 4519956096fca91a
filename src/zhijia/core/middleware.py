"""Binds the request's address and id for the audit log; gives every API refusal the one error format."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext

from . import context


def client_ip(request: HttpRequest) -> str | None:
    # Behind the production proxy the last hop appended by nginx is the client; locally REMOTE_ADDR is.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
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
