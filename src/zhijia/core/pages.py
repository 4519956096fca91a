"""Shared helpers for pages: turning a ZhijiaError into a page, and requiring a staff scope."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import ZhijiaError
from .roles import Perm
from .scope import scope_for


def staff_page(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A console page: sign-in required, the permission required (404 otherwise), errors shown in Chinese."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                scope_for(request.user).require(perm)
                return view(request, *args, **kwargs)
            except ZhijiaError as exc:
                return error_page(request, exc)

        return wrapper

    return decorate


def error_page(request: HttpRequest, exc: ZhijiaError) -> HttpResponse:
    return render(request, "core/error.html", {"error": exc}, status=exc.status)
