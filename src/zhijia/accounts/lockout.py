"""How django-axes names the account being tried, and what a locked-out client is told."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhijia.core.pii import is_mainland_mobile, normalize_phone


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    # A phone typed as "+86 138..." and "138..." is the same account: count failures against one name.
    login = str((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    phone = normalize_phone(login)
    return phone if is_mainland_mobile(phone) else login


def locked_out_response(
    request: HttpRequest, credentials: dict[str, Any] | None, *args: Any, **kwargs: Any
) -> HttpResponse:
    message = _("登录失败次数过多，账户已暂时锁定，请 15 分钟后再试。")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "auth.locked_out", "message": message, "detail": {}}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
