"""The versioned JSON API (/api/v1/): one NinjaAPI, each app's router, one error format for every failure."""

import logging
from typing import Any

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import SessionAuth

from zhijia.accounts.api import auth_router
from zhijia.accounts.api import router as accounts_router
from zhijia.accounts.api_auth import TokenAuth
from zhijia.activities.api import router as activities_router
from zhijia.audit.api import router as audit_router
from zhijia.bookings.api import router as bookings_router
from zhijia.core.errors import ZhijiaError
from zhijia.jobs.api import router as jobs_router
from zhijia.members.api import applications_router, cards_router, members_router
from zhijia.members.api_roster import router as roster_router
from zhijia.network.api import router as network_router
from zhijia.notifications.api import router as notifications_router
from zhijia.organizations.api import router as orgs_router
from zhijia.planning.api import router as planning_router
from zhijia.points.api import router as points_router
from zhijia.ratings.api import router as ratings_router
from zhijia.servicemenu.api import router as servicemenu_router

logger = logging.getLogger(__name__)


def _nul_at(value: Any, where: tuple[str, ...]) -> tuple[str, ...] | None:
    """Where a NUL character sits in parsed request data (("body", "note")), or None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_at(key, where) or _nul_at(item, (*where, str(key)))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_at(item, (*where, str(i)))
            if found:
                return found
    return None


def _refuse_nul(data: Any, where: str) -> Any:
    loc = _nul_at(data, (where,))
    if loc:
        raise ValidationError([{"loc": loc, "msg": "NUL characters are not allowed", "type": "string_nul"}])
    return data


class _Parser(Parser):
    """django-ninja's parser, refusing a NUL character in any value of the body, the query or a form (as any other
    invalid input: 422, `request.invalid`, the field named): no field of ours has a use for one, PostgreSQL text
    cannot hold it, and Django's form fields refuse it the same way."""

    def parse_body(self, request: HttpRequest) -> Any:
        return _refuse_nul(super().parse_body(request), "body")

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> Any:
        return _refuse_nul(super().parse_querydict(data, list_fields, request), "query")


api = NinjaAPI(
    title="职工之家 API",
    version="1",
    description="Zhijia (职工之家) platform API. Errors always have the form {code, message, detail}.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[TokenAuth(), SessionAuth()],
    parser=_Parser(),
)


def _error(
    request: HttpRequest, status: int, code: str, message: str, detail: dict[str, object] | None = None
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "detail": detail or {}}, status=status)


@api.exception_handler(ZhijiaError)
def _zhijia_error(request: HttpRequest, exc: ZhijiaError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.detail)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ())),
            "message": str(e.get("msg", "")),
            "type": e.get("type", ""),
        }
        for e in exc.errors
    ]
    field = errors[0]["field"] if errors else ""
    return _error(
        request,
        422,
        "request.invalid",
        _("请求内容有误：%(field)s") % {"field": field},
        {"field": field, "errors": errors},
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "auth.required", _("请先登录。"))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("找不到该记录，或您无权查看。"))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ValidationError):
        # django-ninja wraps whatever the body parser raises: a NUL character refused by `_Parser`.
        return _validation_error(request, exc.__cause__)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # django-ninja answers a body that is not JSON with a bare 400: name the field, as for any other bad input.
        errors = [{"field": "body", "message": "Invalid JSON", "type": "json_invalid"}]
        message = _("请求内容有误：%(field)s") % {"field": "body"}
        return _error(request, 422, "request.invalid", message, {"field": "body", "errors": errors})
    return _error(request, exc.status_code, f"http.{exc.status_code}", _("请求无法处理。"))


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)
@api.exception_handler(BadRequest)
def _malformed(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A body Django cannot parse (a multipart type without its boundary, too many fields): the client's fault.
    return _error(request, 400, "request.malformed", _("请求无法处理。"))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled error in %s %s", request.method, request.path)
    return _error(request, 500, "server_error", _("服务器内部错误，请稍后再试。"))


# The member site's busiest reads first: Django tries the API's paths in this order on every request.
api.add_router("/network", network_router)
api.add_router("/members", members_router)
api.add_router("/auth", auth_router)
api.add_router("/accounts", accounts_router)
api.add_router("/orgs", orgs_router)
api.add_router("/audit", audit_router)
api.add_router("/jobs", jobs_router)
api.add_router("/applications", applications_router)
api.add_router("/roster", roster_router)
api.add_router("/cards", cards_router)
api.add_router("/notifications", notifications_router)
api.add_router("/points", points_router)
api.add_router("/bookings", bookings_router)
api.add_router("/planning", planning_router)
api.add_router("/servicemenu", servicemenu_router)
api.add_router("/activities", activities_router)
api.add_router("/ratings", ratings_router)
