"""How django-axes names the account being tried, and what a locked-out client is told."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhijia.core.pii import blind_index, is_mainland_mobile, normalize_phone, phone_index

from .models import User


def username_from_request(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    # "+86 138...", "138..." and the account's username name one account: count failures against that one name,
    # or switching between them would buy five more guesses each (and a sign-in would clear only one of them).
    # The name is kept in axes' table (and shown in the admin): a login that names no account is kept as a keyed
    # hash, never as typed, since it may be a phone or an ID number; the same login still hashes to the same name.
    login = str((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    phone = normalize_phone(login)
    if is_mainland_mobile(phone):
        index = phone_index(phone)
        username = User.objects.filter(phone_index=index).values_list("username", flat=True).first()
        return username or f"phone:{index}"
    if not login or User.objects.filter(username=login).exists():
        return login
    return f"login:{blind_index(login, purpose='lockout')}"


def locked_out_response(
    request: HttpRequest, credentials: dict[str, Any] | None, *args: Any, **kwargs: Any
) -> HttpResponse:
    message = _("登录失败次数过多，账户已暂时锁定，请 15 分钟后再试。")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "auth.locked_out", "message": message, "detail": {}}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
